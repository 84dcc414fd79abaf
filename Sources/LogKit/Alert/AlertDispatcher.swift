/*
 Between the engine and logalert's outputs: --inhibit and --group-by.

 Without either, an event is written and notified as it comes. With
 --inhibit, events wait until their time is complete (the clock moves
 past it, the input pauses, or it ends), so a source that fires at the same
 time as its target mutes it whatever the order of their records; then the
 sources' firings and resolutions of that time apply first, and the
 events are written in their order, muted ones with "inhibited":true, then
 the releases (muted targets whose last source resolved). Notifying events
 that are not muted go to their group (--group-by) or straight to `notify`.
*/

package final class AlertDispatcher {
  package struct Outputs {
    /// Writes an event (every event the engine emits, muted or not, and releases).
    package var write: (AlertEvent) throws -> Void
    /// Notifies one event (rules not grouped).
    package var notify: (AlertEvent) throws -> Void
    /// Notifies a group's batch.
    package var notifyGroup: (AlertNotification) throws -> Void

    package init(write: @escaping (AlertEvent) throws -> Void, notify: @escaping (AlertEvent) throws -> Void,
                 notifyGroup: @escaping (AlertNotification) throws -> Void) {
      self.write = write
      self.notify = notify
      self.notifyGroup = notifyGroup
    }
  }

  package private(set) var inhibitor: AlertInhibitor
  package private(set) var grouper: AlertGrouper
  let outputs: Outputs
  private var held: [AlertEvent] = []
  package private(set) var muted = 0
  package private(set) var notifications = 0

  package init(inhibit: [InhibitRule], grouping: AlertGroupingConfig, outputs: Outputs) {
    inhibitor = AlertInhibitor(inhibit)
    grouper = AlertGrouper(grouping)
    self.outputs = outputs
  }

  /// The engine's emit.
  package func receive(_ event: AlertEvent) throws {
    if inhibitor.isEmpty { return try deliver(event) }
    if let first = held.first, first.time < event.time { try release() }
    held.append(event)
  }

  /// Seeds the inhibitor with source instances restored firing (--state).
  package func restoreFiring(_ events: [AlertEvent]) {
    for event in events { inhibitor.observeSource(event) }
  }

  /// The clock is about to move to `t`: the times before it are complete.
  package func advance(to t: Int64) throws {
    try release()
    try flushGroups(grouper.due(before: t))
  }

  /// The input paused with the clock at `now`: its time is taken as complete.
  package func quiet(now: Int64) throws {
    try release()
    try flushGroups(grouper.due(before: now, inclusive: true))
  }

  /// End of input: everything held is written, every group with events notifies.
  package func finish(now: Int64) throws {
    try release()
    try flushGroups(grouper.flushAll(at: now))
  }

  private func release() throws {
    guard !held.isEmpty else { return }
    let batch = held
    held.removeAll(keepingCapacity: true)
    for event in batch where event.notifies { inhibitor.observeSource(event) }
    for var event in batch {
      if inhibitor.decide(event) {
        event.isInhibited = true
        muted &+= 1
      }
      try deliver(event)
    }
    for event in inhibitor.released(at: batch[batch.count - 1].time) { try deliver(event) }
  }

  private func deliver(_ event: AlertEvent) throws {
    try outputs.write(event)
    guard event.notifies, !event.isInhibited else { return }
    if grouper.isGrouped(event.alert) { grouper.add(event) } else { try outputs.notify(event) }
  }

  private func flushGroups(_ batch: [AlertNotification]) throws {
    for notification in batch {
      notifications &+= 1
      try outputs.notifyGroup(notification)
    }
  }
}

extension AlertEngine {
  /// The firing instances (restored by --state), as firing events at the clock's time.
  package var firingInstances: [AlertEvent] {
    var out: [AlertEvent] = []
    for rule in rules {
      for i in 0..<rule.table.count where rule.table.instances[i].lifecycle.phase == .firing {
        let instance = rule.table.instances[i]
        out.append(AlertEvent(
          time: now, alert: rule.rule.name, state: "firing", since: instance.lifecycle.since, key: rule.table.keyFields[i],
          value: .null, expr: rule.rule.conditionText, summary: "", start: instance.lastStart, end: instance.lastSeen))
      }
    }
    return out
  }
}
