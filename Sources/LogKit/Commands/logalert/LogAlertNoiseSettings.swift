/*
 logalert's --inhibit, --group-by, --group-wait, --group-interval and
 --notifications, validated against the run's rules: errors give the
 column in the option's value and the closest rule or field name.
*/

extension LogAlertSettings {
  mutating func readNoiseControl(_ options: ParsedOptions, rules: [AlertRule]) throws {
    for text in options.all("inhibit") {
      do { inhibit.append(try InhibitRule.parse(text, rules: rules)) } catch {
        throw UsageError("invalid --inhibit '\(excerpt(text))': \(error)")
      }
    }
    for text in options.all("group-by") {
      let spec: GroupSpec
      do { spec = try GroupSpec.parse(text, rules: rules) } catch {
        throw UsageError("invalid --group-by '\(excerpt(text))': \(error)")
      }
      try Self.checkOverlap(spec, grouping.specs, text: text)
      grouping.specs.append(spec)
    }
    grouping.wait = try options.duration("group-wait") ?? grouping.wait
    grouping.interval = try options.duration("group-interval") ?? grouping.interval
    if grouping.wait < 0 || grouping.interval < 0 { throw UsageError("--group-wait and --group-interval must not be negative") }
    writeNotifications = options.flag("notifications")
    for name in ["group-wait", "group-interval", "notifications"] where options.flag(name) && grouping.specs.isEmpty {
      throw UsageError("--\(name) needs --group-by")
    }
  }

  /// One spec per rule: one for every rule, and at most one naming each rule.
  private static func checkOverlap(_ spec: GroupSpec, _ earlier: [GroupSpec], text: String) throws {
    guard let names = spec.rules else {
      if earlier.contains(where: { $0.rules == nil }) {
        throw UsageError("invalid --group-by '\(excerpt(text))': a --group-by for every rule was already given (name rules with 'RULE: FIELDS')")
      }
      return
    }
    for name in names where earlier.contains(where: { $0.rules?.contains(name) ?? false }) {
      throw UsageError("invalid --group-by '\(excerpt(text))': rule '\(name)' already has a --group-by")
    }
  }
}
