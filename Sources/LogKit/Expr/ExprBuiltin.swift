/*
 The built-in functions of the expression language: names, arities (checked
 by the parser) and implementations (called by CompiledExpr with the
 evaluated arguments in a reused buffer). Semantics are listed in Expr.swift.
*/
import Glibc

package enum ExprBuiltin: String, CaseIterable, Sendable {
  case startswith, endswith, contains, lower, upper, len
  case abs, min, max, round, floor, ceil
  case int, float, str, exists, coalesce

  var arity: ClosedRange<Int> {
    switch self {
    case .startswith, .endswith, .contains: return 2...2
    case .round: return 1...2
    case .min, .max, .coalesce: return 1...Int.max
    default: return 1...1
    }
  }

  var arityText: String {
    let r = arity
    if r.lowerBound == r.upperBound { return r.lowerBound == 1 ? "1 argument" : "\(r.lowerBound) arguments" }
    if r.upperBound == Int.max { return "at least \(r.lowerBound) argument\(r.lowerBound == 1 ? "" : "s")" }
    return "\(r.lowerBound) to \(r.upperBound) arguments"
  }

  /// Applies the function to `count` evaluated arguments.
  func apply(_ args: UnsafeMutablePointer<ExprValue>, _ count: Int) -> ExprValue {
    switch self {
    case .startswith, .endswith, .contains:
      let result = args[0].withText { s in
        args[1].withText { p in matches(s, p) }
      }
      return .bool((result ?? nil) ?? false)
    case .lower, .upper:
      guard var text = args[0].text else { return .null }
      text = String(decoding: text.utf8.map { mapASCIICase($0, upper: self == .upper) }, as: UTF8.self)
      return .string(text)
    case .len:
      let n = args[0].withText { b in b.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } }
      return n.map { .number(Double($0)) } ?? .null
    case .abs, .floor, .ceil, .round:
      guard let x = args[0].numeric else { return .null }
      return .number(rounding(x, count == 2 ? args[1].numeric : nil))
    case .min, .max:
      var best: ExprValue = .null
      for k in 0..<count where !args[k].isNull {
        if best.isNull {
          best = args[k]
          continue
        }
        guard let order = orderValues(args[k], best) else { continue }
        if self == .min ? order < 0 : order > 0 { best = args[k] }
      }
      return best
    case .int, .float:
      let x: Double?
      switch args[0] {
      case .bool(let b): x = b ? 1 : 0
      default: x = args[0].numeric
      }
      guard let x, x.isFinite || self == .float else { return .null }
      return .number(self == .int ? x.rounded(.towardZero) : x)
    case .str:
      switch args[0] {
      case .null, .bytes, .string: return args[0]
      default: return args[0].text.map(ExprValue.string) ?? .null
      }
    case .exists:
      return .bool(!args[0].isNull)
    case .coalesce:
      for k in 0..<count where !args[k].isNull { return args[k] }
      return .null
    }
  }

  private func matches(_ s: UnsafeRawBufferPointer, _ p: UnsafeRawBufferPointer) -> Bool {
    guard p.count <= s.count else { return false }
    guard p.count > 0, let sp = s.baseAddress, let pp = p.baseAddress else { return true }
    switch self {
    case .startswith: return memcmp(sp, pp, p.count) == 0
    case .endswith: return memcmp(sp + (s.count - p.count), pp, p.count) == 0
    default:
      var i = 0
      let first = p[0]
      let last = s.count - p.count
      while i <= last {
        if s[i] == first, memcmp(sp + i, pp, p.count) == 0 { return true }
        i += 1
      }
      return false
    }
  }

  private func rounding(_ x: Double, _ digits: Double?) -> Double {
    switch self {
    case .abs: return Swift.abs(x)
    case .floor: return x.rounded(.down)
    case .ceil: return x.rounded(.up)
    default:
      guard let digits, digits != 0 else { return x.rounded(.toNearestOrAwayFromZero) }
      let scale = pow(10, digits.rounded(.towardZero))
      return (x * scale).rounded(.toNearestOrAwayFromZero) / scale
    }
  }
}

@inline(__always)
private func mapASCIICase(_ b: UInt8, upper: Bool) -> UInt8 {
  if upper { return b >= 0x61 && b <= 0x7A ? b - 0x20 : b }
  return b >= 0x41 && b <= 0x5A ? b + 0x20 : b
}

/// Three-way order for `<` `<=` `>` `>=` (and min/max); nil when the values
/// cannot be ordered (null involved, or unrelated kinds).
@inline(__always)
func orderValues(_ a: ExprValue, _ b: ExprValue) -> Int? {
  switch (a, b) {
  case (.number(let x), .number(let y)): return orderNumbers(x, y)
  case (.null, _), (_, .null), (.raw, _), (_, .raw): return nil
  case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
  case (.bool, _), (_, .bool): return nil
  case (.number(let x), _): return b.numeric.flatMap { orderNumbers(x, $0) }
  case (_, .number(let y)): return a.numeric.flatMap { orderNumbers($0, y) }
  default: return compareText(a, b)
  }
}

@inline(__always)
func orderNumbers(_ x: Double, _ y: Double) -> Int? {
  if x < y { return -1 }
  if x > y { return 1 }
  return x == y ? 0 : nil
}
