/*
 --group-by (Alertmanager's route group_by, group_wait, group_interval) on
 event time: notifications of the events that share the values of the group
 fields are batched.

   --group-by alert,cluster            every rule: one group per rule and cluster
   --group-by 'high_5xx: alert'        one rule (a comma list of rules before ':')
   --group-by 'scanner: ... wait 0s'   `...`: alert and every key field; own timings

 `alert` is the rule name (Alertmanager's alertname); without it a group
 may hold events of several rules. A new group notifies group_wait after
 its first event; then at most every group_interval, and only when events
 were added. A notification is due at time D and is sent once the clock has
 passed D (every event at D is in it), when the input pauses with the clock
 at D or later, or at end of input (then at the clock's time). A group with
 no firing instance left is dropped once it has notified, so the next
 event opens a new group (group_wait again).
*/

package struct GroupSpec: Sendable, Equatable {
  /// The rules it applies to; nil: every rule without a spec of its own.
  package var rules: [String]?
  /// The group fields; nil for `...` (alert and every key field).
  package var fields: [String]?
  package var wait: Int64?
  package var interval: Int64?

  /// Parses `[RULE,...:] FIELD,... [wait DUR] [interval DUR]` against the run's rules.
  package static func parse(_ text: String, rules: [AlertRule]) throws(AlertRuleError) -> GroupSpec {
    let words = SpecWords.split(text)
    let end = text.utf8.count + 1
    var i = 0
    var spec = GroupSpec()
    var targets = rules
    if let colon = words.firstIndex(where: { $0.text == ":" }) {
      let names = try SpecWords.list(words, &i, what: "a rule name before ':'", end: end)
      guard i == colon else { throw AlertRuleError("expected ':' after the rule names", column: words[i].column) }
      targets = try names.map { (w: SpecWord) throws(AlertRuleError) in try SpecWords.rule(w, in: rules) }
      spec.rules = targets.map(\.name)
      i += 1
    }
    let fields = try SpecWords.list(words, &i, what: "group fields: 'alert', key fields or '...'", end: end)
    if fields.count == 1 && fields[0].text == "..." {
      spec.fields = nil
    } else {
      try checkFields(fields, targets, perRule: spec.rules != nil)
      spec.fields = fields.map(\.text)
    }
    while i < words.count {
      let word = words[i]
      guard word.text == "wait" || word.text == "interval" else {
        throw AlertRuleError("expected 'wait DUR', 'interval DUR' or the end, found '\(excerpt(word.text))'", column: word.column)
      }
      guard i + 1 < words.count, let micros = parseDuration(words[i + 1].text), micros >= 0 else {
        throw AlertRuleError("expected a duration (30s, 5m) after '\(word.text)'", column: i + 1 < words.count ? words[i + 1].column : end)
      }
      if word.text == "wait" { spec.wait = micros } else { spec.interval = micros }
      i += 2
    }
    return spec
  }

  /// Each field is `alert` or a key field: of every rule of a per-rule spec, of some rule otherwise.
  private static func checkFields(_ fields: [SpecWord], _ rules: [AlertRule], perRule: Bool) throws(AlertRuleError) {
    for field in fields where field.text != "alert" {
      if field.text == "..." { throw AlertRuleError("'...' stands alone: it already groups by every key field", column: field.column) }
      if perRule {
        for rule in rules { try SpecWords.checkKeyField(field, of: rule, extra: ["alert"]) }
        continue
      }
      let keys = rules.map(SpecWords.keyNames)
      guard keys.allSatisfy({ $0 != nil }) else { continue }
      let all = Set(keys.compactMap { $0 }.joined())
      if all.contains(field.text) { continue }
      let hint = closestMatch(to: field.text, among: (all + ["alert"]).sorted()).map { "; did you mean '\($0)'?" } ?? ""
      throw AlertRuleError("'\(excerpt(field.text))' is no rule's key field (nor 'alert')\(hint)", column: field.column)
    }
  }
}

package struct AlertGroupingConfig: Sendable, Equatable {
  package var specs: [GroupSpec] = []
  package var wait: Int64 = 30_000_000
  package var interval: Int64 = 300_000_000

  package init(specs: [GroupSpec] = []) { self.specs = specs }

  /// The spec of each rule: its own, else the one for every rule; nil: not grouped.
  package func specIndex(for rule: String) -> Int? {
    specs.firstIndex { $0.rules?.contains(rule) ?? false } ?? specs.firstIndex { $0.rules == nil }
  }
}

/// One batch of a group: what a grouped action gets.
package struct AlertNotification: Sendable {
  package var time: Int64
  /// The group fields and their values.
  package var group: [(String, JSONValue)]
  package var events: [AlertEvent]
  /// Instances of the group firing after these events.
  package var firing: Int

  /// `alert="high_5xx",path="/a"`: the group as text (messages, LOGALERT_GROUP_KEY).
  package var groupKey: String { group.map { "\($0.0)=\($0.1.description)" }.joined(separator: ",") }

  /// {"time":…,"kind":"notification","group":{…},"count":N,"firing":F,"resolved":R,"events":[…]}
  package func write(to sink: OutputSink) {
    sink.beginObject()
    sink.key("time"); sink.value(time: time)
    sink.key("kind"); sink.value("notification")
    sink.key("group")
    sink.beginObject()
    for (name, value) in group { sink.key(string: name); sink.value(json: value) }
    sink.endObject()
    sink.key("count"); sink.value(events.count)
    sink.key("firing"); sink.value(firing)
    sink.key("resolved"); sink.value(events.count { $0.state == "resolved" })
    sink.key("events")
    sink.beginArray()
    for event in events { event.write(to: sink) }
    sink.endArray()
    sink.endObject()
  }

  package var jsonBytes: [UInt8] {
    let sink = OutputSink(fd: -1)
    write(to: sink)
    return sink.withPendingBytes { Array($0) }
  }
}
