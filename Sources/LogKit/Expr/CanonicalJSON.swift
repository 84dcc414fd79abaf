/*
 The canonical JSON text of an expression value, used for group keys and
 for the values of distinct/top/first/last: strings are re-escaped from
 their decoded bytes (so "a\u0062" and "ab" are one key) and numbers take
 their shortest form (so 1.50 and 1.5 are one key). Output copies the text
 verbatim. Writes into an in-memory OutputSink without commas.
*/

extension OutputSink {
  /// Appends the canonical text of `value`; returns false for null (no text written).
  @inlinable
  package func appendCanonical(_ value: ExprValue) -> Bool {
    switch value {
    case .null: return false
    case .bool(let b): append(b ? "true" : "false")
    case .number(let d): appendJSONDouble(d)
    case .bytes(let b): appendEscapedString(b)
    case .string(let s): appendEscapedString(s)
    case .raw(let b): append(b)
    }
    return true
  }

  /// The bytes written so far (an in-memory sink's content).
  package var contents: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
