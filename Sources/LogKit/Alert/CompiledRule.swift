/*
 A rule compiled over the engine's RecordReader: its expressions, detector
 arguments and synthetic slots, key paths, timing and key table; plus the
 default summaries an event carries when the rule gives none.
*/

final class CompiledRule {
  let rule: AlertRule
  let condition: CompiledExpr
  let resolve: CompiledExpr?
  let value: CompiledExpr
  let arguments: [CompiledExpr?]
  let detectorSlots: [Int]
  /// Slots of record fields the rule reads (for the never-seen warning).
  let dataSlots: [Int]
  /// The rule's `by` clause in the engine's AlertKeyBuilder.
  let keyClause: Int
  /// The detectors' kinds and parameters, without their expressions and texts (copied per evaluation).
  let detectorSpecs: [DetectorSpec]
  let timing: AlertTiming
  let table: AlertKeyTable
  var outputs: [DetectorOutput]

  init(_ rule: AlertRule, reader: RecordReader, config: AlertEngineConfig, keyClause: Int) throws(AlertRuleError) {
    self.rule = rule
    do {
      condition = try reader.compile(rule.condition)
      resolve = try rule.resolve.map { e throws(ExprError) in try reader.compile(e) }
      value = try reader.compile(rule.valueExpr)
      arguments = try rule.detectors.map { call throws(ExprError) in try call.argument.map { e throws(ExprError) in try reader.compile(e) } }
    } catch {
      throw AlertRuleError("rule '\(rule.name)': \(error.message)", column: error.column)
    }
    detectorSlots = rule.detectors.map { reader.slots.slot(for: [$0.slotName]) }
    var data: [Int] = []
    var exprs = [rule.condition, rule.valueExpr] + rule.detectors.compactMap(\.argument)
    if let resolve = rule.resolve { exprs.append(resolve) }
    for expr in exprs {
      for path in expr.fieldReferences where !(path.first?.hasPrefix("@d") ?? false) {
        let slot = reader.slots.slot(for: path)
        if !data.contains(slot) { data.append(slot) }
      }
    }
    dataSlots = data
    self.keyClause = keyClause
    detectorSpecs = rule.detectors.map { DetectorSpec(kind: $0.kind, points: $0.points, duration: $0.duration) }
    timing = AlertTiming(forDuration: rule.forDuration, keep: rule.keep, repeatEvery: config.repeatEvery)
    table = AlertKeyTable(maxKeys: config.maxKeys, detectors: rule.detectors)
    outputs = Array(repeating: .none, count: rule.detectors.count)
  }

}

extension AlertEngine {
  /// The rule's summary template, or a sentence built from the event.
  func summarize(_ rule: CompiledRule, _ event: AlertEvent, hasRecord: Bool) -> String {
    if let template = rule.rule.summary {
      return SummaryTemplate.render(template) { name in
        switch name {
        case "value": return event.value
        case "alert": return .string(event.alert)
        case "state": return .string(event.state)
        default:
          if let member = event.key.first(where: { $0.0 == name }) { return member.1 }
          guard hasRecord, let token = reader.token(name) else { return nil }
          return (try? JSONValue.parse(reader.scanner.rawBytes(token))) ?? nil
        }
      }
    }
    return defaultSummary(rule, event)
  }

  func defaultSummary(_ rule: CompiledRule, _ event: AlertEvent) -> String {
    let key = event.key.map { "\($0.0)=\(SummaryTemplate.format($0.1, spec: ""))" }.joined(separator: " ")
    var text = rule.rule.name + (key.isEmpty ? "" : " " + key)
    if event.isStale { return text + ": resolved, no record for this key since \(formatRFC3339(event.end ?? event.time))" }
    text += event.state == "resolved" ? " resolved: " : ": "
    if let (call, output) = event.detectors.first {
      text += Self.describe(call, output, kind: rule.rule.detectors[0].kind)
    } else {
      text += "\(rule.rule.valueExpr) is \(SummaryTemplate.format(event.value, spec: "")) (\(rule.rule.conditionText))"
    }
    return text
  }

  static func describe(_ call: String, _ output: DetectorOutput, kind: DetectorKind) -> String {
    let n = { (d: Double?) in d.map(SummaryTemplate.shortNumber) ?? "?" }
    if kind == .absent { return "no record for \(n(output.observed))s (\(call))" }
    guard let observed = output.observed else { return "\(call): no value" }
    guard let expected = output.expected else { return "\(call): \(n(observed)), no baseline yet" }
    let direction = observed > expected ? "above" : observed < expected ? "below" : "at"
    var text = "\(n(observed)) is \(direction) the expected \(n(expected))"
    if let low = output.low, let high = output.high { text += " (normal \(n(low)) to \(n(high)))" }
    return text + ", \(call) = \(n(output.score))"
  }
}
