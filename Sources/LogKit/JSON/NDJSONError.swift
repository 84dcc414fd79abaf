/*
 The error of the NDJSON scanner and the JSONValue parser: what was wrong and
 where. Commands prefix it with the line number, so the message is lowercase,
 without a trailing period, and ends with the column.
*/

package struct NDJSONError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What went wrong, e.g. "expected ':' after object key".
  package var reason: String
  /// 1-based byte offset in the line where the problem was found.
  package var column: Int

  package init(_ reason: String, column: Int) {
    self.reason = reason
    self.column = column
  }

  /// "expected ':' after object key at column 7".
  package var description: String { "\(reason) at column \(column)" }
}
