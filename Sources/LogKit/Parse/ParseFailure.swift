/*
 Why a line was rejected. A failure is a small value (no String is built
 until a message is needed), so trying several formats on a line costs nothing
 when it fails. The one exception is invalid JSON, which carries the NDJSON
 scanner's own reason (the scanner builds it; JSON lines have no second format).
*/

package struct ParseFailure: Error, Equatable, Sendable, CustomStringConvertible {
  package enum Reason: Equatable, Sendable {
    case expectedText(UInt8)
    case expectedOpeningQuote
    case unterminatedQuotedField
    case textAfterQuotedField
    case expectedOpeningBracket
    case unterminatedBracket
    case emptyField
    case badTimestamp
    case expectedStatusCode
    case expectedByteCount
    case expectedPortNumber
    case expectedDuration
    case badClientAddress
    case textAfterLastField
    case endOfLine
    case noFieldsDirective
    case fieldCount(expected: Int, found: Int)
    /// The NDJSON scanner's reason, e.g. "invalid escape \\q".
    case invalidJSON(String)
    case expectedJSONObject
    case tooManyFields
  }

  package var reason: Reason
  /// 1-based byte column where the problem was found.
  package var column: Int

  package init(_ reason: Reason, at offset: Int) {
    self.reason = reason
    self.column = offset + 1
  }

  package var message: String {
    switch reason {
    case .expectedText(let byte): return "expected '\(printable(byte))'"
    case .expectedOpeningQuote: return "expected '\"' opening a quoted field"
    case .unterminatedQuotedField: return "unterminated quoted field"
    case .textAfterQuotedField: return "unexpected text after quoted field"
    case .expectedOpeningBracket: return "expected '[' opening the timestamp"
    case .unterminatedBracket: return "unterminated '[' timestamp"
    case .emptyField: return "empty field"
    case .badTimestamp: return "bad timestamp"
    case .expectedStatusCode: return "expected status code"
    case .expectedByteCount: return "expected byte count"
    case .expectedPortNumber: return "expected port number"
    case .expectedDuration: return "expected duration"
    case .badClientAddress: return "bad client address"
    case .textAfterLastField: return "unexpected text after last field"
    case .endOfLine: return "line ends early"
    case .noFieldsDirective: return "W3C data line before any #Fields directive"
    case .fieldCount(let expected, let found): return "expected \(expected) fields, found \(found)"
    case .invalidJSON: return "invalid JSON"
    case .expectedJSONObject: return "expected a JSON object"
    case .tooManyFields: return "too many fields"
    }
  }

  /// "expected status code at column 12"; for invalid JSON the scanner's reason
  /// follows the column: "invalid JSON at column 7: invalid escape \\q".
  package var description: String {
    if case .invalidJSON(let detail) = reason { return "\(message) at column \(column): \(detail)" }
    return "\(message) at column \(column)"
  }

  private func printable(_ byte: UInt8) -> String {
    byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
  }
}
