/*
 An alert rule, parsed: its name, the condition (with detector calls replaced
 by synthetic fields the engine fills before evaluating), the lifecycle
 durations, the key fields, an optional resolve condition and summary.

   high_5xx: errors / count > 0.05 and count >= 50 for 2m by path summary "{path}: {value:%} 5xx"

 Durations are microseconds of event time.
*/

/// A detector function usable inside a rule expression.
package enum DetectorKind: String, CaseIterable, Sendable, Equatable {
  case zscore, mad_score, change, seasonal, absent, anomaly

  /// Argument count range (the series argument first, then parameters).
  var arity: ClosedRange<Int> {
    switch self {
    case .zscore, .change, .anomaly, .absent: return 1...1
    case .mad_score: return 1...2
    case .seasonal: return 2...2
    }
  }
}

/// One detector call in a rule: what it computes and which synthetic field receives it.
package struct DetectorCall: Sendable, Equatable {
  package var kind: DetectorKind
  /// The series expression (nil for absent()).
  package var argument: Expr?
  /// mad_score: window length in points; seasonal: not used.
  package var points: Int = 0
  /// seasonal: period; absent: how long a key may be silent (microseconds).
  package var duration: Int64 = 0
  /// The synthetic field name that replaces the call in the condition.
  package var slotName: String
  /// The call as written, for messages and the event's `detector` object.
  package var text: String
}

package struct AlertRule: Sendable, Equatable {
  package var name: String
  /// The condition as written (after the name, without clauses).
  package var conditionText: String
  /// The condition with detector calls replaced by synthetic fields.
  package var condition: Expr
  /// The expression whose value an event reports as `value` (see AlertValue).
  package var valueExpr: Expr
  package var forDuration: Int64 = 0
  package var keep: Int64 = 0
  /// Key fields (dotted paths); nil: the record's string-valued fields (see the man page).
  package var by: [[String]]?
  package var resolve: Expr?
  package var resolveText: String?
  package var summary: String?
  package var detectors: [DetectorCall] = []

  /// Whether the rule needs evaluation for keys that sent no record (absent()).
  package var usesAbsent: Bool { detectors.contains { $0.kind == .absent } }
}

/// A rule that cannot be parsed: where and why.
package struct AlertRuleError: Error, Equatable, Sendable, CustomStringConvertible {
  package var message: String
  /// Where the rule came from: a file path, or nil for a --rule argument.
  package var file: String?
  /// 1-based line in `file` (1 for --rule).
  package var line: Int
  /// 1-based byte column.
  package var column: Int

  package init(_ message: String, file: String? = nil, line: Int = 1, column: Int) {
    self.message = message
    self.file = file
    self.line = line
    self.column = column
  }

  package var description: String {
    if let file { return "\(file):\(line):\(column): \(message)" }
    return "column \(column): \(message)"
  }
}
