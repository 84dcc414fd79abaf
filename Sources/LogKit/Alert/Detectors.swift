/*
 The detectors behind zscore(), mad_score(), change(), seasonal() and
 anomaly(): online, per key, in a fixed number of Floats each (see
 `stateSize`), stored contiguously by DetectorBank. Every detector scores the
 new point against the state built from the points before it, then adds the
 point. A missing or non-finite value scores null and leaves the state alone.

   zscore(x)       (x - mean) / sd with an exponentially weighted mean and
                   variance (alpha 0.1, about the last 20 points); null for
                   the first 10 points (warm-up).
   mad_score(x,N)  (x - median) / (1.4826 * MAD) over the previous N points
                   (default 30, 5 to 64); null until N/2 (at least 5) points.
                   When MAD is 0 the spread falls back to 1.2533 times the
                   mean absolute deviation of the closest three quarters of
                   the points (all of them if that is 0), and when that is 0 too (a constant
                   series) to 1e-9 * max(1, |median|).
   change(x)       x / previous x; 1 when both are 0; null for the first point.
   seasonal(x,P)   x / the value one period P earlier: P is cut into 24
                   phase buckets, each keeping a baseline from earlier periods
                   (the mean of the last period, averaged 50/50 with older
                   ones). While a bucket has no earlier period the median of
                   the last 16 points is the baseline (the robust fallback);
                   null before 3 points.
   anomaly(x)      see AnomalyDetector.swift.

 Scores are capped to +-1e6 so that a change after a constant series stays a
 finite JSON number.
*/
import Glibc

/// What a detector says about one point.
package struct DetectorOutput: Sendable, Equatable {
  /// The value the condition sees (a score or ratio); nil before warm-up or for missing input.
  package var score: Double?
  package var observed: Double?
  /// The baseline the point was compared to, and the normal range around it.
  package var expected: Double?
  package var low: Double?
  package var high: Double?

  package static let none = DetectorOutput(score: nil, observed: nil, expected: nil, low: nil, high: nil)
}

let scoreCap = 1e6

func capScore(_ x: Double) -> Double { Swift.max(-scoreCap, Swift.min(scoreCap, x)) }

/// A detector call's kind and parameters: what a step needs, without the
/// call's expression and texts (so the per-record loop copies no references).
struct DetectorSpec: Sendable, Equatable {
  var kind: DetectorKind
  var points: Int
  var duration: Int64
}

enum Detector {
  /// Floats of state per key.
  static func stateSize(_ call: DetectorCall) -> Int {
    switch call.kind {
    case .zscore: return 3
    case .change: return 2
    case .mad_score: return 2 + call.points
    case .seasonal: return SeasonalBuckets.size + RecentRing.size
    case .absent: return 0
    case .anomaly: return AnomalyDetector.stateSize
    }
  }

  /// Scores `x` at event time `t` against the state and updates it.
  static func step(_ call: DetectorCall, _ s: UnsafeMutablePointer<Float>, x: Double?, t: Int64) -> DetectorOutput {
    step(DetectorSpec(kind: call.kind, points: call.points, duration: call.duration), s, x: x, t: t)
  }

  static func step(_ call: DetectorSpec, _ s: UnsafeMutablePointer<Float>, x: Double?, t: Int64) -> DetectorOutput {
    guard let x, x.isFinite else { return DetectorOutput(score: nil, observed: nil, expected: nil, low: nil, high: nil) }
    switch call.kind {
    case .zscore: return zscore(s, x)
    case .change: return change(s, x)
    case .mad_score: return madScore(s, x, points: call.points)
    case .seasonal: return seasonal(s, x, t: t, period: call.duration)
    case .absent: return .none
    case .anomaly: return AnomalyDetector.step(s, x, t: t)
    }
  }

  static func zscore(_ s: UnsafeMutablePointer<Float>, _ x: Double) -> DetectorOutput {
    let n = Double(s[0]), mean = Double(s[1]), variance = Double(s[2])
    var out = DetectorOutput(score: nil, observed: x, expected: n > 0 ? mean : nil, low: nil, high: nil)
    if n >= 10 {
      let sd = Swift.max(variance.squareRoot(), 1e-9 * Swift.max(1, Swift.abs(mean)))
      out.score = capScore((x - mean) / sd)
      out.low = mean - 3 * sd
      out.high = mean + 3 * sd
    }
    if n == 0 {
      s[1] = Float(x)
    } else {
      let alpha = 0.1, diff = x - mean
      let increment = alpha * diff
      s[1] = Float(mean + increment)
      s[2] = Float((1 - alpha) * (variance + diff * increment))
    }
    s[0] = Float(Swift.min(n + 1, 1e6))
    return out
  }

  static func change(_ s: UnsafeMutablePointer<Float>, _ x: Double) -> DetectorOutput {
    var out = DetectorOutput(score: nil, observed: x, expected: nil, low: nil, high: nil)
    if s[0] > 0 {
      let previous = Double(s[1])
      out.expected = previous
      out.score = ratio(x, previous)
    }
    s[0] = 1
    s[1] = Float(x)
    return out
  }

  /// x / base, 1 for 0/0, capped.
  static func ratio(_ x: Double, _ base: Double) -> Double {
    if base == 0 { return x == 0 ? 1 : (x > 0 ? scoreCap : -scoreCap) }
    return capScore(x / base)
  }

  static func madScore(_ s: UnsafeMutablePointer<Float>, _ x: Double, points: Int) -> DetectorOutput {
    let ring = RingView(base: s, capacity: points)
    var out = DetectorOutput(score: nil, observed: x, expected: nil, low: nil, high: nil)
    if ring.count >= Swift.max(5, points / 2) {
      let stats = ring.robustStats()
      let spread = Swift.max(stats.robustSpread, 1e-9 * Swift.max(1, Swift.abs(stats.median)))
      out.score = capScore((x - stats.median) / spread)
      out.expected = stats.median
      out.low = stats.median - 3 * spread
      out.high = stats.median + 3 * spread
    }
    ring.push(x)
    return out
  }

  static func seasonal(_ s: UnsafeMutablePointer<Float>, _ x: Double, t: Int64, period: Int64) -> DetectorOutput {
    let buckets = SeasonalBuckets(base: s, period: period)
    let recent = RingView(base: s + SeasonalBuckets.size, capacity: RecentRing.points)
    var out = DetectorOutput(score: nil, observed: x, expected: nil, low: nil, high: nil)
    if let baseline = buckets.baseline(at: t) {
      out.expected = baseline
    } else if recent.count >= 3 {
      out.expected = recent.robustStats().median
    }
    if let expected = out.expected { out.score = ratio(x, expected) }
    buckets.add(x, at: t)
    recent.push(x)
    return out
  }
}

enum RecentRing {
  static let points = 16
  static let size = 2 + points
}

/// A ring of the last `capacity` values in Floats: [count, head, values...].
struct RingView {
  let base: UnsafeMutablePointer<Float>
  let capacity: Int

  var count: Int { Int(base[0]) }

  func push(_ x: Double) {
    let head = Int(base[1])
    base[2 + head] = Float(x)
    base[1] = Float((head + 1) % capacity)
    if count < capacity { base[0] = Float(count + 1) }
  }

  /// Median and robust spread of the values: 1.4826 * MAD, or when MAD is 0
  /// (more than half the values equal) 1.2533 * the mean absolute deviation
  /// of the three quarters of the values closest to the median.
  /// Works in stack buffers: it runs for every point of every key.
  func robustStats() -> (median: Double, robustSpread: Double) {
    let n = count
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(2 * n, 1)) { buffer in
      let v = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
      let deviations = UnsafeMutableBufferPointer(rebasing: buffer[n..<(2 * n)])
      for k in 0..<n { v[k] = Double(base[2 + k]) }
      let median = medianInPlace(v)
      for k in 0..<n { deviations[k] = Swift.abs(v[k] - median) }
      let mad = medianInPlace(deviations)
      if mad > 0 { return (median, 1.4826 * mad) }
      // The mean of the smallest three quarters of the deviations (sorted by
      // medianInPlace): robust to a quarter of outliers (an incident in the
      // window) where a plain mean is not. When even those are all 0 (a 0/1
      // series), the plain mean absolute deviation.
      let kept = Swift.max(1, n * 3 / 4)
      var meanDeviation = n == 0 ? 0 : sum(deviations, upTo: Swift.min(kept, n)) / Double(Swift.min(kept, n))
      if meanDeviation == 0, n > 0 { meanDeviation = sum(deviations, upTo: n) / Double(n) }
      return (median, 1.2533 * meanDeviation)
    }
  }
}

private func sum(_ values: UnsafeMutableBufferPointer<Double>, upTo n: Int) -> Double {
  var total = 0.0
  for k in 0..<n { total += values[k] }
  return total
}

/// The median of a buffer (mean of the middle two for even counts); sorts it.
func medianInPlace(_ values: UnsafeMutableBufferPointer<Double>) -> Double {
  guard !values.isEmpty else { return 0 }
  insertionSort(values)
  let mid = values.count / 2
  return values.count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2
}

/// Sorts ascending. The buffers are a detector's window (at most 64 points),
/// where an insertion sort beats the library's general sort several times over.
func insertionSort(_ values: UnsafeMutableBufferPointer<Double>) {
  guard values.count > 1 else { return }
  for i in 1..<values.count {
    let x = values[i]
    var j = i
    while j > 0, values[j - 1] > x {
      values[j] = values[j - 1]
      j -= 1
    }
    values[j] = x
  }
}

/// 24 phase buckets of one period: [baseline, this cycle's mean, its count, cycle] each.
struct SeasonalBuckets {
  static let buckets = 24
  static let fields = 4
  static let size = buckets * fields
  let base: UnsafeMutablePointer<Float>
  let period: Int64

  func slot(_ t: Int64) -> (bucket: UnsafeMutablePointer<Float>, cycle: Float) {
    let p = Swift.max(period, 1)
    let phase = ((t % p) + p) % p
    let index = Int(phase / Swift.max(p / Int64(Self.buckets), 1)) % Self.buckets
    let cycle = t >= 0 ? t / p : (t - p + 1) / p
    return (base + index * Self.fields, Float(cycle))
  }

  /// The bucket's baseline from earlier periods, rolled forward when a new period starts.
  func baseline(at t: Int64) -> Double? {
    let (b, cycle) = slot(t)
    roll(b, cycle)
    return b[0].isNaN ? nil : Double(b[0])
  }

  func add(_ x: Double, at t: Int64) {
    let (b, cycle) = slot(t)
    roll(b, cycle)
    let n = b[2] + 1
    b[1] += (Float(x) - b[1]) / n
    b[2] = n
  }

  /// On the first point of a new cycle the last cycle's mean moves into the baseline.
  /// Fresh state is all zeros: count 0 means "no data", and baseline NaN is set on first use.
  private func roll(_ b: UnsafeMutablePointer<Float>, _ cycle: Float) {
    if b[2] == 0 && b[3] == 0 && b[0] == 0 { b[0] = .nan; b[3] = cycle; return }
    guard b[3] != cycle else { return }
    if b[2] > 0 { b[0] = b[0].isNaN ? b[1] : 0.5 * b[0] + 0.5 * b[1] }
    b[1] = 0
    b[2] = 0
    b[3] = cycle
  }
}
