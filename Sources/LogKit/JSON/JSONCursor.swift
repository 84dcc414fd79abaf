/*
 The validating byte walker under the NDJSON scanner, nested path lookups and
 the JSONValue parser: one place that knows the JSON grammar.

 It works on a raw pointer with a position in a local struct (no class
 properties in the loop, so no exclusivity checks). Strings are skipped eight
 bytes at a time (SWAR: a word is tested for '"', '\', and control bytes at
 once), which is most of a log record's bytes. UTF-8 inside strings is not
 validated here: bytes >= 0x80 pass through, decoding to String and the JSON
 writer repair invalid sequences to U+FFFD. Foreign logs with stray Latin-1
 bytes stay readable instead of being rejected whole.
*/
import Glibc

/// Deepest nesting of objects and arrays accepted (keeps recursion bounded).
package let jsonMaxDepth = 512

struct JSONCursor {
  let base: UnsafePointer<UInt8>
  let count: Int
  var pos: Int

  init(base: UnsafePointer<UInt8>, count: Int, pos: Int = 0) {
    self.base = base
    self.count = count
    self.pos = pos
  }

  @inline(__always)
  func error(_ reason: String, at position: Int) -> NDJSONError {
    NDJSONError(reason, column: position + 1)
  }

  @inline(__always)
  mutating func skipWhitespace() {
    while pos < count {
      let b = base[pos]
      guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
      pos &+= 1
    }
  }

  /// "unexpected 'x'" / "unexpected end of line", with `expected` appended.
  func unexpected(_ expected: String) -> NDJSONError {
    guard pos < count else { return error("unexpected end of line, \(expected)", at: pos) }
    return error("\(describeByte(base[pos])): \(expected)", at: pos)
  }

  /// Skips a string starting at the opening quote; returns whether it has escapes.
  @inline(__always)
  mutating func scanString() throws(NDJSONError) -> Bool {
    let open = pos
    pos &+= 1
    var escaped = false
    while true {
      while pos &+ 8 <= count {
        let x = UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self)
        let q = x ^ 0x2222_2222_2222_2222
        let s = x ^ 0x5C5C_5C5C_5C5C_5C5C
        let ones: UInt64 = 0x0101_0101_0101_0101
        let special = ((q &- ones) & ~q) | ((s &- ones) & ~s) | ((x &- 0x2020_2020_2020_2020) & ~x)
        if special & 0x8080_8080_8080_8080 != 0 { break }
        pos &+= 8
      }
      // At most one word byte by byte, then back to words.
      let limit = Swift.min(pos &+ 8, count)
      while pos < limit {
        let b = base[pos]
        if b == 0x22 || b == 0x5C || b < 0x20 { break }
        pos &+= 1
      }
      if pos >= count { throw error("unterminated string", at: open) }
      if pos == limit { continue }
      let b = base[pos]
      if b == 0x22 {
        pos &+= 1
        return escaped
      }
      if b < 0x20 { throw error("control character \(printable(b)) in string", at: pos) }
      escaped = true
      try scanEscape()
    }
  }

  /// At a backslash inside a string.
  mutating func scanEscape() throws(NDJSONError) {
    guard pos &+ 1 < count else { throw error("unterminated string", at: pos) }
    switch base[pos &+ 1] {
    case 0x22, 0x5C, 0x2F, UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
      UInt8(ascii: "r"), UInt8(ascii: "t"):
      pos &+= 2
    case UInt8(ascii: "u"):
      for k in 2..<6 {
        guard pos &+ k < count, hexValue(base[pos &+ k]) != nil else {
          throw error("invalid \\u escape: expected 4 hex digits", at: pos)
        }
      }
      pos &+= 6
    default:
      throw error("invalid escape \\\(printable(base[pos &+ 1]))", at: pos)
    }
  }

  /// Skips a number per the JSON grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
  @inline(__always)
  mutating func scanNumber() throws(NDJSONError) {
    if base[pos] == UInt8(ascii: "-") { pos &+= 1 }
    guard pos < count, isDigit(base[pos]) else { throw unexpected("expected digit in number") }
    if base[pos] == UInt8(ascii: "0") {
      pos &+= 1
      if pos < count, isDigit(base[pos]) { throw error("leading zero in number", at: pos - 1) }
    } else {
      while pos < count, isDigit(base[pos]) { pos &+= 1 }
    }
    if pos < count, base[pos] == UInt8(ascii: ".") {
      pos &+= 1
      guard pos < count, isDigit(base[pos]) else { throw unexpected("expected digit after '.'") }
      while pos < count, isDigit(base[pos]) { pos &+= 1 }
    }
    if pos < count, base[pos] | 0x20 == UInt8(ascii: "e") {
      pos &+= 1
      if pos < count, base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-") { pos &+= 1 }
      guard pos < count, isDigit(base[pos]) else { throw unexpected("expected digit in exponent") }
      while pos < count, isDigit(base[pos]) { pos &+= 1 }
    }
  }

  mutating func scanLiteral(_ word: StaticString) throws(NDJSONError) {
    let n = word.utf8CodeUnitCount
    guard pos &+ n <= count, memcmp(base + pos, word.utf8Start, n) == 0 else {
      throw unexpected("expected a value")
    }
    pos &+= n
  }

  /// Scans any value at `pos` (whitespace already skipped).
  mutating func scanValue(depth: Int) throws(NDJSONError) -> JSONToken {
    guard pos < count else { throw unexpected("expected a value") }
    let start = pos
    let kind: JSONKind
    var escaped = false
    switch base[pos] {
    case 0x22:
      kind = .string
      escaped = try scanString()
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      kind = .number
      try scanNumber()
    case UInt8(ascii: "{"):
      kind = .object
      try scanObject(depth: depth &+ 1, into: nil)
    case UInt8(ascii: "["):
      kind = .array
      try scanArray(depth: depth &+ 1, into: nil)
    case UInt8(ascii: "t"):
      kind = .true
      try scanLiteral("true")
    case UInt8(ascii: "f"):
      kind = .false
      try scanLiteral("false")
    case UInt8(ascii: "n"):
      kind = .null
      try scanLiteral("null")
    default:
      throw unexpected("expected a value")
    }
    return JSONToken(start: start, end: pos, kind: kind, hasEscapes: escaped)
  }

  /// Scans an object at its '{'. With a table, each member is recorded in it
  /// (the top level of a record, or a nested object looked up by path).
  mutating func scanObject(depth: Int, into table: JSONFieldTable?) throws(NDJSONError) {
    if depth > jsonMaxDepth { throw error("nesting deeper than \(jsonMaxDepth) levels", at: pos) }
    pos &+= 1
    skipWhitespace()
    if pos < count, base[pos] == UInt8(ascii: "}") {
      pos &+= 1
      return
    }
    while true {
      guard pos < count, base[pos] == 0x22 else {
        if pos < count, base[pos] == UInt8(ascii: "}") { throw error("trailing comma in object", at: pos) }
        throw unexpected("expected object key")
      }
      let nameStart = pos
      let nameEscaped = try scanString()
      let nameEnd = pos
      skipWhitespace()
      guard pos < count, base[pos] == UInt8(ascii: ":") else {
        throw unexpected("expected ':' after object key")
      }
      pos &+= 1
      skipWhitespace()
      let value = try scanValue(depth: depth)
      table?.append(
        JSONField(nameStart: nameStart &+ 1, nameEnd: nameEnd &- 1, nameEscaped: nameEscaped, value: value))
      skipWhitespace()
      guard pos < count else { throw unexpected("expected ',' or '}'") }
      let b = base[pos]
      pos &+= 1
      if b == UInt8(ascii: "}") { return }
      guard b == UInt8(ascii: ",") else {
        pos &-= 1
        throw unexpected("expected ',' or '}' after object value")
      }
      skipWhitespace()
    }
  }

  /// Scans an array at its '['; with a table, elements are recorded (without names).
  mutating func scanArray(depth: Int, into table: JSONFieldTable?) throws(NDJSONError) {
    if depth > jsonMaxDepth { throw error("nesting deeper than \(jsonMaxDepth) levels", at: pos) }
    pos &+= 1
    skipWhitespace()
    if pos < count, base[pos] == UInt8(ascii: "]") {
      pos &+= 1
      return
    }
    while true {
      if pos < count, base[pos] == UInt8(ascii: "]") { throw error("trailing comma in array", at: pos) }
      let element = try scanValue(depth: depth)
      table?.append(JSONField(nameStart: 0, nameEnd: 0, nameEscaped: false, value: element))
      skipWhitespace()
      guard pos < count else { throw unexpected("expected ',' or ']'") }
      let b = base[pos]
      pos &+= 1
      if b == UInt8(ascii: "]") { return }
      guard b == UInt8(ascii: ",") else {
        pos &-= 1
        throw unexpected("expected ',' or ']' after array element")
      }
      skipWhitespace()
    }
  }
}

@inline(__always)
func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

@inline(__always)
func hexValue(_ b: UInt8) -> UInt32? {
  switch b {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b &- 0x30)
  case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b &- 0x57)
  case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b &- 0x37)
  default: return nil
  }
}

/// A byte for an error message: 'x' when printable ASCII, else byte 0xNN.
func describeByte(_ b: UInt8) -> String {
  if b >= 0x21 && b < 0x7F { return "unexpected '\(printable(b))'" }
  return "unexpected byte 0x" + hexByte(b)
}

func printable(_ b: UInt8) -> String {
  if b >= 0x20 && b < 0x7F { return String(UnicodeScalar(b)) }
  return "0x" + hexByte(b)
}

private func hexByte(_ b: UInt8) -> String {
  let digits = Array("0123456789abcdef")
  return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
}
