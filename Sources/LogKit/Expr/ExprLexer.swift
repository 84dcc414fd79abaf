/*
 Splits expression text into tokens with their columns. Numbers with a unit
 suffix are durations (via the command line's parseDuration, so `5m` means
 the same in options and expressions) and become seconds.
*/

enum ExprTokenKind: Equatable {
  case number(Double)
  case string(String)
  case name(String)
  /// A backquoted field segment: never a keyword or function.
  case quotedName(String)
  /// Punctuation and operators: ( ) [ ] , . + - * / % == != < <= > >= && || !
  case symbol(String)
  case end
}

struct ExprToken {
  var kind: ExprTokenKind
  /// 1-based byte offset of the token's first byte.
  var column: Int
}

struct ExprLexer {
  let text: [UInt8]

  init(_ text: String) { self.text = Array(text.utf8) }

  func tokenize() throws(ExprError) -> [ExprToken] {
    var tokens: [ExprToken] = []
    var i = 0
    while true {
      while i < text.count, text[i] == 0x20 || text[i] == 0x09 || text[i] == 0x0A || text[i] == 0x0D { i += 1 }
      guard i < text.count else {
        tokens.append(ExprToken(kind: .end, column: i + 1))
        return tokens
      }
      let start = i
      let b = text[i]
      let kind: ExprTokenKind
      if isExprDigit(b) {
        kind = try number(&i)
      } else if b == 0x22 || b == 0x27 {
        kind = .string(try string(&i))
      } else if b == UInt8(ascii: "`") {
        i += 1
        let nameStart = i
        while i < text.count, text[i] != UInt8(ascii: "`") { i += 1 }
        guard i < text.count else { throw ExprError("unterminated `quoted name`", column: start + 1) }
        guard i > nameStart else { throw ExprError("empty `quoted name`", column: start + 1) }
        kind = .quotedName(String(decoding: text[nameStart..<i], as: UTF8.self))
        i += 1
      } else if isExprNameByte(b) {
        while i < text.count, isExprNameByte(text[i]) { i += 1 }
        kind = .name(String(decoding: text[start..<i], as: UTF8.self))
      } else {
        kind = .symbol(try symbol(&i))
      }
      tokens.append(ExprToken(kind: kind, column: start + 1))
    }
  }

  private func symbol(_ i: inout Int) throws(ExprError) -> String {
    let b = text[i]
    let next: UInt8 = i + 1 < text.count ? text[i + 1] : 0
    let column = i + 1
    let two = String(decoding: [b, next], as: UTF8.self)
    if ["==", "!=", "<=", ">=", "&&", "||"].contains(two) {
      i += 2
      return two
    }
    if two == "=~" { throw ExprError("regular expressions are not supported; use startswith, endswith or contains", column: column) }
    switch b {
    case UInt8(ascii: "="): throw ExprError("unexpected '=': use '==' to compare", column: column)
    case UInt8(ascii: "&"): throw ExprError("unexpected '&': use '&&' or 'and'", column: column)
    case UInt8(ascii: "|"): throw ExprError("unexpected '|': use '||' or 'or'", column: column)
    default: break
    }
    if "()[],.+-*/%<>!".utf8.contains(b) {
      i += 1
      return String(UnicodeScalar(b))
    }
    if b >= 0x21 && b < 0x7F { throw ExprError("unexpected character '\(UnicodeScalar(b))'", column: column) }
    throw ExprError("unexpected byte 0x\(String(b, radix: 16))", column: column)
  }

  /// A number, or a duration when letters follow the digits.
  private func number(_ i: inout Int) throws(ExprError) -> ExprTokenKind {
    let start = i
    while i < text.count, isExprDigit(text[i]) { i += 1 }
    if i + 1 < text.count, text[i] == UInt8(ascii: "."), isExprDigit(text[i + 1]) {
      i += 1
      while i < text.count, isExprDigit(text[i]) { i += 1 }
    }
    if i < text.count, text[i] | 0x20 == UInt8(ascii: "e") {
      var j = i + 1
      if j < text.count, text[j] == UInt8(ascii: "+") || text[j] == UInt8(ascii: "-") { j += 1 }
      if j < text.count, isExprDigit(text[j]) {
        i = j
        while i < text.count, isExprDigit(text[i]) { i += 1 }
      }
    }
    let isDuration = i < text.count && isExprNameByte(text[i])
    if isDuration {
      while i < text.count, isExprNameByte(text[i]) || text[i] == UInt8(ascii: ".") { i += 1 }
    }
    let literal = String(decoding: text[start..<i], as: UTF8.self)
    if isDuration {
      // Only digits, dots and unit letters reach parseDuration, which would
      // also take Swift float syntax such as hex ("0x10").
      let durationBytes = Set("0123456789.usmhd".utf8)
      guard literal.utf8.allSatisfy(durationBytes.contains), let micros = parseDuration(literal) else {
        throw ExprError("invalid number or duration '\(literal)' (units: us, ms, s, m, h, d)", column: start + 1)
      }
      return .number(Double(micros) / 1_000_000)  // parseDuration bounds it
    }
    let end = i
    let value = text.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.flatMap { parseDecimalDouble($0 + start, end - start) }
    }
    guard let value else { throw ExprError("invalid number '\(literal)'", column: start + 1) }
    guard value.isFinite else { throw ExprError("number out of range '\(literal)'", column: start + 1) }
    return .number(value)
  }

  private func string(_ i: inout Int) throws(ExprError) -> String {
    let quote = text[i]
    let open = i
    i += 1
    var bytes: [UInt8] = []
    while i < text.count, text[i] != quote {
      guard text[i] == 0x5C else {
        bytes.append(text[i])
        i += 1
        continue
      }
      guard i + 1 < text.count else { break }
      let e = text[i + 1]
      switch e {
      case 0x22, 0x27, 0x5C, 0x2F: bytes.append(e)
      case UInt8(ascii: "n"): bytes.append(0x0A)
      case UInt8(ascii: "r"): bytes.append(0x0D)
      case UInt8(ascii: "t"): bytes.append(0x09)
      case UInt8(ascii: "u"):
        var value: UInt32 = 0
        for k in 2..<6 {
          guard i + k < text.count, let h = hexValue(text[i + k]) else {
            throw ExprError("invalid \\u escape: expected 4 hex digits", column: i + 1)
          }
          value = value << 4 | h
        }
        let scalar = UnicodeScalar(value) ?? "\u{FFFD}"
        bytes.append(contentsOf: Array(String(Character(scalar)).utf8))
        i += 4
      default:
        throw ExprError("invalid escape '\\\(String(decoding: [e], as: UTF8.self))'", column: i + 1)
      }
      i += 2
    }
    guard i < text.count else { throw ExprError("unterminated string", column: open + 1) }
    i += 1
    return String(decoding: bytes, as: UTF8.self)
  }
}
