/*
 One alert instance's lifecycle, as in Prometheus, on event time:

   inactive --condition true--> pending --true for `for`--> firing
   pending  --condition false--> inactive (no event)
   firing   --cleared for `keep`--> resolved (then inactive)

 "Cleared" is `not condition`, or with a resolve expression `not condition
 and resolve` (the separate threshold that stops flapping). With `for 0`
 an instance fires on the first true evaluation. A firing instance is
 re-notified every `repeat` (0: never) while it stays firing. An instance
 that receives no record for `stale` resolves (stale: its value is null),
 or, when pending, silently becomes inactive.

 `since` is when the episode began: the first true evaluation, carried by
 the pending, firing and resolved events of that episode.
*/

package enum AlertPhase: UInt8, Sendable, Equatable {
  case inactive, pending, firing

  package var name: String {
    switch self {
    case .inactive: "inactive"
    case .pending: "pending"
    case .firing: "firing"
    }
  }
}

/// What an evaluation changed.
package enum AlertTransition: Sendable, Equatable {
  case pending, firing, repeated, resolved, staleResolved
}

package struct AlertTiming: Sendable, Equatable {
  package var forDuration: Int64 = 0
  package var keep: Int64 = 0
  /// Re-notify interval while firing; 0 disables.
  package var repeatEvery: Int64 = 4 * 3_600_000_000
  package init(forDuration: Int64 = 0, keep: Int64 = 0, repeatEvery: Int64 = 4 * 3_600_000_000) {
    self.forDuration = forDuration
    self.keep = keep
    self.repeatEvery = repeatEvery
  }
}

package struct AlertLifecycle: Sendable, Equatable {
  package private(set) var phase: AlertPhase = .inactive
  package private(set) var since: Int64 = 0
  /// When the current run of cleared evaluations began (while firing).
  package private(set) var clearedSince: Int64?
  package private(set) var lastNotified: Int64 = 0

  package init() {}

  package init(phase: AlertPhase, since: Int64, clearedSince: Int64?, lastNotified: Int64) {
    self.phase = phase
    self.since = since
    self.clearedSince = clearedSince
    self.lastNotified = lastNotified
  }

  /// One evaluation at event time `t`.
  /// - Parameters:
  ///   - active: the condition holds.
  ///   - resolveHolds: the resolve expression holds (nil when the rule has none).
  package mutating func evaluate(at t: Int64, active: Bool, resolveHolds: Bool?, timing: AlertTiming) -> AlertTransition? {
    switch phase {
    case .inactive:
      guard active else { return nil }
      since = t
      if timing.forDuration <= 0 { return fire(at: t) }
      phase = .pending
      return .pending
    case .pending:
      guard active else {
        phase = .inactive
        return nil
      }
      return t - since >= timing.forDuration ? fire(at: t) : nil
    case .firing:
      let cleared = !active && (resolveHolds ?? true)
      guard cleared else {
        clearedSince = nil
        if timing.repeatEvery > 0, t - lastNotified >= timing.repeatEvery {
          lastNotified = t
          return .repeated
        }
        return nil
      }
      let start = clearedSince ?? t
      clearedSince = start
      guard t - start >= timing.keep else { return nil }
      phase = .inactive
      clearedSince = nil
      return .resolved
    }
  }

  /// No record for this instance since `lastSeen`; called as event time advances.
  package mutating func checkStale(at t: Int64, lastSeen: Int64, stale: Int64) -> AlertTransition? {
    guard phase != .inactive, stale > 0, t - lastSeen >= stale else { return nil }
    let wasFiring = phase == .firing
    phase = .inactive
    clearedSince = nil
    return wasFiring ? .staleResolved : nil
  }

  private mutating func fire(at t: Int64) -> AlertTransition {
    phase = .firing
    clearedSince = nil
    lastNotified = t
    return .firing
  }
}
