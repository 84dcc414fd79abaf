import XCTest
@testable import LogKit

/// The Kubernetes HPA documentation's worked examples and the behaviours its
/// controller tests cover, replayed through the engine.
final class HPAReferenceTests: XCTestCase {
  static let s: Int64 = 1_000_000

  static func config(
    _ kind: ScaleMetricKind = .average, target: Double = 100, min: Int = 1, max: Int = 1000,
    up: ScalingRules = .defaultUp, down: ScalingRules = .defaultDown
  ) -> ScaleConfig {
    var c = ScaleConfig(metrics: [ScaleMetric(name: "m", target: target, kind: kind)], minReplicas: min, maxReplicas: max)
    c.up = up
    c.down = down
    return c
  }

  /// Runs evaluations at `times` (seconds) with `value(t)`, each decision being the next current count.
  static func walk(
    _ config: ScaleConfig, from start: Int, times: [Int64], value: (Int64) -> Double?
  ) -> [Int] {
    var scaler = Autoscaler(config: config)
    var current = start
    var counts: [Int] = []
    for t in times {
      current = scaler.evaluate(time: t * s, values: [value(t)], current: current, ready: current).to
      counts.append(current)
    }
    return counts
  }

  // MARK: Algorithm details

  func testDocumentedRatioExamples() {
    // "if the current metric value is 200m, and the desired value is 100m, the number of replicas
    // will be doubled ... If the current value is instead 50m, you'll halve the number of replicas"
    let metric = ScaleMetric(name: "cpu", target: 0.1, kind: .value)
    let doubled = ReplicaCalculator.propose(metric, value: 0.2, current: 6, ready: 6, toleranceUp: 0.1, toleranceDown: 0.1)
    XCTAssertEqual(doubled?.replicas, 12)
    let halved = ReplicaCalculator.propose(metric, value: 0.05, current: 6, ready: 6, toleranceUp: 0.1, toleranceDown: 0.1)
    XCTAssertEqual(halved?.replicas, 3)
    // desiredReplicas = ceil[currentReplicas * ( currentMetricValue / desiredMetricValue )]
    let rounded = ReplicaCalculator.propose(metric, value: 0.13, current: 5, ready: 5, toleranceUp: 0.1, toleranceDown: 0.1)
    XCTAssertEqual(rounded?.replicas, 7)  // ceil(6.5)
  }

  func testToleranceSkipsRatiosCloseToOne() {
    let metric = ScaleMetric(name: "rps", target: 200)
    func proposal(_ value: Double, up: Double = 0.1, down: Double = 0.1) -> Int? {
      ReplicaCalculator.propose(metric, value: value, current: 10, ready: 10, toleranceUp: up, toleranceDown: down)?.replicas
    }
    XCTAssertEqual(proposal(2180), 10)  // ratio 1.09: within 0.1
    XCTAssertEqual(proposal(2200), 10)  // ratio 1.1: the band is inclusive
    XCTAssertEqual(proposal(2240), 12)  // ratio 1.12: ceil(2240 / 200)
    XCTAssertEqual(proposal(1820), 10)  // ratio 0.91
    XCTAssertEqual(proposal(1760), 9)   // ratio 0.88: ceil(8.8)
    // Per direction (Kubernetes' configurable tolerance): slow to scale up, quick to scale down.
    XCTAssertEqual(proposal(2800, up: 0.5, down: 0), 10)
    XCTAssertEqual(proposal(1980, up: 0.5, down: 0), 10)  // ceil(9.9) is 10 anyway
    XCTAssertEqual(proposal(1700, up: 0.5, down: 0), 9)
    XCTAssertEqual(proposal(3100, up: 0.5, down: 0), 16)
  }

  func testAverageValueIsFleetTotalOverTarget() {
    // An external AverageValue metric: ceil(total / per-replica target), whatever the current count.
    let metric = ScaleMetric(name: "rps", target: 200)
    XCTAssertEqual(ReplicaCalculator.propose(metric, value: 812, current: 4, ready: 4, toleranceUp: 0.1, toleranceDown: 0.1)?.withinTolerance, true)
    XCTAssertEqual(ReplicaCalculator.propose(metric, value: 1000, current: 4, ready: 4, toleranceUp: 0.1, toleranceDown: 0.1)?.replicas, 5)
    XCTAssertEqual(ReplicaCalculator.propose(metric, value: 1000, current: 2, ready: 1, toleranceUp: 0.1, toleranceDown: 0.1)?.replicas, 5)
    // From zero there is no ratio: ceil(value / target).
    XCTAssertEqual(ReplicaCalculator.propose(metric, value: 450, current: 0, ready: 0, toleranceUp: 0.1, toleranceDown: 0.1)?.replicas, 3)
    // A value metric uses the ready replicas and has no proposal without one.
    let latency = ScaleMetric(name: "p95", target: 0.3, kind: .value)
    XCTAssertEqual(ReplicaCalculator.propose(latency, value: 0.6, current: 6, ready: 4, toleranceUp: 0.1, toleranceDown: 0.1)?.replicas, 8)
    XCTAssertNil(ReplicaCalculator.propose(latency, value: 0.6, current: 2, ready: 0, toleranceUp: 0.1, toleranceDown: 0.1))
  }

  // MARK: Stabilization windows

  func testScaleDownWindowUsesHighestRecommendation() {
    // Default: 300 s scale-down window. Traffic drops at t=0 from 10 replicas' worth to 4.
    let c = Self.config()
    let times = Array(stride(from: Int64(0), through: 420, by: 15))
    let counts = Self.walk(c, from: 10, times: times) { t in t == 105 ? 800 : 400 }
    for (t, n) in zip(times, counts) {
      // Before 300 s the start count (10) is in the window; then the spike at 105 s (8) until 405 s.
      let expected = t < 300 ? 10 : (t < 405 ? 8 : 4)
      XCTAssertEqual(n, expected, "at \(t)s")
    }
  }

  func testScaleUpWindowUsesLowestRecommendation() {
    let up = ScalingRules(window: 60 * Self.s, policies: ScalingRules.defaultUp.policies)
    let c = Self.config(up: up)
    let times = Array(stride(from: Int64(0), through: 90, by: 15))
    let counts = Self.walk(c, from: 4, times: times) { _ in 800 }
    // The window holds the start count until every recommendation in (now - 60 s, now] says 8.
    XCTAssertEqual(counts, [4, 4, 4, 4, 8, 8, 8])
    var scaler = Autoscaler(config: c)
    let d = scaler.evaluate(time: 0, values: [800], current: 4, ready: 4)
    XCTAssertEqual(d.stabilized, .upWindow(4))
    XCTAssertTrue(d.reason(c).contains("scale-up window 1m holds the lowest recent recommendation, 4"), d.reason(c))
  }

  // MARK: Policies

  func testDefaultScaleUpPolicies() {
    // Default: the larger of +100 % and +4 per 15 s.
    let c = Self.config(down: ScalingRules(window: 0, policies: ScalingRules.defaultDown.policies))
    XCTAssertEqual(Self.walk(c, from: 1, times: [0, 15, 30, 45]) { _ in 2000 }, [5, 10, 20, 20])
    XCTAssertEqual(Self.walk(c, from: 6, times: [0, 15, 30]) { _ in 5000 }, [12, 24, 48])
    // Evaluations every 5 s: a change counts against its period for (t, t + 15 s].
    XCTAssertEqual(
      Self.walk(c, from: 4, times: [0, 5, 10, 15, 20, 25, 30]) { _ in 2000 }, [8, 8, 8, 16, 16, 16, 20])
  }

  func testDocumentedEightyToTenScaleDownWalk() {
    // behavior.scaleDown.policies: Pods 4 per 60 s and Percent 10 per 60 s (select Max).
    // "when there are 80 replicas and the target has to be scaled down to 10 replicas then during the
    // first step 8 replicas will be reduced. In the next iteration when the number of replicas is 72,
    // 10% of the pods is 7.2 but the number is rounded up to 8 ... When the number of replicas falls
    // below 40 the first policy (Pods) is applied and 4 replicas will be reduced at a time."
    let down = ScalingRules(
      window: 0, policies: [ScalingPolicy(.pods, 4, per: 60 * Self.s), ScalingPolicy(.percent, 10, per: 60 * Self.s)])
    let c = Self.config(target: 100, down: down)
    let times = Array(stride(from: Int64(0), through: 14 * 60, by: 60))
    let counts = Self.walk(c, from: 80, times: times) { _ in 1000 }
    XCTAssertEqual(counts, [72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10, 10])
    // Evaluated every 15 s, the steps still come once per 60 s period.
    let fine = Self.walk(c, from: 80, times: Array(stride(from: Int64(0), through: 135, by: 15))) { _ in 1000 }
    XCTAssertEqual(fine, [72, 72, 72, 72, 64, 64, 64, 64, 57, 57])
    var scaler = Autoscaler(config: c)
    let first = scaler.evaluate(time: 0, values: [1000], current: 80, ready: 80)
    XCTAssertEqual(first.limited, .downPolicy(ScalingPolicy(.percent, 10, per: 60 * Self.s)))
    XCTAssertTrue(first.reason(c).hasSuffix("down policy percent=10 per 1m allows 72"), first.reason(c))
  }

  func testSelectMinAndDisabled() {
    // "To ensure that no more than 5 Pods are removed per minute, you can add a second scale-down
    // policy with a fixed size of 5, and set selectPolicy to minimum."
    let down = ScalingRules(
      window: 0, policies: [ScalingPolicy(.percent, 10, per: 60 * Self.s), ScalingPolicy(.pods, 5, per: 60 * Self.s)],
      select: .min)
    let c = Self.config(down: down)
    XCTAssertEqual(Self.walk(c, from: 80, times: [0, 60, 120]) { _ in 1000 }, [75, 70, 65])
    XCTAssertEqual(Self.walk(c, from: 40, times: [0, 60]) { _ in 1000 }, [36, 32])  // 10 % is now the smaller change
    // selectPolicy: Disabled turns a direction off.
    var off = ScalingRules.defaultDown
    off.select = .disabled
    let noDown = Self.config(down: off)
    XCTAssertEqual(Self.walk(noDown, from: 10, times: [0, 400, 800]) { _ in 100 }, [10, 10, 10])
    var scaler = Autoscaler(config: noDown)
    _ = scaler.evaluate(time: 0, values: [100], current: 10, ready: 10)
    let d = scaler.evaluate(time: 400 * Self.s, values: [100], current: 10, ready: 10)
    XCTAssertEqual(d.limited, .downDisabled)
    var upOff = ScalingRules.defaultUp
    upOff.select = .disabled
    XCTAssertEqual(Self.walk(Self.config(up: upOff), from: 2, times: [0, 15]) { _ in 1000 }, [2, 2])
  }

  func testPercentRoundsTowardsChange() {
    let up = ScalingRules(window: 0, policies: [ScalingPolicy(.percent, 50, per: 15 * Self.s)])
    XCTAssertEqual(Self.walk(Self.config(up: up), from: 3, times: [0]) { _ in 10_000 }, [5])  // ceil(4.5)
    XCTAssertEqual(Self.walk(Self.config(up: up), from: 1, times: [0, 15]) { _ in 10_000 }, [2, 3])  // never stuck at 1
    let down = ScalingRules(window: 0, policies: [ScalingPolicy(.percent, 50, per: 15 * Self.s)])
    XCTAssertEqual(Self.walk(Self.config(down: down), from: 5, times: [0]) { _ in 1 }, [2])  // 2.5 kept -> 2
  }

  func testPeriodCountsChangesInBothDirections() {
    // The period's start count is current - added + removed within (now - period, now].
    var history = ScaleHistory()
    history.upEvents = [TimedCount(time: 100 * Self.s, replicas: 10)]
    let (limit, policy) = history.scaleUpLimit(
      current: 100, now: 105 * Self.s, rules: ScalingRules(window: 0, policies: [ScalingPolicy(.percent, 100, per: 60 * Self.s)]))
    XCTAssertEqual(limit, 180)  // period start 90, doubled
    XCTAssertEqual(policy?.kind, .percent)
    history.downEvents = [TimedCount(time: 50 * Self.s, replicas: 5)]
    let (floor, _) = history.scaleDownLimit(
      current: 10, now: 105 * Self.s, rules: ScalingRules(window: 0, policies: [ScalingPolicy(.pods, 2, per: 60 * Self.s)]))
    XCTAssertEqual(floor, 3)  // period start 10 - 10 + 5 = 5, minus 2
    // An event exactly one period old no longer counts.
    XCTAssertEqual(ScaleHistory.change(in: history.upEvents, period: 5 * Self.s, now: 105 * Self.s), 0)
    XCTAssertEqual(ScaleHistory.change(in: history.upEvents, period: 5 * Self.s + 1, now: 105 * Self.s), 10)
  }

  // MARK: Limits and several metrics

  func testMinMaxClamping() {
    let c = Self.config(min: 2, max: 10)
    var scaler = Autoscaler(config: c)
    var d = scaler.evaluate(time: 0, values: [5000], current: 8, ready: 8)
    XCTAssertEqual(d.to, 10)
    XCTAssertEqual(d.desired, 50)
    XCTAssertEqual(d.limited, .maxReplicas)
    scaler = Autoscaler(config: c)
    d = scaler.evaluate(time: 0, values: [5000], current: 2, ready: 2)
    XCTAssertEqual(d.to, 6)  // the policies (max of +100 %, +4) bind before max
    XCTAssertEqual(d.limited, .upPolicy(ScalingPolicy(.pods, 4, per: 15 * Self.s)))
    d = scaler.evaluate(time: 15 * Self.s, values: [5000], current: 12, ready: 12)
    XCTAssertEqual(d.to, 10)
    XCTAssertEqual(d.cause, .aboveMax)
    let quick = Self.config(min: 2, max: 10, down: ScalingRules(window: 0, policies: ScalingRules.defaultDown.policies))
    scaler = Autoscaler(config: quick)
    d = scaler.evaluate(time: 0, values: [0], current: 6, ready: 6)
    XCTAssertEqual(d.to, 2)
    XCTAssertEqual(d.limited, .minReplicas)
    d = scaler.evaluate(time: 15 * Self.s, values: [0], current: 1, ready: 1)
    XCTAssertEqual(d.to, 2)
    XCTAssertEqual(d.cause, .belowMin)
  }

  func testLargestProposalWinsAndMissingMetrics() {
    var c = Self.config(down: ScalingRules(window: 0, policies: ScalingRules.defaultDown.policies))
    c.metrics = [ScaleMetric(name: "rps", target: 100), ScaleMetric(name: "p95", target: 0.3, kind: .value)]
    var scaler = Autoscaler(config: c)
    var d = scaler.evaluate(time: 0, values: [400, 0.9], current: 4, ready: 4)
    XCTAssertEqual(d.to, 8)  // p95 proposes 12 (rps 4), limited to 8 by +100 %
    XCTAssertEqual(d.cause, .metrics(driver: 1))
    XCTAssertEqual(d.desired, 12)
    // p95 missing, rps proposes a scale-down: no scaling (as the HPA).
    d = scaler.evaluate(time: 15 * Self.s, values: [200, nil], current: 8, ready: 8)
    XCTAssertEqual(d.to, 8)
    XCTAssertEqual(d.cause, .missingBlocksScaleDown(driver: 0))
    XCTAssertTrue(d.reason(c).hasPrefix("p95 missing and rps 200"), d.reason(c))
    // p95 missing, rps proposes a scale-up: go ahead.
    d = scaler.evaluate(time: 30 * Self.s, values: [1200, nil], current: 8, ready: 8)
    XCTAssertEqual(d.to, 12)
    // Every metric missing: nothing changes.
    d = scaler.evaluate(time: 45 * Self.s, values: [nil, nil], current: 12, ready: 12)
    XCTAssertEqual(d.to, 12)
    XCTAssertEqual(d.cause, .allMissing)
  }

  func testFreshControllerWaitsOneScaleDownWindow() {
    // A new controller starts its window with the current count: no scale-down for 300 s.
    let counts = Self.walk(Self.config(), from: 10, times: [0, 150, 299, 300]) { _ in 100 }
    XCTAssertEqual(counts, [10, 10, 10, 1])
  }
}
