/*
 Writing timestamps: RFC 3339 UTC (the record schema) and the Apache `%t` form
 (for loggen). Both write bytes straight into an OutputSink.
*/

private let monthNames: [StaticString] = [
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
]

extension OutputSink {
  @inline(__always)
  private func appendDigits(_ value: Int, width: Int) {
    ensure(width)
    var v = value
    var i = width - 1
    while i >= 0 {
      base[count + i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
      v /= 10
      i -= 1
    }
    count &+= width
  }

  /// `1995-07-01T04:00:01Z`; `fractionDigits` (0, 3 or 6) adds `.123` or `.123456`.
  package func appendRFC3339(_ t: EpochMicros, fractionDigits: Int = 0) {
    let f = utcFields(t)
    ensure(32)
    appendDigits(f.year, width: 4)
    append(UInt8(ascii: "-"))
    appendDigits(f.month, width: 2)
    append(UInt8(ascii: "-"))
    appendDigits(f.day, width: 2)
    append(UInt8(ascii: "T"))
    appendDigits(f.hour, width: 2)
    append(UInt8(ascii: ":"))
    appendDigits(f.minute, width: 2)
    append(UInt8(ascii: ":"))
    appendDigits(f.second, width: 2)
    if fractionDigits > 0 {
      append(UInt8(ascii: "."))
      let digits = min(fractionDigits, 6)
      var scaled = f.micros
      for _ in digits..<6 { scaled /= 10 }
      appendDigits(scaled, width: digits)
    }
    append(UInt8(ascii: "Z"))
  }

  /// A JSON string value holding the RFC 3339 time.
  package func value(time t: EpochMicros, fractionDigits: Int = 0) {
    valuePrefix()
    append(UInt8(ascii: "\""))
    appendRFC3339(t, fractionDigits: fractionDigits)
    append(UInt8(ascii: "\""))
  }

  /// `10/Oct/2000:13:55:36 -0700`: the time shown in the zone `offsetMinutes` east of UTC.
  package func appendCLFTime(_ t: EpochMicros, offsetMinutes: Int = 0) {
    let f = utcFields(t + Int64(offsetMinutes) * 60 * microsPerSecond)
    ensure(32)
    appendDigits(f.day, width: 2)
    append(UInt8(ascii: "/"))
    append(monthNames[f.month - 1])
    append(UInt8(ascii: "/"))
    appendDigits(f.year, width: 4)
    append(UInt8(ascii: ":"))
    appendDigits(f.hour, width: 2)
    append(UInt8(ascii: ":"))
    appendDigits(f.minute, width: 2)
    append(UInt8(ascii: ":"))
    appendDigits(f.second, width: 2)
    append(UInt8(ascii: " "))
    append(UInt8(ascii: offsetMinutes < 0 ? "-" : "+"))
    let m = abs(offsetMinutes)
    appendDigits(m / 60, width: 2)
    appendDigits(m % 60, width: 2)
  }
}

/// RFC 3339 text of a time, for messages and tests.
package func formatRFC3339(_ t: EpochMicros, fractionDigits: Int = 0) -> String {
  let sink = OutputSink(fd: -1, capacity: 64)
  sink.appendRFC3339(t, fractionDigits: fractionDigits)
  return sink.takeString()
}

extension OutputSink {
  /// The buffered bytes as a String, emptying the buffer (for in-memory sinks).
  package func takeString() -> String {
    let s = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    count = 0
    needsComma = false
    return s
  }
}
