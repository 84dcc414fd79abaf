// anomaly() on latency series as logwindow makes them: the median and the
// p95 of the 30 to 80 requests a path has per minute, log-normal request
// times (sigma 0.55, as loggen draws them) with a daily load cycle. The
// median is the series the default latency rule tests (examples/rules/web.rules):
// a day of normal traffic scores below 0.5 everywhere, and a 3x slowdown of
// the path scores above it in its first window.
import Glibc
import Testing
import LogKitTestSupport
@testable import LogKit

/// Per-minute median and p95 of `n` log-normal request times around `median` seconds.
struct LatencyWindows {
  var rng: TestRNG

  mutating func normal() -> Double {
    let u = Double.random(in: Double.ulpOfOne..<1, using: &rng), v = Double.random(in: 0..<1, using: &rng)
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }

  mutating func window(requests n: Int, median: Double, factor: Double = 1) -> (p50: Double, p95: Double) {
    var times = (0..<n).map { _ in median * exp(0.55 * normal()) * factor }
    times.sort()
    return (times[n / 2], times[Swift.min(n - 1, Int(0.95 * Double(n)))])
  }
}

@Suite struct LatencySeriesTests {
  /// Requests per minute and median latency through a day: a load cycle.
  static func load(_ minute: Int) -> (requests: Int, median: Double) {
    let phase = sin(2 * Double.pi * Double(minute) / 1440)
    return (55 + Int(25 * phase), 0.08 * (1 + 0.3 * phase))
  }

  @Test func medianOfADayOfNormalTrafficIsNeverAnomalous() {
    var windows = LatencyWindows(rng: TestRNG(seed: 11))
    var h = DetectorHarness(.anomaly)
    var highest = 0.0
    for m in 0..<1440 {
      let (n, median) = Self.load(m)
      let score = h.step(windows.window(requests: n, median: median).p50, at: Int64(m) * 60_000_000).score ?? 0
      highest = Swift.max(highest, score)
    }
    #expect(highest < 0.5)
  }

  @Test func aThreefoldSlowdownIsAnomalousInItsFirstWindow() {
    var windows = LatencyWindows(rng: TestRNG(seed: 12))
    var h = DetectorHarness(.anomaly)
    for m in 0..<120 {
      let (n, median) = Self.load(m)
      _ = h.step(windows.window(requests: n, median: median).p50, at: Int64(m) * 60_000_000)
    }
    let (n, median) = Self.load(120)
    let slow = windows.window(requests: Swift.min(n, 30), median: median, factor: 3)
    #expect((h.step(slow.p50, at: 120 * 60_000_000).score ?? 0) >= 0.5)
  }

  @Test func p95OfTheSameRequestsIsNoisierThanTheMedian() {
    var windows = LatencyWindows(rng: TestRNG(seed: 13))
    var p50 = DetectorHarness(.anomaly), p95 = DetectorHarness(.anomaly)
    var high50 = 0.0, high95 = 0.0
    for m in 0..<1440 {
      let (n, median) = Self.load(m)
      let w = windows.window(requests: n, median: median)
      high50 = Swift.max(high50, p50.step(w.p50, at: Int64(m) * 60_000_000).score ?? 0)
      high95 = Swift.max(high95, p95.step(w.p95, at: Int64(m) * 60_000_000).score ?? 0)
    }
    // Why the rule tests the median: the same day's p95 comes much closer to the threshold.
    #expect(high95 > high50)
  }
}
