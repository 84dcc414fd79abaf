/*
 --inhibit 'SOURCE => TARGET [equal FIELD,...]' (Alertmanager's
 inhibit_rules): while an instance of a SOURCE rule is firing, events of
 TARGET rules (with the same values of the `equal` key fields, if given)
 are muted: written with "inhibited":true, never notified. SOURCE and
 TARGET may be comma lists of rule names.

 Which events are muted (AlertInhibitor.decide):
   - pending, firing and repeated events of a target while a matching
     source fires;
   - the resolution of a target instance whose firing was muted (the
     receiver never heard of it); a target whose firing was notified has its
     resolution notified, so no receiver is left with a dangling alert;
 and when the last matching source resolves, each target instance still
 firing and muted is released: its last event is sent again as a repeat.
 A rule cannot inhibit itself.
*/

package struct InhibitRule: Sendable, Equatable {
  package var sources: [String]
  package var targets: [String]
  /// Key fields whose values must be equal in source and target (missing counts as null).
  package var equal: [String]

  /// Parses one --inhibit spec against the run's rules (names checked, with did-you-mean).
  package static func parse(_ text: String, rules: [AlertRule]) throws(AlertRuleError) -> InhibitRule {
    let words = SpecWords.split(text)
    let end = text.utf8.count + 1
    let form = "'SOURCE => TARGET [equal FIELD,...]'"
    var i = 0
    let sources = try SpecWords.list(words, &i, what: "a source rule name: \(form)", end: end)
    guard i < words.count, words[i].text == "=>" else {
      throw AlertRuleError("expected '=>' after the source rule: \(form)", column: i < words.count ? words[i].column : end)
    }
    i += 1
    let targets = try SpecWords.list(words, &i, what: "a target rule name after '=>'", end: end)
    var equal: [SpecWord] = []
    if i < words.count {
      guard words[i].text == "equal" else {
        throw AlertRuleError("expected 'equal FIELD,...' or the end after the target, found '\(excerpt(words[i].text))'", column: words[i].column)
      }
      i += 1
      equal = try SpecWords.list(words, &i, what: "key fields after 'equal'", end: end)
      if i < words.count { throw AlertRuleError("unexpected '\(excerpt(words[i].text))' after the equal fields", column: words[i].column) }
    }
    let sourceRules = try sources.map { (w: SpecWord) throws(AlertRuleError) in try SpecWords.rule(w, in: rules) }
    let targetRules = try targets.map { (w: SpecWord) throws(AlertRuleError) in try SpecWords.rule(w, in: rules) }
    for target in targets where sources.contains(where: { $0.text == target.text }) {
      throw AlertRuleError("rule '\(target.text)' cannot inhibit itself", column: target.column)
    }
    for field in equal {
      for rule in sourceRules + targetRules { try SpecWords.checkKeyField(field, of: rule) }
    }
    return InhibitRule(sources: sourceRules.map(\.name), targets: targetRules.map(\.name), equal: equal.map(\.text))
  }
}

/// The firing sources and muted targets of a run, fed every event in order.
package struct AlertInhibitor {
  package let rules: [InhibitRule]
  /// Per inhibit rule: firing source instance → its equal values (as text).
  private var firing: [[String: String]]
  /// Per inhibit rule: equal values → how many source instances with them fire.
  private var firingCount: [[String: Int]]
  /// Muted target instances still firing: their last event, to release.
  package private(set) var muted: [String: AlertEvent] = [:]
  private var mutedOrder: [String] = []
  /// Target instances whose firing was notified: their repeats may be muted, their resolution is not.
  private var notified = Set<String>()

  package init(_ rules: [InhibitRule]) {
    self.rules = rules
    firing = Array(repeating: [:], count: rules.count)
    firingCount = Array(repeating: [:], count: rules.count)
  }

  package var isEmpty: Bool { rules.isEmpty }

  private static func equalText(_ event: AlertEvent, _ rule: InhibitRule) -> String {
    fieldValues(event, rule.equal).map(\.description).joined(separator: "\u{1F}")
  }

  /// A source event: a firing starts muting, a resolution may end it.
  package mutating func observeSource(_ event: AlertEvent) {
    let id = instanceID(event.alert, event.key)
    for r in rules.indices where rules[r].sources.contains(event.alert) {
      let text = Self.equalText(event, rules[r])
      if event.state == "firing", firing[r][id] == nil {
        firing[r][id] = text
        firingCount[r][text, default: 0] += 1
      } else if event.state == "resolved", let old = firing[r].removeValue(forKey: id) {
        let left = (firingCount[r][old] ?? 1) - 1
        firingCount[r][old] = left > 0 ? left : nil
      }
    }
  }

  /// Whether a matching source fires for this target event.
  package func isInhibited(_ event: AlertEvent) -> Bool {
    for r in rules.indices where rules[r].targets.contains(event.alert) && !firingCount[r].isEmpty {
      if firingCount[r][Self.equalText(event, rules[r])] != nil { return true }
    }
    return false
  }

  /// Decides whether an event is muted, and remembers muted firing instances.
  package mutating func decide(_ event: AlertEvent) -> Bool {
    guard rules.contains(where: { $0.targets.contains(event.alert) }) else { return false }
    let id = instanceID(event.alert, event.key)
    switch event.state {
    case "firing", "pending":
      guard isInhibited(event) else {
        if event.state == "firing" && event.notifies { notified.insert(id) }
        return false
      }
      if event.state == "firing" && event.notifies && !notified.contains(id) { remember(id, event) }
      return true
    case "resolved":
      notified.remove(id)
      guard muted.removeValue(forKey: id) != nil else { return false }
      mutedOrder.removeAll { $0 == id }
      return true
    default:
      return false
    }
  }

  /// A muted target instance (its firing was muted), to release when no source matches.
  package mutating func remember(_ id: String, _ event: AlertEvent) {
    if muted.updateValue(event, forKey: id) == nil { mutedOrder.append(id) }
  }

  /// Muted instances no longer inhibited, in the order they were muted: sent again as repeats at `t`.
  package mutating func released(at t: Int64) -> [AlertEvent] {
    var out: [AlertEvent] = []
    for id in mutedOrder {
      guard var event = muted[id], !isInhibited(event) else { continue }
      muted[id] = nil
      notified.insert(id)
      event.time = t
      event.isRepeat = true
      event.isInhibited = false
      out.append(event)
    }
    if !out.isEmpty { mutedOrder.removeAll { muted[$0] == nil } }
    return out
  }
}
