/*
 Remembers the last timestamp text and its value. Consecutive access-log lines
 nearly always share the second, so most lines cost one memcmp instead of a
 parse; the cache also keeps the RFC 3339 text of the last time written.
*/
import Glibc

struct TimeCache {
  private static let capacity = 48
  private var text: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
  private var textCount = -1
  private var kind: Capture = .skip
  private var value = ParsedTime(micros: 0)

  mutating func parse(_ bytes: UnsafeRawBufferPointer, _ capture: Capture) -> ParsedTime? {
    let n = bytes.count
    // FieldTable.store never passes an empty value, so bytes.baseAddress is set; a
    // tuple's bytes always have an address.
    guard n > 0 else { return nil }
    if n == textCount && capture == kind {
      let same = withUnsafeBytes(of: &text) { memcmp($0.baseAddress!, bytes.baseAddress!, n) == 0 }
      if same { return value }
    }
    let parsed: ParsedTime?
    switch capture {
    case .timeCLF: parsed = TimeParser.clf(bytes)
    case .timeISO: parsed = TimeParser.iso8601(bytes)
    case .timeEpoch: parsed = TimeParser.epoch(bytes)
    default: parsed = TimeParser.any(bytes)
    }
    guard let parsed else { return nil }
    if n <= Self.capacity {
      withUnsafeMutableBytes(of: &text) { $0.baseAddress!.copyMemory(from: bytes.baseAddress!, byteCount: n) }
      textCount = n
      kind = capture
      value = parsed
    }
    return parsed
  }
}

/// The RFC 3339 text of the last time written, reused while the time stays the same.
final class RFC3339Cache {
  private let text = OutputSink(fd: -1, capacity: 4096)
  private var micros: EpochMicros = .min
  private var digits = -1

  @inline(__always)
  func write(_ t: EpochMicros, digits d: Int, to sink: OutputSink) {
    if t != micros || d != digits {
      text.count = 0
      text.appendRFC3339(t, fractionDigits: d)
      micros = t
      digits = d
    }
    let n = text.count
    sink.valuePrefix()
    sink.ensure(n &+ 2)
    sink.base[sink.count] = UInt8(ascii: "\"")
    (sink.base + (sink.count &+ 1)).update(from: text.base, count: n)
    sink.base[sink.count &+ 1 &+ n] = UInt8(ascii: "\"")
    sink.count &+= n &+ 2
  }
}
