/*
 Parses one rule:

   NAME: EXPR [for DUR] [keep DUR] [by FIELD,...] [resolve EXPR] [summary "TEXT"]

 The clauses may come in any order, each at most once. They are found in the
 expression language's token stream at nesting depth 0, so a field called
 `for` or `by` needs backquotes (`\`by\``). Detector calls are rewritten by
 DetectorRewriter before the condition is parsed. Errors carry the byte
 column in the rule text; `locate` maps it to a file line for --rules.
*/

package enum AlertRuleParser {
  static let clauseWords: Set<String> = ["for", "keep", "by", "resolve", "summary"]

  /// Parses `text`. Error columns are 1-based byte offsets into `text`.
  package static func parse(_ text: String) throws(AlertRuleError) -> AlertRule {
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count, isSpace(bytes[i]) { i += 1 }
    let nameStart = i
    while i < bytes.count, isRuleNameByte(bytes[i]) { i += 1 }
    let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
    while i < bytes.count, isSpace(bytes[i]) { i += 1 }
    guard !name.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
      throw AlertRuleError("expected 'NAME: CONDITION' (a rule name of letters, digits, _ . -, then ':')", column: i + 1)
    }
    let bodyStart = i + 1
    let tokens: [ExprToken]
    do {
      tokens = try ExprLexer(String(decoding: bytes[bodyStart...], as: UTF8.self)).tokenize()
    } catch {
      throw AlertRuleError(error.message, column: bodyStart + error.column)
    }
    let clauses = try splitClauses(tokens, bytes: bytes, bodyStart: bodyStart)
    var rewriter = DetectorRewriter()
    guard let conditionRange = clauses.condition else {
      throw AlertRuleError("rule '\(name)' has no condition after ':'", column: bodyStart + 1)
    }
    let condition = try rewriter.rewrite(bytes, conditionRange)
    var rule = AlertRule(
      name: name, conditionText: oneLine(trimmedText(bytes, conditionRange)), condition: condition,
      valueExpr: valueExpression(condition))
    for clause in clauses.clauses {
      try apply(clause, to: &rule, bytes: bytes, rewriter: &rewriter)
    }
    rule.detectors = rewriter.detectors
    return rule
  }

  struct Clause {
    var word: String
    /// Byte column (1-based) of the keyword.
    var column: Int
    /// The clause's text after the keyword: byte offsets [lower, upper).
    var range: Range<Int>
  }

  /// Finds the clause keywords at depth 0 and the ranges between them.
  static func splitClauses(_ tokens: [ExprToken], bytes: [UInt8], bodyStart: Int) throws(AlertRuleError) -> (condition: Range<Int>?, clauses: [Clause]) {
    var depth = 0
    var marks: [(word: String, start: Int, end: Int)] = []
    for (k, token) in tokens.enumerated() {
      switch token.kind {
      case .symbol("("), .symbol("["): depth += 1
      case .symbol(")"), .symbol("]"): depth -= 1
      case .name(let word) where depth == 0 && clauseWords.contains(word):
        if k > 0, tokens[k - 1].kind == .symbol(".") { continue }
        let start = bodyStart + token.column - 1
        marks.append((word, start, start + word.utf8.count))
      default: break
      }
    }
    let conditionEnd = marks.first?.start ?? bytes.count
    let condition = isBlank(bytes, bodyStart..<conditionEnd) ? nil : bodyStart..<conditionEnd
    var clauses: [Clause] = []
    var seen = Set<String>()
    for (k, mark) in marks.enumerated() {
      guard seen.insert(mark.word).inserted else {
        throw AlertRuleError("'\(mark.word)' is given twice", column: mark.start + 1)
      }
      let end = k + 1 < marks.count ? marks[k + 1].start : bytes.count
      clauses.append(Clause(word: mark.word, column: mark.start + 1, range: mark.end..<end))
    }
    return (condition, clauses)
  }

  static func apply(_ clause: Clause, to rule: inout AlertRule, bytes: [UInt8], rewriter: inout DetectorRewriter) throws(AlertRuleError) {
    let text = trimmedText(bytes, clause.range)
    let column = firstNonBlank(bytes, clause.range) + 1
    guard !text.isEmpty else {
      throw AlertRuleError("'\(clause.word)' needs a value", column: clause.column)
    }
    switch clause.word {
    case "for", "keep":
      guard let micros = parseDuration(text), micros >= 0 else {
        throw AlertRuleError("invalid duration '\(text)' after '\(clause.word)': expected e.g. 30s, 2m, 1h", column: column)
      }
      if clause.word == "for" { rule.forDuration = micros } else { rule.keep = micros }
    case "by":
      rule.by = try parseKeyFields(text, column: column)
    case "resolve":
      rule.resolve = try rewriter.rewrite(bytes, clause.range)
      rule.resolveText = oneLine(text)
    default:
      rule.summary = try parseSummary(text, column: column)
    }
  }

  static func parseKeyFields(_ text: String, column: Int) throws(AlertRuleError) -> [[String]] {
    var fields: [[String]] = []
    var offset = 0
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let name = part.ruleTrimmed
      let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      guard !name.isEmpty, path.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isExprNameByte) }) else {
        throw AlertRuleError("invalid key field '\(name)' after 'by': expected FIELD,FIELD (dotted paths allowed)", column: column + offset)
      }
      if ["start", "end"].contains(name) {
        throw AlertRuleError("'\(name)' is the window, not a key field", column: column + offset)
      }
      fields.append(path)
      offset += part.utf8.count + 1
    }
    return fields
  }

  static func parseSummary(_ text: String, column: Int) throws(AlertRuleError) -> String {
    let tokens: [ExprToken]
    do { tokens = try ExprLexer(text).tokenize() } catch {
      throw AlertRuleError(error.message, column: column + error.column - 1)
    }
    guard tokens.count == 2, case .string(let s) = tokens[0].kind else {
      throw AlertRuleError("'summary' expects one quoted string, e.g. summary \"{path}: {value} errors\"", column: column)
    }
    return s
  }

  /// The left side of the condition's first comparison (what `value` reports).
  static func valueExpression(_ condition: Expr) -> Expr {
    switch condition {
    case .binary(let op, let left, _):
      switch op {
      case .and, .or: return valueExpression(left)
      case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return left
      default: return condition
      }
    case .not(let inner): return valueExpression(inner)
    default: return condition
    }
  }
}

func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

func isRuleNameByte(_ b: UInt8) -> Bool {
  isExprNameByte(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
}

func isBlank(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
  range.allSatisfy { isSpace(bytes[$0]) }
}

func firstNonBlank(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
  range.first { !isSpace(bytes[$0]) } ?? range.lowerBound
}

func trimmedText(_ bytes: [UInt8], _ range: Range<Int>) -> String {
  var lower = range.lowerBound, upper = range.upperBound
  while lower < upper, isSpace(bytes[lower]) { lower += 1 }
  while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1 }
  return String(decoding: bytes[lower..<upper], as: UTF8.self)
}

extension Substring {
  var ruleTrimmed: String {
    String(self.drop { $0 == " " || $0 == "\t" || $0 == "\n" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\n" }.reversed())
  }
}

/// Joins a rule's continuation lines with single spaces (for `expr` in events).
func oneLine(_ text: String) -> String {
  guard text.contains("\n") else { return text }
  return text.split(separator: "\n").map { $0.drop { $0 == " " || $0 == "\t" } }.joined(separator: " ")
}
