/*
 One evaluation of the autoscaler: metric values in, a decision out.

 The order follows the HPA controller's reconcile loop, with KEDA's
 scale-to-zero in front of it:

   scale to zero (min 0): at 0, wake to 1 when a metric is above its
     activation; otherwise go to 0 once no metric has been above its
     activation for longer than the cooldown. In between, the HPA runs with
     a floor of 1.
   current 0 with min >= 1: autoscaling is off (Kubernetes' convention for a
     workload scaled to zero by hand).
   current above max (below min): go to max (min).
   proposals: one per metric, the largest wins; if every metric is missing,
     or some are and the rest propose a scale-down, nothing changes.
   behavior: stabilization, then rate policies and the replica limits.
*/

/// Why the decision is what it is, before any limit.
package enum ScaleCause: Sendable, Equatable {
  /// The metrics' proposal, `driver` being the metric with the largest one.
  case metrics(driver: Int)
  case allMissing
  /// Some metrics are missing and the others propose fewer replicas.
  case missingBlocksScaleDown(driver: Int)
  case pausedAtZero
  case aboveMax
  case belowMin
  /// Woken from zero by this metric being above its activation.
  case activated(metric: Int)
  case idleAtZero
  /// No metric above its activation since `since`.
  case cooledDown(since: EpochMicros)
}

/// One evaluation's outcome.
package struct ScaleDecision: Sendable {
  package var time: EpochMicros
  package var from: Int
  package var to: Int
  /// The metrics' recommendation before stabilization, policies and limits.
  package var desired: Int
  package var ready: Int
  /// Metric values (nil: missing) and proposals (nil: none), in configuration order.
  package var values: [Double?]
  package var proposals: [MetricProposal?]
  package var cause: ScaleCause
  /// The stabilization window that changed the recommendation, if any.
  package var stabilized: ScaleLimit?
  /// The policy or replica limit that changed it next, if any.
  package var limited: ScaleLimit?

  package var changed: Bool { from != to }
}

package struct Autoscaler: Sendable {
  package let config: ScaleConfig
  package var history = ScaleHistory()
  private var proposals: [MetricProposal?]

  package init(config: ScaleConfig) {
    self.config = config
    proposals = Array(repeating: nil, count: config.metrics.count)
  }

  /// Evaluates at event time `now` with `current` replicas of which `ready` are ready.
  package mutating func evaluate(time now: EpochMicros, values: [Double?], current: Int, ready: Int) -> ScaleDecision {
    var missing = 0
    var driver = -1
    for i in 0..<config.metrics.count {
      let value = i < values.count ? values[i] : nil
      proposals[i] = value.flatMap {
        ReplicaCalculator.propose(
          config.metrics[i], value: $0, current: current, ready: ready,
          toleranceUp: config.toleranceUp, toleranceDown: config.toleranceDown)
      }
      if let p = proposals[i] {
        if driver < 0 || p.replicas > (proposals[driver]?.replicas ?? 0) { driver = i }
      } else {
        missing += 1
      }
    }
    let desired = driver >= 0 ? (proposals[driver]?.replicas ?? current) : current
    var d = ScaleDecision(
      time: now, from: current, to: current, desired: desired, ready: ready, values: values,
      proposals: proposals, cause: .allMissing, stabilized: nil, limited: nil)
    if let early = zeroOrLimits(&d, values: values) {
      d.cause = early
    } else if driver < 0 {
      d.cause = .allMissing
    } else if missing > 0 && desired < current {
      d.cause = .missingBlocksScaleDown(driver: driver)
    } else {
      d.cause = .metrics(driver: driver)
      let (stabilized, windowLimit) = history.stabilize(
        desired: desired, current: current, now: now, up: config.up, down: config.down)
      let (limited, rateLimit) = history.limitRate(stabilized, current: current, now: now, config: config)
      d.to = limited
      d.stabilized = windowLimit
      d.limited = rateLimit
    }
    if d.to != current { history.recordScale(from: current, to: d.to, now: now, config: config) }
    return d
  }

  /// The cases decided before the metrics' proposal: zero, and a count outside the limits.
  private mutating func zeroOrLimits(_ d: inout ScaleDecision, values: [Double?]) -> ScaleCause? {
    let current = d.from
    if config.scalesToZero {
      let active = firstActive(values)
      // The cooldown runs from the first evaluation, so a start in quiet traffic does not drop to zero at once.
      if active != nil || history.lastActive == nil { history.lastActive = d.time }
      if current == 0 {
        guard let active else { return .idleAtZero }
        d.to = 1
        return .activated(metric: active)
      }
      if active == nil, let since = history.lastActive, d.time &- since > config.cooldown {
        d.to = 0
        return .cooledDown(since: since)
      }
    } else if current == 0 {
      return .pausedAtZero
    }
    if current > config.maxReplicas {
      d.to = config.maxReplicas
      return .aboveMax
    }
    if current < config.hpaMinimum {
      d.to = config.hpaMinimum
      return .belowMin
    }
    return nil
  }

  /// The first metric whose value is above its activation threshold.
  private func firstActive(_ values: [Double?]) -> Int? {
    for i in 0..<Swift.min(values.count, config.metrics.count) {
      if let v = values[i], v > (config.metrics[i].activation ?? 0) { return i }
    }
    return nil
  }
}
