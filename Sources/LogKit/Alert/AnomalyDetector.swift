/*
 anomaly(x): the default detector, a score in [0, 1) where >= 0.5 means
 anomalous. No parameters to tune; the constants below are the documented
 defaults.

 1. Local baseline: the median of the previous 32 points, with a robust
    spread: the largest of 1.4826 * MAD (1.2533 * the mean absolute
    deviation of the closest three quarters when MAD is 0), 10% of |median| (so smooth series need a
    change of more than 60% to alert), and, for series of whole numbers
    (counts), sqrt(median + 1) (Poisson noise: sparse counts do not alert on
    a handful of extra events).
 2. Daily baseline: the value at the same time of day, from 24 hourly
    buckets (as seasonal(x, 1d)), once a day of history exists, with the
    same spread rules.
 3. The deviation z = (x - baseline) / spread uses the local baseline, or,
    when the daily baseline exists, the smaller of the two deviations (0 when
    they disagree in sign): a point is anomalous only when it is unusual both
    for the last half hour and for this time of day. Daily ramps, that the
    local median lags, are normal by the daily baseline; a level shift is
    absorbed by the local median after about 16 points.
 4. score = z^2 / (z^2 + 6^2): 0.5 at six spreads, rising towards 1.

 Warm-up: null until 8 points have been seen. Both directions count (a
 drop to zero traffic is as anomalous as a spike). The event reports the
 baseline as `expected` and expected +- 6 spreads as `low`..`high`.
*/

enum AnomalyDetector {
  static let localPoints = 32
  static let warmUp = 8
  static let threshold = 6.0
  static let relativeFloor = 0.1
  static let localSize = 2 + localPoints
  /// Local ring, then daily buckets, then one flag: 1 while every point was a whole number.
  static let stateSize = localSize + SeasonalBuckets.size + 1

  static func step(_ s: UnsafeMutablePointer<Float>, _ x: Double, t: Int64) -> DetectorOutput {
    let ring = RingView(base: s, capacity: localPoints)
    let daily = SeasonalBuckets(base: s + localSize, period: 86_400_000_000)
    let wholeFlag = s + localSize + SeasonalBuckets.size
    if ring.count == 0 { wholeFlag.pointee = 1 }
    let whole = wholeFlag.pointee == 1 && x == x.rounded()
    var out = DetectorOutput(score: nil, observed: x, expected: nil, low: nil, high: nil)
    let dailyBaseline = daily.baseline(at: t)
    if ring.count >= warmUp {
      let stats = ring.robustStats()
      let spread = floorSpread(stats.robustSpread, center: stats.median, whole: whole)
      var z = (x - stats.median) / spread
      var expected = stats.median, used = spread
      if let dailyBaseline {
        // The local spread, scaled to the daily level, keeps the noise estimate.
        let scale = Swift.abs(stats.median) > 1e-9 ? Swift.abs(dailyBaseline / stats.median) : 1
        let dailySpread = floorSpread(stats.robustSpread * scale, center: dailyBaseline, whole: whole)
        let zd = (x - dailyBaseline) / dailySpread
        if (z > 0) != (zd > 0) {
          z = 0
        } else if Swift.abs(zd) < Swift.abs(z) {
          z = zd
          expected = dailyBaseline
          used = dailySpread
        }
      }
      z = capScore(z)
      out.score = z * z / (z * z + threshold * threshold)
      out.expected = expected
      out.low = expected - threshold * used
      out.high = expected + threshold * used
    }
    ring.push(x)
    daily.add(x, at: t)
    if !whole { wholeFlag.pointee = 0 }
    return out
  }

  static func floorSpread(_ robust: Double, center: Double, whole: Bool) -> Double {
    var spread = Swift.max(robust, relativeFloor * Swift.abs(center), 1e-9)
    if whole { spread = Swift.max(spread, (Swift.max(center, 0) + 1).squareRoot()) }
    return spread
  }
}
