/*
 The error of the NDJSON scanner and the JSONValue parser: what was wrong and
 where. Commands prefix it with the line number, so the message is lowercase,
 without a trailing period, and ends with the column.
*/

package struct NDJSONError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The class of a scanner error, for callers that word the two line-level
  /// cases their own way (logparse's "expected a JSON object").
  package enum Kind: Sendable {
    /// The JSON itself is malformed.
    case syntax
    /// The line is not an object (empty, an array, a bare value).
    case notAnObject
    /// A complete object is followed by more text.
    case textAfterObject
  }

  /// What went wrong, e.g. "expected ':' after object key".
  package var reason: String
  /// 1-based byte offset in the line where the problem was found.
  package var column: Int
  package var kind: Kind

  package init(_ reason: String, column: Int, kind: Kind = .syntax) {
    self.reason = reason
    self.column = column
    self.kind = kind
  }

  /// "expected ':' after object key at column 7".
  package var description: String { "\(reason) at column \(column)" }
}
