/*
 The last time text parsed and its value. A log has many records per second,
 so most records repeat the previous record's time text: a compare of ~20
 bytes instead of a parse.
*/

package final class ParsedTimeCache {
  private static let capacity = 64
  private let text = UnsafeMutablePointer<UInt8>.allocate(capacity: ParsedTimeCache.capacity)
  private var length = -1
  private var micros: EpochMicros = 0

  package init() {}

  deinit { text.deallocate() }

  /// `parse(bytes)`, or the last value when `bytes` is the last text parsed.
  @inline(__always)
  package func value(_ bytes: UnsafeRawBufferPointer, parse: (UnsafeRawBufferPointer) -> EpochMicros?) -> EpochMicros? {
    guard let p = bytes.baseAddress, bytes.count > 0 else { return nil }
    if bytes.count == length, bytesEqual(text, p, count: bytes.count) { return micros }
    guard let value = parse(bytes) else { return nil }
    if bytes.count <= Self.capacity {
      text.update(from: p.assumingMemoryBound(to: UInt8.self), count: bytes.count)
      length = bytes.count
      micros = value
    }
    return value
  }
}
