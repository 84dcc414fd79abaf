/*
 A rules file: one rule per line. `#` starts a comment (outside quotes and
 backquotes); blank lines are ignored. A rule continues on the next line when
 that line starts with a space or a tab, or when the line ends with `\`.
 Errors point at FILE:LINE:COLUMN of the original text.
*/

package enum AlertRuleFile {
  /// Parses the text of a rules file; `path` is used in error messages.
  package static func parse(_ text: String, path: String) throws(AlertRuleError) -> [AlertRule] {
    var rules: [AlertRule] = []
    for entry in logicalLines(text) {
      do {
        rules.append(try AlertRuleParser.parse(String(decoding: entry.bytes, as: UTF8.self)))
      } catch {
        let (line, column) = entry.locate(error.column - 1)
        throw AlertRuleError(error.message, file: path, line: line, column: column)
      }
    }
    try checkUniqueNames(rules, path: path)
    return rules
  }

  package static func checkUniqueNames(_ rules: [AlertRule], path: String?) throws(AlertRuleError) {
    var seen = Set<String>()
    for rule in rules where !seen.insert(rule.name).inserted {
      throw AlertRuleError("rule name '\(rule.name)' is used twice", file: path, column: 1)
    }
  }

  /// A rule's text joined from its physical lines, with a map back to them.
  struct LogicalLine {
    var bytes: [UInt8] = []
    /// (offset in `bytes`, 1-based file line) of each physical line's start.
    var starts: [(offset: Int, line: Int)] = []

    func locate(_ offset: Int) -> (line: Int, column: Int) {
      var best = starts.first ?? (0, 1)
      for start in starts where start.offset <= offset { best = start }
      return (best.line, offset - best.offset + 1)
    }
  }

  static func logicalLines(_ text: String) -> [LogicalLine] {
    var result: [LogicalLine] = []
    var current: LogicalLine?
    var continued = false
    for (index, raw) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
      var line = stripComment(Array(raw))
      if line.last == 0x0D { line.removeLast() }
      let blank = line.allSatisfy(isSpace)
      let indented = line.first.map { $0 == 0x20 || $0 == 0x09 } ?? false
      let joins = continued || (indented && !blank)
      continued = false
      if let trailing = line.lastIndex(where: { !isSpace($0) }), line[trailing] == UInt8(ascii: "\\") {
        line[trailing] = 0x20  // keeps every column where it was
        continued = true
      }
      if joins, var open = current {
        open.bytes.append(0x0A)
        open.starts.append((open.bytes.count, index + 1))
        open.bytes += line
        current = open
        continue
      }
      if let open = current { result.append(open) }
      current = blank ? nil : LogicalLine(bytes: line, starts: [(0, index + 1)])
    }
    if let open = current { result.append(open) }
    return result
  }

  /// Cuts a `#` comment that is outside strings and backquoted names.
  static func stripComment(_ line: [UInt8]) -> [UInt8] {
    var quote: UInt8?
    var i = 0
    while i < line.count {
      let b = line[i]
      if let q = quote {
        if b == UInt8(ascii: "\\"), q != UInt8(ascii: "`") { i += 1 } else if b == q { quote = nil }
      } else if b == 0x22 || b == 0x27 || b == UInt8(ascii: "`") {
        quote = b
      } else if b == UInt8(ascii: "#") {
        return Array(line[..<i])
      }
      i += 1
    }
    return line
  }
}
