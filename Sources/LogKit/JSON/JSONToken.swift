/*
 A JSON value located in a line: its kind and its byte range. The scanner
 records one per top-level field; nested lookups and the expression language
 pass them around instead of decoded values, so nothing is decoded (or
 allocated) until someone asks for it.
*/

/// The kind of a JSON value, known after one validating pass.
package enum JSONKind: UInt8, Sendable {
  case string, number, `true`, `false`, null, object, array
}

/// A value inside the current line: `start..<end` is its exact JSON text
/// (for strings including the quotes).
package struct JSONToken: Equatable, Sendable {
  package var start: Int
  package var end: Int
  package var kind: JSONKind
  /// For strings: the text contains a backslash escape and must be decoded.
  package var hasEscapes: Bool

  package init(start: Int, end: Int, kind: JSONKind, hasEscapes: Bool = false) {
    self.start = start
    self.end = end
    self.kind = kind
    self.hasEscapes = hasEscapes
  }

  /// For strings: the range between the quotes.
  package var contentStart: Int { kind == .string ? start &+ 1 : start }
  package var contentEnd: Int { kind == .string ? end &- 1 : end }
}
