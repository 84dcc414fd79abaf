/*
 A JSON document as a tree, for the small documents where convenience beats
 speed: partial aggregate states being merged, option values, tests. Records
 on the hot path go through NDJSONScanner instead.

 The parser reuses the scanner's grammar (JSONCursor): one validating pass
 over the whole text, then containers are re-walked to build the tree.
 Objects keep member order and duplicates.
*/

package enum JSONValue: Sendable, Equatable, CustomStringConvertible {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// Parses one JSON value (any kind) surrounded by optional whitespace.
  package static func parse(_ bytes: UnsafeRawBufferPointer) throws(NDJSONError) -> JSONValue {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
      throw NDJSONError("unexpected end of line, expected a value", column: 1)
    }
    var cursor = JSONCursor(base: base, count: bytes.count)
    cursor.skipWhitespace()
    let token = try cursor.scanValue(depth: 0)
    cursor.skipWhitespace()
    if cursor.pos < cursor.count { throw cursor.unexpected("expected end of input after value") }
    return build(token, base: base)
  }

  package static func parse(_ text: String) throws(NDJSONError) -> JSONValue {
    let bytes = Array(text.utf8)
    let result = bytes.withUnsafeBytes { buffer in
      Result { () throws(NDJSONError) -> JSONValue in try parse(buffer) }
    }
    return try result.get()
  }

  /// Builds the tree of an already validated value.
  private static func build(_ t: JSONToken, base: UnsafePointer<UInt8>) -> JSONValue {
    switch t.kind {
    case .null: return .null
    case .true: return .bool(true)
    case .false: return .bool(false)
    case .number: return .number(parseDecimalDouble(base + t.start, t.end - t.start) ?? .nan)
    case .string: return .string(decode(base, t.start + 1, t.end - 1, escaped: t.hasEscapes))
    case .object, .array:
      let table = JSONFieldTable(capacity: 8)
      var cursor = JSONCursor(base: base, count: t.end, pos: t.start)
      // Validated already: these walks cannot fail.
      if t.kind == .object {
        try? cursor.scanObject(depth: 0, into: table)
      } else {
        try? cursor.scanArray(depth: 0, into: table)
      }
      let members = UnsafeBufferPointer(start: table.fields, count: table.count)
      if t.kind == .array { return .array(members.map { build($0.value, base: base) }) }
      return .object(
        members.map { (decode(base, $0.nameStart, $0.nameEnd, escaped: $0.nameEscaped), build($0.value, base: base)) })
    }
  }

  private static func decode(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, escaped: Bool) -> String {
    let n = end - start
    if !escaped { return String(decoding: UnsafeBufferPointer(start: base + start, count: n), as: UTF8.self) }
    let bytes = [UInt8](unsafeUninitializedCapacity: Swift.max(n, 1)) { buffer, count in
      // Decoding never grows the text, so n bytes suffice.
      count = buffer.baseAddress.map { decodeJSONString(base + start, n, into: $0) } ?? 0
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  // MARK: access

  /// The first member named `key` of an object.
  package subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.0 == key }?.1
  }

  package var doubleValue: Double? {
    if case .number(let d) = self { return d }
    return nil
  }

  package var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  package var arrayValue: [JSONValue]? {
    if case .array(let a) = self { return a }
    return nil
  }

  package static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x == y
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// Compact JSON text.
  package var description: String {
    let sink = OutputSink(fd: -1)
    sink.value(json: self)
    return String(decoding: UnsafeRawBufferPointer(start: sink.base, count: sink.count), as: UTF8.self)
  }
}

extension OutputSink {
  /// Writes a JSONValue (commas handled like every other value).
  package func value(json: JSONValue) {
    switch json {
    case .null: valueNull()
    case .bool(let b): value(b)
    case .number(let d): value(d)
    case .string(let s): value(s)
    case .array(let elements):
      beginArray()
      for element in elements { value(json: element) }
      endArray()
    case .object(let members):
      beginObject()
      for (name, member) in members {
        key(string: name)
        value(json: member)
      }
      endObject()
    }
  }
}
