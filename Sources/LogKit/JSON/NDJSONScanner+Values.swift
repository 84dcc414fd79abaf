/*
 Typed access to the values of the scanned line. Everything takes a token
 (from `token(at:)` or a path lookup) or a field index; nothing is decoded
 until asked for, and only `string` allocates (the String it returns).
*/

extension NDJSONScanner {
  /// The exact JSON text of a value, for passing it through unchanged.
  package func rawBytes(_ t: JSONToken) -> UnsafeRawBufferPointer {
    bytes(t.start, t.end)
  }

  /// The bytes between a string's quotes when it has no escapes (the fast
  /// path: a view into the line); nil for escaped strings and other kinds.
  package func stringBytes(_ t: JSONToken) -> UnsafeRawBufferPointer? {
    guard t.kind == .string, !t.hasEscapes else { return nil }
    return bytes(t.start &+ 1, t.end &- 1)
  }

  /// A string's decoded bytes: a view into the line, or for escaped strings
  /// into a scratch buffer that the next decode overwrites.
  package func decodedStringBytes(_ t: JSONToken) -> UnsafeRawBufferPointer? {
    guard t.kind == .string else { return nil }
    if !t.hasEscapes { return stringBytes(t) }
    return decodeInScratch(start: t.start + 1, end: t.end - 1)
  }

  /// Decodes a string's content into `out`, which must hold `t.end - t.start`
  /// bytes (decoding never grows the text), and returns the decoded length;
  /// nil for other kinds. For decoded text that must outlive the next decode
  /// (values kept until a record is written).
  package func decodeString(_ t: JSONToken, into out: UnsafeMutablePointer<UInt8>) -> Int? {
    guard t.kind == .string, let b = base else { return nil }
    return decodeJSONString(b + (t.start &+ 1), t.end &- t.start &- 2, into: out)
  }

  /// A field's decoded name: a view into the line, or for names with escapes
  /// into the scratch buffer that the next decode overwrites.
  package func decodedName(_ f: JSONField) -> UnsafeRawBufferPointer {
    f.nameEscaped ? decodeInScratch(start: f.nameStart, end: f.nameEnd) : bytes(f.nameStart, f.nameEnd)
  }

  /// A string value decoded (escapes, \u surrogate pairs; invalid UTF-8 repaired).
  package func string(_ t: JSONToken) -> String? {
    guard t.kind == .string else { return nil }
    return decodedString(start: t.start + 1, end: t.end - 1, escaped: t.hasEscapes)
  }

  /// An integral number as Int64 ("5.0" and "1e3" count); nil otherwise.
  package func int(_ t: JSONToken) -> Int64? {
    guard t.kind == .number, let b = base else { return nil }
    return parseDecimalInt(b + t.start, t.end &- t.start)
  }

  package func double(_ t: JSONToken) -> Double? {
    guard t.kind == .number, let b = base else { return nil }
    return parseDecimalDouble(b + t.start, t.end &- t.start)
  }

  package func bool(_ t: JSONToken) -> Bool? {
    switch t.kind {
    case .true: return true
    case .false: return false
    default: return nil
    }
  }

  package func isNull(_ t: JSONToken) -> Bool { t.kind == .null }

  /// A nested object or array (or any value) as a JSONValue tree.
  package func jsonValue(_ t: JSONToken) -> JSONValue? {
    try? JSONValue.parse(rawBytes(t))
  }

  // MARK: by field index

  /// Top-level field `index`: its name range and value (for `decodedName`).
  package func field(at index: Int) -> JSONField { table.fields[index] }
  package func kind(at index: Int) -> JSONKind { token(at: index).kind }
  package func rawBytes(at index: Int) -> UnsafeRawBufferPointer { rawBytes(token(at: index)) }
  package func stringBytes(at index: Int) -> UnsafeRawBufferPointer? { stringBytes(token(at: index)) }
  package func string(at index: Int) -> String? { string(token(at: index)) }
  package func int(at index: Int) -> Int64? { int(token(at: index)) }
  package func double(at index: Int) -> Double? { double(token(at: index)) }
  package func bool(at index: Int) -> Bool? { bool(token(at: index)) }
  package func isNull(at index: Int) -> Bool { isNull(token(at: index)) }
}
