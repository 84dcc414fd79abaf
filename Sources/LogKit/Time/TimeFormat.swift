/*
 Writing timestamps into byte buffers: RFC 3339 UTC (the record schema) and
 the Apache `%t` form (for loggen). The writers above (OutputSink in IO)
 reserve `maxTimeTextBytes` and let these fill it.
*/

private let monthNames: [StaticString] = [
  "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
]

/// Room that any of the time texts below needs.
package let maxTimeTextBytes = 32

/// Writes digits of `value` zero-padded to `width` at `p`.
@inline(__always)
private func putDigits(_ value: Int, width: Int, _ p: UnsafeMutablePointer<UInt8>) {
  var v = value
  var i = width - 1
  while i >= 0 {
    p[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
    v /= 10
    i -= 1
  }
}

/// `1995-07-01T04:00:01Z` at `p`; `fractionDigits` (0, 3 or 6) adds `.123` or `.123456`.
/// Returns the bytes written (at most `maxTimeTextBytes`).
package func writeRFC3339(_ t: EpochMicros, fractionDigits: Int = 0, to p: UnsafeMutablePointer<UInt8>) -> Int {
  let f = utcFields(t)
  putDigits(f.year, width: 4, p)
  p[4] = UInt8(ascii: "-")
  putDigits(f.month, width: 2, p + 5)
  p[7] = UInt8(ascii: "-")
  putDigits(f.day, width: 2, p + 8)
  p[10] = UInt8(ascii: "T")
  putDigits(f.hour, width: 2, p + 11)
  p[13] = UInt8(ascii: ":")
  putDigits(f.minute, width: 2, p + 14)
  p[16] = UInt8(ascii: ":")
  putDigits(f.second, width: 2, p + 17)
  var n = 19
  if fractionDigits > 0 {
    p[n] = UInt8(ascii: ".")
    let digits = min(fractionDigits, 6)
    var scaled = f.micros
    for _ in digits..<6 { scaled /= 10 }
    putDigits(scaled, width: digits, p + n + 1)
    n += 1 + digits
  }
  p[n] = UInt8(ascii: "Z")
  return n + 1
}

/// `10/Oct/2000:13:55:36 -0700` at `p`: the time shown in the zone `offsetMinutes`
/// east of UTC. Returns the bytes written (26).
package func writeCLFTime(_ t: EpochMicros, offsetMinutes: Int = 0, to p: UnsafeMutablePointer<UInt8>) -> Int {
  let f = utcFields(t + Int64(offsetMinutes) * 60 * microsPerSecond)
  putDigits(f.day, width: 2, p)
  p[2] = UInt8(ascii: "/")
  let month = monthNames[f.month - 1]
  month.withUTF8Buffer { name in
    for i in 0..<3 { p[3 + i] = name[i] }
  }
  p[6] = UInt8(ascii: "/")
  putDigits(f.year, width: 4, p + 7)
  p[11] = UInt8(ascii: ":")
  putDigits(f.hour, width: 2, p + 12)
  p[14] = UInt8(ascii: ":")
  putDigits(f.minute, width: 2, p + 15)
  p[17] = UInt8(ascii: ":")
  putDigits(f.second, width: 2, p + 18)
  p[20] = UInt8(ascii: " ")
  p[21] = UInt8(ascii: offsetMinutes < 0 ? "-" : "+")
  let m = abs(offsetMinutes)
  putDigits(m / 60, width: 2, p + 22)
  putDigits(m % 60, width: 2, p + 24)
  return 26
}

/// RFC 3339 text of a time, for messages and tests.
package func formatRFC3339(_ t: EpochMicros, fractionDigits: Int = 0) -> String {
  withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxTimeTextBytes) { buffer in
    guard let p = buffer.baseAddress else { return "" }
    let n = writeRFC3339(t, fractionDigits: fractionDigits, to: p)
    return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
  }
}
