/*
 The aggregation groups of --group-by (see AlertGrouping.swift for the
 semantics), on event time: `add` puts a notifying event in its group,
 `due` takes the notifications whose time has come, `flushAll` the rest at
 end of input. Notifications come out ordered by their time, then by the
 group's creation, so a replay gives the same batches.
*/

package struct AlertGrouper {
  package let config: AlertGroupingConfig

  struct Group {
    var seq: Int
    var spec: Int
    var key: [(String, JSONValue)]
    var pending: [AlertEvent] = []
    /// Firing instances of the group (by instance id).
    var firing = Set<String>()
    /// When the pending events are to be notified.
    var due: Int64
    /// The time of the last notification (nil before the first).
    var lastFlush: Int64?
  }

  private var groups: [String: Group] = [:]
  private var nextSeq = 0
  /// Rule name → spec index (nil: not grouped), computed once per rule.
  private var specOf: [String: Int?] = [:]

  package init(_ config: AlertGroupingConfig) { self.config = config }

  package var groupCount: Int { groups.count }

  /// Whether the rule's notifications are grouped.
  package mutating func isGrouped(_ alert: String) -> Bool { spec(alert) != nil }

  private mutating func spec(_ alert: String) -> Int? {
    if let known = specOf[alert] { return known }
    let index = config.specIndex(for: alert)
    specOf[alert] = index
    return index
  }

  private func timings(_ spec: Int) -> (wait: Int64, interval: Int64) {
    (config.specs[spec].wait ?? config.wait, config.specs[spec].interval ?? config.interval)
  }

  /// Adds a notifying event of a grouped rule (others are ignored: the caller notifies them).
  package mutating func add(_ event: AlertEvent) {
    guard let s = spec(event.alert) else { return }
    let key: [(String, JSONValue)]
    if let fields = config.specs[s].fields {
      key = zip(fields, fieldValues(event, fields)).map { ($0, $1) }
    } else {
      key = [("alert", .string(event.alert))] + event.key
    }
    let id = String(s) + "\u{1E}" + key.map { "\($0.0)=\($0.1.description)" }.joined(separator: "\u{1F}")
    let (wait, interval) = timings(s)
    var group = groups[id] ?? Group(seq: nextSeq, spec: s, key: key, due: addSaturating(event.time, wait))
    if groups[id] == nil { nextSeq += 1 }
    if group.pending.isEmpty, let last = group.lastFlush {
      group.due = Self.nextTick(after: last, interval: interval, atLeast: event.time)
    }
    group.pending.append(event)
    let instance = instanceID(event.alert, event.key)
    if event.state == "firing" { group.firing.insert(instance) } else if event.state == "resolved" { group.firing.remove(instance) }
    groups[id] = group
  }

  /// The first group_interval tick after `last` that is not before `t`.
  static func nextTick(after last: Int64, interval: Int64, atLeast t: Int64) -> Int64 {
    let first = addSaturating(last, interval)
    guard first < t else { return first }
    guard interval > 0 else { return t }
    let (gap, overflow) = t.subtractingReportingOverflow(last)
    guard !overflow else { return t }
    let ticks = gap / interval + (gap % interval == 0 ? 0 : 1)
    let (span, spanOverflow) = ticks.multipliedReportingOverflow(by: interval)
    return spanOverflow ? t : addSaturating(last, span)
  }

  /// Notifications due before `t` (or at it, with `inclusive`: the input paused with the clock at `t`).
  package mutating func due(before t: Int64, inclusive: Bool = false) -> [AlertNotification] {
    let ready = groups.filter { !$0.value.pending.isEmpty && ($0.value.due < t || (inclusive && $0.value.due == t)) }
    return ready.sorted { ($0.value.due, $0.value.seq) < ($1.value.due, $1.value.seq) }.map { flush($0.key, at: $0.value.due) }
  }

  /// End of input: every group with events waiting notifies, at `t` (the clock) or its due time if earlier.
  package mutating func flushAll(at t: Int64) -> [AlertNotification] {
    let ready = groups.filter { !$0.value.pending.isEmpty }
    return ready.sorted { (min($0.value.due, t), $0.value.seq) < (min($1.value.due, t), $1.value.seq) }
      .map { flush($0.key, at: min($0.value.due, t)) }
  }

  private mutating func flush(_ id: String, at t: Int64) -> AlertNotification {
    guard var group = groups[id] else { return AlertNotification(time: t, group: [], events: [], firing: 0) }
    let notification = AlertNotification(time: t, group: group.key, events: group.pending, firing: group.firing.count)
    group.pending.removeAll()
    group.lastFlush = t
    group.due = addSaturating(t, timings(group.spec).interval)
    groups[id] = group.firing.isEmpty ? nil : group
    return notification
  }
}
