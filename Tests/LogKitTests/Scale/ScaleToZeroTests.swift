import XCTest
@testable import LogKit

/// KEDA-style activation and cooldown, and the simulated fleet.
final class ScaleToZeroTests: XCTestCase {
  let s = HPAReferenceTests.s

  func zeroConfig(activation: Double? = 5, cooldown: Int64 = 300) -> ScaleConfig {
    var c = ScaleConfig(
      metrics: [ScaleMetric(name: "rps", target: 10, activation: activation)], minReplicas: 0, maxReplicas: 20)
    c.cooldown = cooldown * s
    c.down.window = 0
    return c
  }

  func testStaysAtZeroUntilActivationIsPassed() {
    let c = zeroConfig()
    var scaler = Autoscaler(config: c)
    var d = scaler.evaluate(time: 0, values: [3], current: 0, ready: 0)
    XCTAssertEqual(d.to, 0)
    XCTAssertEqual(d.cause, .idleAtZero)
    d = scaler.evaluate(time: 15 * s, values: [5], current: 0, ready: 0)
    XCTAssertEqual(d.to, 0, "the activation threshold must be passed, not reached")
    d = scaler.evaluate(time: 30 * s, values: [nil], current: 0, ready: 0)
    XCTAssertEqual(d.to, 0, "a missing metric never activates")
    d = scaler.evaluate(time: 45 * s, values: [45], current: 0, ready: 0)
    XCTAssertEqual(d.to, 1)
    XCTAssertEqual(d.cause, .activated(metric: 0))
    XCTAssertEqual(d.reason(c), "rps 45 is above activation 5: waking from zero")
    // Then the HPA takes over from 1 (45 / 10 per replica = 5).
    d = scaler.evaluate(time: 60 * s, values: [45], current: 1, ready: 1)
    XCTAssertEqual(d.to, 5)
  }

  func testCooldownThenZero() {
    let c = zeroConfig()
    var scaler = Autoscaler(config: c)
    var current = 4
    // Active at 0 s, then below activation: HPA floor is 1 until the cooldown has passed.
    var timeline: [(Int64, Int)] = []
    for t in stride(from: Int64(0), through: 330, by: 15) {
      let value: Double = t == 0 ? 40 : 2
      current = scaler.evaluate(time: t * s, values: [value], current: current, ready: current).to
      timeline.append((t, current))
    }
    for (t, n) in timeline {
      let expected = t == 0 ? 4 : (t <= 300 ? 1 : 0)  // zero once more than 300 s passed since 0 s
      XCTAssertEqual(n, expected, "at \(t)s")
    }
    let d = scaler.evaluate(time: 345 * s, values: [2], current: 0, ready: 0)
    XCTAssertEqual(d.cause, .idleAtZero)
    var fresh = Autoscaler(config: c)
    _ = fresh.evaluate(time: 0, values: [40], current: 4, ready: 4)
    let cooled = fresh.evaluate(time: 301 * s, values: [0], current: 1, ready: 1)
    XCTAssertEqual(cooled.cause, .cooledDown(since: 0))
    XCTAssertEqual(cooled.reason(c), "no metric above its activation since 1970-01-01T00:00:00Z (cooldown 5m): scaling to zero")
  }

  func testActivityResetsCooldownAndStartCountsAsActive() {
    let c = zeroConfig(activation: nil, cooldown: 60)  // activation 0: any traffic is activity
    var scaler = Autoscaler(config: c)
    XCTAssertEqual(scaler.evaluate(time: 0, values: [0], current: 2, ready: 2).to, 1, "no drop to zero at the first evaluation")
    XCTAssertEqual(scaler.evaluate(time: 50 * s, values: [1], current: 2, ready: 2).to, 1)
    XCTAssertEqual(scaler.evaluate(time: 100 * s, values: [0], current: 1, ready: 1).to, 1)
    XCTAssertEqual(scaler.evaluate(time: 111 * s, values: [0], current: 1, ready: 1).to, 0)
  }

  func testMinAboveZeroAtZeroIsPaused() {
    let c = ScaleConfig(metrics: [ScaleMetric(name: "rps", target: 10)], minReplicas: 1, maxReplicas: 5)
    var scaler = Autoscaler(config: c)
    let d = scaler.evaluate(time: 0, values: [100], current: 0, ready: 0)
    XCTAssertEqual(d.to, 0)
    XCTAssertEqual(d.cause, .pausedAtZero)
  }

  func testSimulatorStartupDelayAndScaleDownOrder() {
    var fleet = FleetSimulator(replicas: 2, startupDelay: 30 * s)
    fleet.scale(to: 5, at: 0)
    XCTAssertEqual(fleet.total, 5)
    XCTAssertEqual(fleet.ready, 2)
    fleet.advance(to: 29 * s)
    XCTAssertEqual(fleet.ready, 2)
    fleet.scale(to: 7, at: 15 * s)
    fleet.advance(to: 30 * s)
    XCTAssertEqual(fleet.ready, 5)
    // Scaling down removes the starting replicas first.
    fleet.scale(to: 6, at: 31 * s)
    XCTAssertEqual(fleet.total, 6)
    XCTAssertEqual(fleet.ready, 5)
    fleet.scale(to: 3, at: 32 * s)
    XCTAssertEqual(fleet.total, 3)
    XCTAssertEqual(fleet.ready, 3)
    fleet.advance(to: 100 * s)
    XCTAssertEqual(fleet.ready, 3)
    var instant = FleetSimulator(replicas: 1, startupDelay: 0)
    instant.scale(to: 4, at: 0)
    XCTAssertEqual(instant.ready, 4)
  }

  func testConfigValidation() {
    var c = ScaleConfig(metrics: [ScaleMetric(name: "rps", target: 10)], minReplicas: 3, maxReplicas: 2)
    XCTAssertThrowsError(try c.validate()) { XCTAssertEqual($0 as? ScaleConfigError, .minAboveMax(min: 3, max: 2)) }
    c.minReplicas = 1
    c.metrics[0].target = 0
    XCTAssertThrowsError(try c.validate())
    c.metrics[0].target = 10
    c.up.policies = [ScalingPolicy(.pods, 0, per: 15 * s)]
    XCTAssertThrowsError(try c.validate()) { error in
      XCTAssertEqual("\(error)", "scale-up policy 'pods=0 per 15s': the value must be positive")
    }
    c.up = .defaultUp
    c.toleranceDown = 1
    XCTAssertThrowsError(try c.validate())
    c.toleranceDown = 0.1
    XCTAssertNoThrow(try c.validate())
  }
}
