/*
 The validating byte walker under the NDJSON scanner, nested path lookups and
 the JSONValue parser: one place that knows the JSON grammar.

 It works on a raw pointer with a position in a local struct (no class
 properties in the loop, so no exclusivity checks). Strings are skipped sixteen
 bytes at a time (SWAR: two words are tested for '"', '\', and control bytes
 at once, and the first such byte is found from the mask, not byte by byte),
 which is most of a log record's bytes. UTF-8 inside strings is not
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
      guard b <= 0x20, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
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
      skipPlainStringBytes()
      guard pos < count else { throw error("unterminated string", at: open) }
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

  /// Moves `pos` to the next '"', '\' or control byte of a string (or the end):
  /// 16 bytes a step while they are plain, then the first special byte's offset
  /// straight from the word's mask (its lowest flagged byte is always exact).
  @inline(__always)
  mutating func skipPlainStringBytes() {
    while pos &+ 16 <= count {
      let low = Self.specialBytes(UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
      let high = Self.specialBytes(UnsafeRawPointer(base + (pos &+ 8)).loadUnaligned(as: UInt64.self))
      if low | high != 0 {
        pos &+= low != 0 ? low.trailingZeroBitCount &>> 3 : 8 &+ high.trailingZeroBitCount &>> 3
        return
      }
      pos &+= 16
    }
    if pos &+ 8 <= count {
      let word = Self.specialBytes(UnsafeRawPointer(base + pos).loadUnaligned(as: UInt64.self))
      if word != 0 {
        pos &+= word.trailingZeroBitCount &>> 3
        return
      }
      pos &+= 8
    }
    let left = count &- pos
    guard left > 0 else { return }
    if count >= 8 {
      // The line's last word, its bytes before `pos` shifted out: no byte loop at the end of a line.
      let last = UnsafeRawPointer(base + (count &- 8)).loadUnaligned(as: UInt64.self) &>> UInt64(8 &* (8 &- left))
      let word = Self.specialBytes(last) & ((1 &<< UInt64(8 &* left)) &- 1)
      pos &+= word != 0 ? word.trailingZeroBitCount &>> 3 : left
      return
    }
    while pos < count {
      let b = base[pos]
      if b == 0x22 || b == 0x5C || b < 0x20 { return }
      pos &+= 1
    }
  }

  /// The high bit of every byte of `x` that is '"', '\' or below 0x20 (SWAR);
  /// bytes above the lowest flagged one may be flagged wrongly (borrows).
  @inline(__always)
  static func specialBytes(_ x: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let q = x ^ 0x2222_2222_2222_2222
    let s = x ^ 0x5C5C_5C5C_5C5C_5C5C
    return (((q &- ones) & ~q) | ((s &- ones) & ~s) | ((x &- 0x2020_2020_2020_2020) & ~x)) & 0x8080_8080_8080_8080
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
      // Compact JSON (what logkit writes) has `":` and `",` with nothing between: whitespace
      // is looked for only when the expected byte is not there.
      if pos >= count || base[pos] != UInt8(ascii: ":") { skipWhitespace() }
      guard pos < count, base[pos] == UInt8(ascii: ":") else {
        throw unexpected("expected ':' after object key")
      }
      pos &+= 1
      if pos < count && base[pos] <= 0x20 { skipWhitespace() }
      let value = try scanValue(depth: depth)
      table?.append(
        JSONField(nameStart: nameStart &+ 1, nameEnd: nameEnd &- 1, nameEscaped: nameEscaped, value: value))
      if pos < count && base[pos] <= 0x20 { skipWhitespace() }
      guard pos < count else { throw unexpected("expected ',' or '}'") }
      let b = base[pos]
      pos &+= 1
      if b == UInt8(ascii: "}") { return }
      guard b == UInt8(ascii: ",") else {
        pos &-= 1
        throw unexpected("expected ',' or '}' after object value")
      }
      if pos < count && base[pos] <= 0x20 { skipWhitespace() }
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
