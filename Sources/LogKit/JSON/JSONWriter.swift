/*
 JSON output on top of `OutputSink`.

 Every string goes through one escaper, so output is always valid JSON in valid
 UTF-8: quote, backslash and all control characters are escaped, invalid UTF-8
 sequences become U+FFFD. ASCII runs without specials are copied in bulk.

 Commas are tracked by one flag: a key or value writes `,` first when the
 previous item in the same container needs one. This works for nesting because
 a container's end counts as a value.
*/

extension OutputSink {
  @inlinable
  package func beginObject() {
    if separatorPending { append(UInt8(ascii: ",")) }
    append(UInt8(ascii: "{"))
    separatorPending = false
  }

  @inlinable
  package func endObject() {
    append(UInt8(ascii: "}"))
    separatorPending = true
  }

  @inlinable
  package func beginArray() {
    if separatorPending { append(UInt8(ascii: ",")) }
    append(UInt8(ascii: "["))
    separatorPending = false
  }

  @inlinable
  package func endArray() {
    append(UInt8(ascii: "]"))
    separatorPending = true
  }

  /// Writes `"name":` (with a leading comma when needed). The name must not need escaping.
  @inlinable @inline(__always)
  package func key(_ name: StaticString) {
    let n = name.utf8CodeUnitCount
    ensure(n &+ 4)
    // One room check and direct stores: a record writes a dozen keys.
    var at = count
    if separatorPending {
      base[at] = UInt8(ascii: ",")
      at &+= 1
    }
    base[at] = UInt8(ascii: "\"")
    (base + (at &+ 1)).update(from: name.utf8Start, count: n)
    base[at &+ 1 &+ n] = UInt8(ascii: "\"")
    base[at &+ 2 &+ n] = UInt8(ascii: ":")
    count = at &+ 3 &+ n
    separatorPending = false
  }

  /// Writes a key given as bytes or a String, escaped.
  package func key(string name: String) {
    if separatorPending { append(UInt8(ascii: ",")) }
    appendEscapedString(name)
    append(UInt8(ascii: ":"))
    separatorPending = false
  }

  package func key(bytes name: UnsafeRawBufferPointer) {
    if separatorPending { append(UInt8(ascii: ",")) }
    appendEscapedString(name)
    append(UInt8(ascii: ":"))
    separatorPending = false
  }

  @inlinable @inline(__always)
  package func valuePrefix() {
    if separatorPending { append(UInt8(ascii: ",")) }
    separatorPending = true
  }

  package func value(string bytes: UnsafeRawBufferPointer) {
    valuePrefix()
    appendEscapedString(bytes)
  }

  package func value(_ string: String) {
    valuePrefix()
    appendEscapedString(string)
  }

  package func value(_ number: Int) {
    valuePrefix()
    appendInt(number)
  }

  /// A finite double in Swift's shortest round-trip form; NaN and infinities become null.
  package func value(_ number: Double) {
    valuePrefix()
    appendJSONDouble(number)
  }

  package func value(_ flag: Bool) {
    valuePrefix()
    append(flag ? "true" : "false")
  }

  package func valueNull() {
    valuePrefix()
    append("null")
  }

  /// Copies already-valid JSON text (a number token, a nested value kept raw).
  package func value(rawJSON bytes: UnsafeRawBufferPointer) {
    valuePrefix()
    append(bytes)
  }

  /// Microseconds as seconds in plain decimal ("0.000123", "12.5", "3").
  package func value(microsecondsAsSeconds micros: Int64) {
    valuePrefix()
    appendFixedPoint(micros, scaleDigits: 6)
  }

  package func appendJSONDouble(_ number: Double) {
    guard number.isFinite else { append("null"); return }
    if number == number.rounded(.towardZero), Swift.abs(number) < 1e15 {
      appendInt(Int(number))
    } else {
      append(string: number.description)
    }
  }

  /// Writes `value / 10^scaleDigits` without trailing zeros.
  package func appendFixedPoint(_ value: Int64, scaleDigits: Int) {
    var scale: Int64 = 1
    for _ in 0..<scaleDigits { scale *= 10 }
    if value < 0 { append(UInt8(ascii: "-")) }
    let magnitude = value.magnitude
    appendInt(Int(magnitude / UInt64(scale)))
    var fraction = magnitude % UInt64(scale)
    if fraction == 0 { return }
    var digits = scaleDigits
    while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
    append(UInt8(ascii: "."))
    var divisor: UInt64 = 1
    for _ in 1..<max(digits, 1) { divisor *= 10 }
    while divisor > 0 {
      append(UInt8(truncatingIfNeeded: fraction / divisor % 10) &+ 48)
      divisor /= 10
    }
  }

  package func appendEscapedString(_ string: String) {
    var s = string
    s.withUTF8 { appendEscapedString(UnsafeRawBufferPointer($0)) }
  }

  /// Appends `"…"` with JSON escaping and UTF-8 repair.
  package func appendEscapedString(_ bytes: UnsafeRawBufferPointer) {
    // Worst case: every byte becomes \u00XX (6 bytes), plus quotes.
    ensure(bytes.count &* 6 &+ 2)
    base[count] = 0x22
    count &+= 1
    if appendPlainWords(bytes) { return }
    var i = 0
    let n = bytes.count
    var runStart = 0
    while i < n {
      if i &+ 8 <= n, let p = bytes.baseAddress, !hasNonPlainByte(p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
        i &+= 8
        continue
      }
      let b = bytes[i]
      if b >= 0x20 && b != 0x22 && b != 0x5C && b < 0x80 { i &+= 1; continue }
      if b >= 0x80 {
        let length = validUTF8SequenceLength(bytes, at: i)
        if length > 0 { i &+= length; continue }
      }
      copyRun(bytes, from: runStart, to: i)
      switch b {
      case 0x22: appendTwo(0x5C, 0x22)
      case 0x5C: appendTwo(0x5C, 0x5C)
      case 0x0A: appendTwo(0x5C, UInt8(ascii: "n"))
      case 0x0D: appendTwo(0x5C, UInt8(ascii: "r"))
      case 0x09: appendTwo(0x5C, UInt8(ascii: "t"))
      case 0x08: appendTwo(0x5C, UInt8(ascii: "b"))
      case 0x0C: appendTwo(0x5C, UInt8(ascii: "f"))
      case ..<0x20:
        let hex: StaticString = "0123456789abcdef"
        let h = hex.utf8Start
        base[count] = 0x5C; base[count + 1] = UInt8(ascii: "u")
        base[count + 2] = 0x30; base[count + 3] = 0x30
        base[count + 4] = h[Int(b >> 4)]; base[count + 5] = h[Int(b & 15)]
        count &+= 6
      default:
        // Invalid UTF-8 byte: U+FFFD.
        base[count] = 0xEF; base[count + 1] = 0xBF; base[count + 2] = 0xBD
        count &+= 3
      }
      i &+= 1
      runStart = i
    }
    copyRun(bytes, from: runStart, to: n)
    base[count] = 0x22
    count &+= 1
  }

  /// A string of at least 8 bytes with nothing to escape (most keys and
  /// values) is copied a word at a time with its closing quote; false, with
  /// nothing written, when it needs the byte loop.
  @inline(__always)
  private func appendPlainWords(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let n = bytes.count
    guard n >= 8, let p = bytes.baseAddress else { return false }
    var i = 0
    while i &+ 8 < n {
      if hasNonPlainByte(p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return false }
      i &+= 8
    }
    let last = p.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
    if hasNonPlainByte(last) { return false }
    let out = UnsafeMutableRawPointer(base + count)
    i = 0
    while i &+ 8 < n {
      out.storeBytes(of: p.loadUnaligned(fromByteOffset: i, as: UInt64.self), toByteOffset: i, as: UInt64.self)
      i &+= 8
    }
    out.storeBytes(of: last, toByteOffset: n &- 8, as: UInt64.self)
    base[count &+ n] = 0x22
    count &+= n &+ 1
    return true
  }

  @inline(__always)
  private func appendTwo(_ a: UInt8, _ b: UInt8) {
    base[count] = a
    base[count &+ 1] = b
    count &+= 2
  }

  @inline(__always)
  private func copyRun(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) {
    let n = to &- from
    if n > 0 {
      (base + count).update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + from, count: n)
      count &+= n
    }
  }
}

/// Length of the well-formed UTF-8 sequence starting at `i`, or 0 when it is not
/// one (overlong forms, surrogates and code points above U+10FFFF are rejected).
@inline(__always)
package func validUTF8SequenceLength(_ bytes: UnsafeRawBufferPointer, at i: Int) -> Int {
  let n = bytes.count
  let b0 = bytes[i]
  @inline(__always) func cont(_ k: Int) -> Bool { i + k < n && bytes[i + k] & 0xC0 == 0x80 }
  switch b0 {
  case 0xC2...0xDF:
    return cont(1) ? 2 : 0
  case 0xE0...0xEF:
    guard cont(1), cont(2) else { return 0 }
    let b1 = bytes[i + 1]
    if b0 == 0xE0 && b1 < 0xA0 { return 0 }  // overlong
    if b0 == 0xED && b1 >= 0xA0 { return 0 }  // surrogate
    return 3
  case 0xF0...0xF4:
    guard cont(1), cont(2), cont(3) else { return 0 }
    let b1 = bytes[i + 1]
    if b0 == 0xF0 && b1 < 0x90 { return 0 }
    if b0 == 0xF4 && b1 >= 0x90 { return 0 }
    return 4
  default:
    return 0
  }
}

extension OutputSink {
  /// A JSON string value holding the RFC 3339 time.
  package func value(time t: EpochMicros, fractionDigits: Int = 0) {
    valuePrefix()
    append(UInt8(ascii: "\""))
    appendRFC3339(t, fractionDigits: fractionDigits)
    append(UInt8(ascii: "\""))
  }
}

/// True when a byte of `x` is not printable ASCII or is '"' or '\' (SWAR: a
/// byte < 0x20 borrows into its high bit, '"' and '\' are zero bytes after xor).
@inline(__always)
package func hasNonPlainByte(_ x: UInt64) -> Bool {
  let ones: UInt64 = 0x0101_0101_0101_0101
  let highs: UInt64 = 0x8080_8080_8080_8080
  let q = x ^ 0x2222_2222_2222_2222
  let s = x ^ 0x5C5C_5C5C_5C5C_5C5C
  return (x | ((x &- 0x2020_2020_2020_2020) & ~x) | ((q &- ones) & ~q) | ((s &- ones) & ~s)) & highs != 0
}
