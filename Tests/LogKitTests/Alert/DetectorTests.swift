// Detectors on known series: warm-up, constant series (MAD = 0), NaN and
// missing values, trends, daily seasonality, noisy spikes, level shifts,
// sparse counts.
import Glibc
import Testing
@testable import LogKit

/// One detector's state for one key, fed a series.
struct DetectorHarness {
  let call: DetectorCall
  var state: [Float]

  init(_ kind: DetectorKind, points: Int = 30, duration: Int64 = 0) {
    call = DetectorCall(kind: kind, argument: .field(["x"]), points: points, duration: duration, slotName: "@d0", text: "\(kind.rawValue)(x)")
    state = Array(repeating: 0, count: Detector.stateSize(call))
  }

  mutating func step(_ x: Double?, at t: Int64 = 0) -> DetectorOutput {
    let call = self.call
    return state.withUnsafeMutableBufferPointer { Detector.step(call, $0.baseAddress.unsafelyUnwrapped, x: x, t: t) }
  }

  /// Scores of a series at one-minute steps from `start`.
  mutating func scores(_ series: [Double], start: Int64 = 0) -> [Double?] {
    series.enumerated().map { step($0.element, at: start + Int64($0.offset) * 60_000_000).score }
  }
}

/// Deterministic noise in [-1, 1).
struct Noise {
  var state: UInt64
  mutating func next() -> Double {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Double(state >> 11) / Double(1 << 53) * 2 - 1
  }
}

@Suite struct DetectorTests {
  @Test func zscoreWarmsUpThenScoresSpikes() {
    var h = DetectorHarness(.zscore)
    var noise = Noise(state: 1)
    let series = (0..<40).map { _ in 100 + 5 * noise.next() }
    let scores = h.scores(series)
    #expect(scores[0..<10].allSatisfy { $0 == nil })
    #expect(scores[10...].allSatisfy { $0.map { Swift.abs($0) < 4 } ?? false })
    let spike = h.step(200).score ?? 0
    #expect(spike > 10)
    #expect(h.step(.nan).score == nil)
    #expect(h.step(nil).score == nil)
  }

  @Test func madScoreIsRobustAndHandlesConstantSeries() {
    var h = DetectorHarness(.mad_score, points: 20)
    let constant = h.scores(Array(repeating: 7, count: 15))
    #expect(constant[0..<10].allSatisfy { $0 == nil })  // warm-up: N/2 points
    #expect(constant[10...].allSatisfy { $0 == 0 })  // MAD = 0, value at the median
    let jump = h.step(8).score ?? 0
    #expect(jump == scoreCap)  // any change after a constant series, capped
    // One earlier outlier does not inflate the spread (unlike a standard deviation).
    var robust = DetectorHarness(.mad_score, points: 20)
    var noise = Noise(state: 3)
    var series = (0..<20).map { _ in 50 + 2 * noise.next() }
    series[5] = 5000
    _ = robust.scores(series)
    #expect((robust.step(70).score ?? 0) > 10)
    #expect(Swift.abs(robust.step(51).score ?? 99) < 2)
  }

  @Test func madScoreFallsBackToMeanDeviationWhenMADIsZero() {
    var h = DetectorHarness(.mad_score, points: 10)
    // Mostly 0 with sparse 1s: MAD is 0, the mean absolute deviation is not.
    _ = h.scores([0, 0, 0, 1, 0, 0, 0, 0, 1, 0])
    let score = h.step(1).score ?? 0
    #expect(score > 0 && score < 10)
  }

  @Test func changeIsTheRatioToThePreviousPoint() {
    var h = DetectorHarness(.change)
    #expect(h.scores([10, 20, 5, 0, 0, 3]) == [nil, 2, 0.25, 0, 1, scoreCap])
    #expect(h.step(nil).score == nil)
    #expect(h.step(6).score == 2)  // missing values do not move the previous point
  }

  /// A daily curve between 100 and 300, at one point per 10 minutes.
  static func diurnal(days: Int, _ noise: inout Noise, amplitude: Double = 5) -> [Double] {
    (0..<(days * 144)).map { i in
      200 + 100 * sin(Double(i % 144) / 144 * 2 * Double.pi) + amplitude * noise.next()
    }
  }

  @Test func seasonalComparesWithTheSamePhaseYesterday() {
    var h = DetectorHarness(.seasonal, duration: 86_400_000_000)
    var noise = Noise(state: 5)
    let series = Self.diurnal(days: 2, &noise)
    let step: Int64 = 600_000_000
    var ratios: [Double?] = []
    for (i, x) in series.enumerated() { ratios.append(h.step(x, at: Int64(i) * step).score) }
    #expect(ratios[0..<3].allSatisfy { $0 == nil })
    // Day two: ratios near 1 (hourly buckets, so a steep hour differs by up to ~20%).
    #expect(ratios[144...].allSatisfy { $0.map { $0 > 0.75 && $0 < 1.3 } ?? false })
    // A drop to 10% at noon of day three is seen as such.
    let drop = h.step(20, at: Int64(2 * 144 + 72) * step).score ?? 1
    #expect(drop < 0.2)
  }

  @Test func anomalyIgnoresDiurnalTrendNoiseAndSparseCounts() {
    var h = DetectorHarness(.anomaly)
    var noise = Noise(state: 9)
    let step: Int64 = 600_000_000
    let series = Self.diurnal(days: 3, &noise, amplitude: 15)
    var maxScore = 0.0
    for (i, x) in series.enumerated() {
      let s = h.step(x, at: Int64(i) * step).score
      if i < AnomalyDetector.warmUp { #expect(s == nil) } else { maxScore = Swift.max(maxScore, s ?? 1) }
    }
    #expect(maxScore < 0.5)
    // A 5x spike and a drop to 2% are anomalous.
    let t = Int64(series.count) * step
    #expect((h.step(5 * 300, at: t).score ?? 0) >= 0.5)
    var drop = DetectorHarness(.anomaly)
    _ = drop.scores(Array(repeating: 1000, count: 40).map { $0 + 30 * noise.next() }.map { $0.rounded() })
    #expect((drop.step(20, at: 40 * 60_000_000).score ?? 0) >= 0.5)
  }

  @Test func anomalyOnSparseCountsAndLinearTrend() {
    var sparse = DetectorHarness(.anomaly)
    var noise = Noise(state: 11)
    // Counts of 0 to 4 per window: a handful more is noise, 40 is not.
    let counts = (0..<200).map { _ in Double(Int((noise.next() + 1) * 2.5)) }
    let scores = sparse.scores(counts)
    #expect(scores.compactMap { $0 }.allSatisfy { $0 < 0.5 })
    #expect((sparse.step(40, at: 300 * 60_000_000).score ?? 0) >= 0.5)
    // A steady trend (+1% per point) is followed, not flagged.
    var trend = DetectorHarness(.anomaly)
    let rising = (0..<200).map { 100 * pow(1.01, Double($0)) }
    #expect(trend.scores(rising).compactMap { $0 }.allSatisfy { $0 < 0.5 })
  }

  @Test func anomalyAbsorbsALevelShiftAndToleratesHeavyTails() {
    var h = DetectorHarness(.anomaly)
    var noise = Noise(state: 13)
    let before = (0..<60).map { _ in 500 + 20 * noise.next() }
    let after = (0..<60).map { _ in 1500 + 60 * noise.next() }
    let scores = h.scores(before + after)
    #expect((scores[60] ?? 0) >= 0.5)  // the shift itself is flagged
    #expect(scores[100...].allSatisfy { ($0 ?? 1) < 0.5 })  // then it is the new normal
    // Heavy-tailed latency: occasional 3x outliers in a noisy series.
    var tails = DetectorHarness(.anomaly)
    let latency = (0..<300).map { i in (i % 37 == 0 ? 3.0 : 1.0) * (0.2 + 0.05 * noise.next()) }
    let tailScores = tails.scores(latency).compactMap { $0 }
    #expect(tailScores.filter { $0 >= 0.5 }.count <= tailScores.count / 30)
  }

  @Test func constantSeriesAndMissingValues() {
    var h = DetectorHarness(.anomaly)
    let flat = h.scores(Array(repeating: 0, count: 20))
    #expect(flat.compactMap { $0 }.allSatisfy { $0 == 0 })
    #expect(h.step(nil).score == nil)
    #expect(h.step(.infinity).score == nil)
    #expect((h.step(50).score ?? 0) >= 0.5)
  }
}

@Suite struct InsertionSortTests {
  @Test func sortsAsTheLibraryDoes() {
    var noise = Noise(state: 5)
    for n in [0, 1, 2, 3, 31, 32, 64] {
      var values = (0..<n).map { _ in (noise.next() * 8).rounded() }  // with ties
      let expected = values.sorted()
      values.withUnsafeMutableBufferPointer { insertionSort($0) }
      #expect(values == expected)
    }
  }
}
