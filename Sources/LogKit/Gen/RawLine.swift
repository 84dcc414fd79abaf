/*
 A write cursor into an OutputSink's buffer, for the fixed-layout formats.

 OutputSink's append methods are fine for most commands, but each one is a
 call plus a dynamic exclusivity check on the sink's class properties; at 25
 fields per line that was half of loggen's time. Instead the line writer
 reserves room for the whole line once (`sink.ensure`), writes every field
 through this plain pointer, and commits the length: the bytes still go
 straight into the sink's buffer, with three property accesses per line.
*/

struct RawLine {
  private let start: UnsafeMutablePointer<UInt8>
  private var p: UnsafeMutablePointer<UInt8>

  /// Starts a line at the end of the sink's buffer; `capacity` bytes must fit.
  @inline(__always)
  init(sink: OutputSink, capacity: Int) {
    sink.ensure(capacity)
    start = sink.base + sink.count
    p = start
  }

  /// Adds the written bytes to the sink.
  @inline(__always)
  func commit(to sink: OutputSink) {
    sink.count &+= p - start
  }

  @inline(__always)
  mutating func put(_ byte: UInt8) {
    p.pointee = byte
    p += 1
  }

  @inline(__always)
  mutating func put(_ bytes: UnsafeRawBufferPointer) {
    guard let src = bytes.baseAddress else { return }
    p.update(from: src.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    p += bytes.count
  }

  @inline(__always)
  mutating func put(_ text: StaticString) {
    put(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
  }

  /// `-` for an empty field, else the bytes.
  @inline(__always)
  mutating func dashOr(_ bytes: UnsafeRawBufferPointer) {
    if bytes.isEmpty { put(UInt8(ascii: "-")) } else { put(bytes) }
  }

  /// A non-negative integer in decimal (at most 20 bytes).
  @inline(__always)
  mutating func putInt(_ value: Int) {
    var v = UInt(bitPattern: max(value, 0))
    var digits = 1
    var probe = v
    while probe >= 10 { probe /= 10; digits &+= 1 }
    var i = digits
    repeat {
      i &-= 1
      p[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
      v /= 10
    } while i > 0
    p += digits
  }

  /// Three digits (HTTP status, milliseconds).
  @inline(__always)
  mutating func putThreeDigits(_ value: Int) {
    p[0] = UInt8(truncatingIfNeeded: value / 100 % 10) &+ 48
    p[1] = UInt8(truncatingIfNeeded: value / 10 % 10) &+ 48
    p[2] = UInt8(truncatingIfNeeded: value % 10) &+ 48
    p += 3
  }

  /// Milliseconds as seconds without trailing zeros (30 -> 0.03, 1500 -> 1.5, 0 -> 0),
  /// the form JSONWriter's `value(microsecondsAsSeconds:)` writes.
  @inline(__always)
  mutating func putMillisAsSeconds(_ millis: Int) {
    putInt(millis / 1000)
    var ms = millis % 1000
    guard ms != 0 else { return }
    put(UInt8(ascii: "."))
    var digits = 3
    while ms % 10 == 0 { ms /= 10; digits -= 1 }
    var divisor = 1
    for _ in 1..<digits { divisor *= 10 }
    while divisor > 0 {
      put(UInt8(truncatingIfNeeded: ms / divisor % 10) &+ 48)
      divisor /= 10
    }
  }

  /// Apache's log escaping (ap_escape_logitem), for replayed text: `"` and `\` get a
  /// backslash, control bytes become `\xHH`; outside quotes a space does too, so the
  /// field stays one field. Empty is `-`.
  @inline(__always)
  mutating func putEscaped(_ bytes: UnsafeRawBufferPointer, quoted: Bool) {
    if bytes.isEmpty { put(UInt8(ascii: "-")); return }
    for b in bytes {
      if b < 0x20 || b == 0x7F || (b == 0x20 && !quoted) {
        put(UInt8(ascii: "\\"))
        put(UInt8(ascii: "x"))
        put(Self.hexDigit(b >> 4))
        put(Self.hexDigit(b & 15))
      } else {
        if b == 0x22 || b == 0x5C { put(UInt8(ascii: "\\")) }
        put(b)
      }
    }
  }

  @inline(__always)
  private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 48 &+ v : 87 &+ v }

  /// IIS's W3C encoding: every blank (space, tab, line break) becomes `+`. Empty is `-`.
  @inline(__always)
  mutating func putPlussed(_ bytes: UnsafeRawBufferPointer) {
    if bytes.isEmpty { put(UInt8(ascii: "-")); return }
    for b in bytes { put(b <= 0x20 ? UInt8(ascii: "+") : b) }
  }
}
