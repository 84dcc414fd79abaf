/*
 Alert events (logalert) and scale decisions (logscale) as the dashboard
 keeps them: the firing board, the timelines and the replica history, all
 bounded.
*/

package struct DashAlertEvent: Sendable, Equatable {
  package enum State: String, Sendable { case pending, firing, resolved }
  package var time: EpochMicros
  package var alert: String
  package var state: State
  package var since: EpochMicros?
  /// The rule's key fields as `name=value`, space-separated ("" without keys).
  package var keys: String
  package var value: Double?
  package var summary: String

  /// Identity on the board: rule name plus keys.
  package var identity: String { keys.isEmpty ? alert : alert + " " + keys }
}

package struct DashScaleDecision: Sendable, Equatable {
  package var time: EpochMicros
  package var from: Int
  package var to: Int
  package var desired: Int?
  package var reason: String
  /// Metric name and value, in record order.
  package var metrics: [(String, Double)]

  package static func == (a: DashScaleDecision, b: DashScaleDecision) -> Bool {
    a.time == b.time && a.from == b.from && a.to == b.to && a.desired == b.desired && a.reason == b.reason
      && a.metrics.map(\.0) == b.metrics.map(\.0) && a.metrics.map(\.1) == b.metrics.map(\.1)
  }
}

/// Alerts now pending or firing, and every event (bounded) for the timeline.
package struct AlertBoard: Sendable {
  /// identity -> the event that made it pending or firing.
  package private(set) var active: [String: DashAlertEvent] = [:]
  package private(set) var timeline: RingBuffer<DashAlertEvent>
  package private(set) var firedCount = 0
  package private(set) var resolvedCount = 0
  /// Active alerts not tracked because the board was full.
  package private(set) var overflow = 0
  let maxActive = 1000

  package init(timelineCapacity: Int) {
    timeline = RingBuffer(capacity: timelineCapacity)
  }

  package mutating func add(_ event: DashAlertEvent) {
    timeline.append(event)
    switch event.state {
    case .resolved:
      resolvedCount &+= 1
      active[event.identity] = nil
    case .pending, .firing:
      if event.state == .firing { firedCount &+= 1 }
      if active[event.identity] == nil && active.count >= maxActive {
        overflow &+= 1
        return
      }
      var kept = event
      // A firing alert that was pending keeps its original `since`.
      if let previous = active[event.identity], kept.since == nil { kept.since = previous.since ?? previous.time }
      active[event.identity] = kept
    }
  }

  /// Firing first, then pending; oldest first within each.
  package var sortedActive: [DashAlertEvent] {
    active.values.sorted {
      if $0.state != $1.state { return $0.state == .firing }
      let a = $0.since ?? $0.time, b = $1.since ?? $1.time
      return a != b ? a < b : $0.identity < $1.identity
    }
  }

  package var firing: Int { active.values.filter { $0.state == .firing }.count }
}

package struct DashScaleHistory: Sendable {
  package private(set) var decisions: RingBuffer<DashScaleDecision>
  package private(set) var total = 0

  package init(capacity: Int) {
    decisions = RingBuffer(capacity: capacity)
  }

  package mutating func add(_ decision: DashScaleDecision) {
    decisions.append(decision)
    total &+= 1
  }

  package var replicas: Int? { decisions.last?.to }
  package var lastReason: String? { decisions.last?.reason }
}
