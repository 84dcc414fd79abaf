/*
 The value of an expression. Strings read from a record stay byte ranges
 into the line (`.bytes`), valid until the next record is loaded; computed
 strings (lower(), str(), concatenation) are owned Strings.
*/
import Glibc

package enum ExprValue: CustomStringConvertible {
  case null
  case bool(Bool)
  case number(Double)
  /// A string viewed in the record's line (or a compiled literal), not owned.
  case bytes(UnsafeRawBufferPointer)
  /// A string computed by a function.
  case string(String)
  /// A nested JSON object or array, as its exact text.
  case raw(UnsafeRawBufferPointer)

  package var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// Truthiness: null, false, 0 (and NaN) and "" are false.
  package var isTrue: Bool {
    switch self {
    case .null: return false
    case .bool(let b): return b
    case .number(let d): return d != 0 && !d.isNaN
    case .bytes(let b): return b.count > 0
    case .string(let s): return !s.isEmpty
    case .raw: return true
    }
  }

  /// A number, or a string that is entirely a decimal number.
  package var numeric: Double? {
    switch self {
    case .number(let d): return d
    case .bytes(let b): return b.baseAddress.flatMap { parseDecimalDouble($0.assumingMemoryBound(to: UInt8.self), b.count) }
    case .string(var s): return s.withUTF8 { u in u.baseAddress.flatMap { parseDecimalDouble($0, u.count) } }
    default: return nil
    }
  }

  /// The value as an owned String (numbers in their shortest form); nil for null.
  package var text: String? {
    switch self {
    case .null: return nil
    case .bool(let b): return b ? "true" : "false"
    case .number(let d): return formatExprNumber(d)
    case .bytes(let b), .raw(let b): return String(decoding: b, as: UTF8.self)
    case .string(let s): return s
    }
  }

  /// Calls `body` with the value's text bytes without copying when it is a
  /// string; nil for null.
  @inline(__always)
  func withText<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
    switch self {
    case .bytes(let b), .raw(let b): return body(b)
    case .string(var s): return s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    case .null: return nil
    default:
      var s = text ?? ""
      return s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
  }

  /// Whether the value is a string (viewed or owned).
  var isString: Bool {
    switch self {
    case .bytes, .string: return true
    default: return false
    }
  }

  package var description: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let d): return formatExprNumber(d)
    case .bytes, .string: return "\"\(text ?? "")\""
    case .raw(let b): return String(decoding: b, as: UTF8.self)
    }
  }

  /// Writes the value as JSON (strings escaped, nested values verbatim).
  package func write(to sink: OutputSink) {
    switch self {
    case .null: sink.valueNull()
    case .bool(let b): sink.value(b)
    case .number(let d): sink.value(d)
    case .bytes(let b): sink.value(string: b)
    case .string(let s): sink.value(s)
    case .raw(let b): sink.value(rawJSON: b)
    }
  }
}

extension ExprValue: Equatable {
  /// The language's `==`: null equals only null; a numeric string equals its number.
  package static func == (a: ExprValue, b: ExprValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.null, _), (_, .null): return false
    case (.number(let x), .number(let y)): return x == y
    case (.bool(let x), .bool(let y)): return x == y
    case (.raw(let x), .raw(let y)): return bytesEqual(x, y)
    case (.raw, _), (_, .raw), (.bool, _), (_, .bool): return false
    case (.number(let x), _): return b.numeric == x
    case (_, .number(let y)): return a.numeric == y
    default: return compareText(a, b) == 0
    }
  }
}

/// Bytewise three-way compare of two strings' texts.
@inline(__always)
func compareText(_ a: ExprValue, _ b: ExprValue) -> Int {
  if case .bytes(let x) = a, case .bytes(let y) = b { return compareBytes(x, y) }
  return a.withText { x in b.withText { y in compareBytes(x, y) } ?? 0 } ?? 0
}

@inline(__always)
func compareBytes(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Int {
  let n = Swift.min(x.count, y.count)
  if n > 0, let px = x.baseAddress, let py = y.baseAddress {
    let c = memcmp(px, py, n)
    if c != 0 { return c < 0 ? -1 : 1 }
  }
  return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
}

@inline(__always)
func bytesEqual(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
  guard x.count == y.count else { return false }
  guard x.count > 0, let px = x.baseAddress, let py = y.baseAddress else { return true }
  return memcmp(px, py, x.count) == 0
}
