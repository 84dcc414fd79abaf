/*
 The HPA `behavior` machinery: the history the controller keeps (past
 recommendations, past scale events) and the two steps it applies to a
 metric-derived recommendation.

 1. Stabilization: the recommendation is brought within [lowest recent
    recommendation in the scale-up window, highest recent recommendation in
    the scale-down window], starting from the current count; the raw
    recommendation is then remembered.
 2. Rate: each policy allows a change relative to the replica count at the
    start of its period (current minus what was added, plus what was removed,
    in the period); `max` selects the policy allowing the largest change,
    `min` the smallest, `disabled` none. Percent rounds up when adding and
    down when removing (the removed count rounds up), as the controller does.

 A recommendation or event at time t counts when t is in (now - W, now].
*/

/// A replica count (or change) at an event time.
package struct TimedCount: Sendable, Equatable {
  package var time: EpochMicros
  package var replicas: Int

  package init(time: EpochMicros, replicas: Int) {
    self.time = time
    self.replicas = replicas
  }
}

/// What the controller remembers between evaluations (and --state keeps).
package struct ScaleHistory: Sendable, Equatable {
  /// Raw (unstabilized) recommendations.
  package var recommendations: [TimedCount] = []
  /// Replicas added by each scale-up.
  package var upEvents: [TimedCount] = []
  /// Replicas removed by each scale-down.
  package var downEvents: [TimedCount] = []
  /// Last evaluation at which a metric was above its activation (scale-to-zero only).
  package var lastActive: EpochMicros?

  package init() {}

  /// Sum of changes in (now - period, now].
  static func change(in events: [TimedCount], period: Int64, now: EpochMicros) -> Int {
    let cutoff = now &- period
    var total = 0
    for e in events where e.time > cutoff { total &+= e.replicas }
    return total
  }

  /// The replica count at the start of a policy's period.
  func periodStart(current: Int, period: Int64, now: EpochMicros) -> Int {
    current - Self.change(in: upEvents, period: period, now: now) + Self.change(in: downEvents, period: period, now: now)
  }

  /// Remembers a scale from `from` to `to`, forgetting events no policy can see any more.
  mutating func recordScale(from: Int, to: Int, now: EpochMicros, config: ScaleConfig) {
    if to > from {
      Self.prune(&upEvents, olderThan: now &- config.up.longestPeriod)
      upEvents.append(TimedCount(time: now, replicas: to - from))
    } else if to < from {
      Self.prune(&downEvents, olderThan: now &- config.down.longestPeriod)
      downEvents.append(TimedCount(time: now, replicas: from - to))
    }
  }

  /// Forgets the scale recorded at `time` from `from` to `to` (it did not happen: the
  /// actuator failed), so policies measure from the count the fleet still has.
  package mutating func forgetScale(from: Int, to: Int, at time: EpochMicros) {
    let change = TimedCount(time: time, replicas: abs(to - from))
    if to > from, let i = upEvents.lastIndex(of: change) { upEvents.remove(at: i) }
    if to < from, let i = downEvents.lastIndex(of: change) { downEvents.remove(at: i) }
  }

  /// Events are in time order: drops the prefix at or before `cutoff`.
  private static func prune(_ events: inout [TimedCount], olderThan cutoff: EpochMicros) {
    var stale = 0
    while stale < events.count, events[stale].time <= cutoff { stale += 1 }
    if stale > 0 { events.removeFirst(stale) }
  }
}

/// Why a recommendation was changed on its way to the decision.
package enum ScaleLimit: Sendable, Equatable {
  /// The scale-up window held the lowest recent recommendation.
  case upWindow(Int)
  /// The scale-down window held the highest recent recommendation.
  case downWindow(Int)
  case upPolicy(ScalingPolicy)
  case downPolicy(ScalingPolicy)
  case upDisabled
  case downDisabled
  case maxReplicas
  case minReplicas
}

extension ScaleHistory {
  /// Step 1: stabilizes `desired` and remembers it.
  mutating func stabilize(
    desired: Int, current: Int, now: EpochMicros, up: ScalingRules, down: ScalingRules
  ) -> (replicas: Int, limit: ScaleLimit?) {
    if recommendations.isEmpty {
      // A fresh controller does not scale down within its first window (as the controller does).
      recommendations.append(TimedCount(time: now, replicas: current))
    }
    let upCutoff = now &- up.window
    let downCutoff = now &- down.window
    var lowest = desired
    var highest = desired
    // Recommendations are in time order: walk back from the newest until both windows are passed.
    let oldest = Swift.min(upCutoff, downCutoff)
    var i = recommendations.count
    while i > 0 {
      i -= 1
      let r = recommendations[i]
      if r.time <= oldest {
        i += 1
        break
      }
      if r.time > upCutoff, r.replicas < lowest { lowest = r.replicas }
      if r.time > downCutoff, r.replicas > highest { highest = r.replicas }
    }
    let stabilized = Swift.min(Swift.max(current, lowest), highest)
    // `i` entries are outside both windows: drop them in batches (they are never counted).
    if i >= 64 || (i > 0 && i == recommendations.count) { recommendations.removeFirst(i) }
    recommendations.append(TimedCount(time: now, replicas: desired))
    if stabilized == desired { return (stabilized, nil) }
    return (stabilized, desired > stabilized ? .upWindow(stabilized) : .downWindow(stabilized))
  }

  /// Step 2: the highest count the scale-up policies allow now, and the policy that allows it.
  func scaleUpLimit(current: Int, now: EpochMicros, rules: ScalingRules) -> (replicas: Int, policy: ScalingPolicy?) {
    guard rules.select != .disabled else { return (current, nil) }
    var best: (replicas: Int, policy: ScalingPolicy?) = (rules.select == .max ? Int.min : Int.max, nil)
    for policy in rules.policies {
      let start = periodStart(current: current, period: policy.period, now: now)
      let allowed: Int
      switch policy.kind {
      case .pods: allowed = start &+ policy.value
      case .percent: allowed = ReplicaCalculator.ceilReplicas(Double(start) * (1 + Double(policy.value) / 100))
      }
      if rules.select == .max ? allowed > best.replicas : allowed < best.replicas { best = (allowed, policy) }
    }
    return best
  }

  /// Step 2: the lowest count the scale-down policies allow now, and the policy that allows it.
  func scaleDownLimit(current: Int, now: EpochMicros, rules: ScalingRules) -> (replicas: Int, policy: ScalingPolicy?) {
    guard rules.select != .disabled else { return (current, nil) }
    var best: (replicas: Int, policy: ScalingPolicy?) = (rules.select == .max ? Int.max : Int.min, nil)
    for policy in rules.policies {
      let start = periodStart(current: current, period: policy.period, now: now)
      let allowed: Int
      switch policy.kind {
      case .pods: allowed = start &- policy.value
      case .percent:
        let kept = Double(start) * (1 - Double(policy.value) / 100)
        allowed = kept <= 0 ? 0 : Int(Swift.min(kept, Double(ScaleConfig.replicaLimit)).rounded(.towardZero))
      }
      if rules.select == .max ? allowed < best.replicas : allowed > best.replicas { best = (allowed, policy) }
    }
    return best
  }

  /// Step 2 applied: `stabilized` within the policies' rate and the replica limits.
  func limitRate(
    _ stabilized: Int, current: Int, now: EpochMicros, config: ScaleConfig
  ) -> (replicas: Int, limit: ScaleLimit?) {
    if stabilized > current {
      let (limit, policy) = scaleUpLimit(current: current, now: now, rules: config.up)
      let upLimit = Swift.max(limit, current)
      let ceiling = Swift.min(upLimit, config.maxReplicas)
      guard stabilized > ceiling else { return (stabilized, nil) }
      if config.maxReplicas <= upLimit { return (ceiling, .maxReplicas) }
      return (ceiling, policy.map(ScaleLimit.upPolicy) ?? .upDisabled)
    }
    if stabilized < current {
      let (limit, policy) = scaleDownLimit(current: current, now: now, rules: config.down)
      let downLimit = Swift.min(limit, current)
      let floor = Swift.max(downLimit, config.hpaMinimum)
      guard stabilized < floor else { return (stabilized, nil) }
      if config.hpaMinimum >= downLimit { return (floor, .minReplicas) }
      return (floor, policy.map(ScaleLimit.downPolicy) ?? .downDisabled)
    }
    return (stabilized, nil)
  }
}
