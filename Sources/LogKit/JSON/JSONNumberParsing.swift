/*
 Number and string decoding from bytes, shared by the scanner's typed access,
 the JSONValue parser and the expression language's int()/float().

 Doubles: typical log numbers ("0.123", "5120", "1e3") take Clinger's fast
 path: up to 19 significant digits in a UInt64 and a power of ten <= 22, where
 one correctly rounded multiply or divide gives the correctly rounded result.
 Longer or more extreme forms fall back to the standard library's parser.
*/

private let exactPowersOfTen: [Double] = [
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Parses a decimal number (JSON grammar, leading zeros tolerated); nil when
/// the bytes are not one complete number.
package func parseDecimalDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
  // Status codes and byte counts: up to 15 plain digits are exact in a Double.
  if n > 0, n <= 15 {
    var digits: UInt64 = 0
    var k = 0
    while k < n {
      let d = p[k] &- 0x30
      guard d < 10 else { break }
      digits = digits &* 10 &+ UInt64(d)
      k &+= 1
    }
    if k == n { return Double(digits) }
  }
  var i = 0
  let negative = n > 0 && p[0] == UInt8(ascii: "-")
  if negative { i = 1 }
  var mantissa: UInt64 = 0
  var significant = 0
  var exponent = 0
  let intStart = i
  // Significant digits are counted from the first nonzero one, not from the
  // mantissa's value: it wraps to exactly 0 at 2^64 ("18446744073709551616").
  while i < n, isDigit(p[i]) {
    let digit = UInt64(p[i] &- 0x30)
    mantissa = mantissa &* 10 &+ digit
    if significant > 0 || digit != 0 { significant &+= 1 }
    i &+= 1
  }
  guard i > intStart else { return nil }
  if i < n, p[i] == UInt8(ascii: ".") {
    i &+= 1
    let fracStart = i
    while i < n, isDigit(p[i]) {
      let digit = UInt64(p[i] &- 0x30)
      mantissa = mantissa &* 10 &+ digit
      if significant > 0 || digit != 0 { significant &+= 1 }
      exponent &-= 1
      i &+= 1
    }
    guard i > fracStart else { return nil }
  }
  if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
    i &+= 1
    var expNegative = false
    if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
      expNegative = p[i] == UInt8(ascii: "-")
      i &+= 1
    }
    let expStart = i
    var e = 0
    while i < n, isDigit(p[i]) {
      if e < 100_000 { e = e &* 10 &+ Int(p[i] &- 0x30) }
      i &+= 1
    }
    guard i > expStart else { return nil }
    exponent &+= expNegative ? -e : e
  }
  guard i == n else { return nil }
  if significant <= 19 {
    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    if mantissa <= 1 << 53 && exponent >= -22 && exponent <= 22 {
      let m = Double(mantissa)
      let value = exponent < 0 ? m / exactPowersOfTen[-exponent] : m * exactPowersOfTen[exponent]
      return negative ? -value : value
    }
  }
  return Double(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
}

/// Parses an integer; a number with fraction or exponent is accepted when its
/// value is integral and fits ("5.0", "1e3"). nil otherwise.
package func parseDecimalInt(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
  var i = 0
  let negative = n > 0 && p[0] == UInt8(ascii: "-")
  if negative { i = 1 }
  let start = i
  var magnitude: UInt64 = 0
  while i < n, isDigit(p[i]) {
    let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
    let (sum, o2) = times10.addingReportingOverflow(UInt64(p[i] &- 0x30))
    if o1 || o2 { return nil }
    magnitude = sum
    i &+= 1
  }
  guard i > start else { return nil }
  if i < n {
    guard let d = parseDecimalDouble(p, n), d == d.rounded(.towardZero),
      d >= -9.223_372_036_854_775_808e18, d < 9.223_372_036_854_775_808e18
    else { return nil }
    return Int64(d)
  }
  if negative {
    if magnitude > UInt64(Int64.max) &+ 1 { return nil }
    return Int64(truncatingIfNeeded: 0 &- magnitude)
  }
  if magnitude > UInt64(Int64.max) { return nil }
  return Int64(magnitude)
}

/// Decodes the content of a validated JSON string (between the quotes) into
/// `dst`, which must hold `n` bytes (decoding never grows the text). Returns
/// the decoded length. Lone surrogates from \u escapes become U+FFFD; raw
/// bytes are copied as they are.
package func decodeJSONString(
  _ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>
) -> Int {
  var i = 0
  var o = 0
  while i < n {
    let b = src[i]
    if b != 0x5C {
      dst[o] = b
      o &+= 1
      i &+= 1
      continue
    }
    let e = i &+ 1 < n ? src[i &+ 1] : 0
    i &+= 2
    switch e {
    case UInt8(ascii: "b"): dst[o] = 0x08
    case UInt8(ascii: "f"): dst[o] = 0x0C
    case UInt8(ascii: "n"): dst[o] = 0x0A
    case UInt8(ascii: "r"): dst[o] = 0x0D
    case UInt8(ascii: "t"): dst[o] = 0x09
    case UInt8(ascii: "u"):
      var scalar = hex4(src, i, n)
      i &+= 4
      if scalar >= 0xD800 && scalar < 0xDC00 {
        // A high surrogate pairs only with an immediately following low one.
        if i &+ 6 <= n, src[i] == 0x5C, src[i &+ 1] == UInt8(ascii: "u") {
          let low = hex4(src, i &+ 2, n)
          if low >= 0xDC00 && low < 0xE000 {
            scalar = 0x10000 &+ ((scalar &- 0xD800) << 10) &+ (low &- 0xDC00)
            i &+= 6
          } else {
            scalar = 0xFFFD
          }
        } else {
          scalar = 0xFFFD
        }
      } else if scalar >= 0xDC00 && scalar < 0xE000 {
        scalar = 0xFFFD
      }
      o &+= encodeUTF8(scalar, into: dst + o)
      continue
    default: dst[o] = e  // '"', '\', '/'
    }
    o &+= 1
  }
  return o
}

@inline(__always)
private func hex4(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> UInt32 {
  var v: UInt32 = 0
  for k in 0..<4 {
    guard i &+ k < n, let h = hexValue(p[i &+ k]) else { return 0xFFFD }
    v = v << 4 | h
  }
  return v
}

@inline(__always)
private func encodeUTF8(_ scalar: UInt32, into dst: UnsafeMutablePointer<UInt8>) -> Int {
  switch scalar {
  case ..<0x80:
    dst[0] = UInt8(scalar)
    return 1
  case ..<0x800:
    dst[0] = UInt8(0xC0 | scalar >> 6)
    dst[1] = UInt8(0x80 | scalar & 0x3F)
    return 2
  case ..<0x10000:
    dst[0] = UInt8(0xE0 | scalar >> 12)
    dst[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
    dst[2] = UInt8(0x80 | scalar & 0x3F)
    return 3
  default:
    dst[0] = UInt8(0xF0 | scalar >> 18)
    dst[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
    dst[2] = UInt8(0x80 | scalar >> 6 & 0x3F)
    dst[3] = UInt8(0x80 | scalar & 0x3F)
    return 4
  }
}
