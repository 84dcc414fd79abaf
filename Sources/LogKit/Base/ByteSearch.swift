/*
 Finding one byte in a short run. memchr costs a call and its set-up (~20
 instructions) however near the byte is, and the fields of a log line are
 mostly a few bytes long ("-", "200", "GET"); two 8-byte words checked inline
 find those, and memchr takes the rest.
*/
import Glibc

/// The index of the first `byte` in `base[from..<end]`, or nil.
@inline(__always)
package func firstIndex(of byte: UInt8, in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
  var i = from
  let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
  // Two words inline: each load stays inside the range.
  for _ in 0..<2 where i &+ 8 <= end {
    let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
    // The lowest flagged byte is the first zero byte of x (borrows only flag bytes above it).
    let zero = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    if zero != 0 { return i &+ zero.trailingZeroBitCount >> 3 }
    i &+= 8
  }
  guard i < end, let hit = memchr(base + i, Int32(byte), end &- i) else { return nil }
  return base.distance(to: UnsafeRawPointer(hit))
}

/// Whether the `n` bytes at `a` and at `b` are equal: words compared inline
/// (the last one overlapping), since memcmp's call costs more than the short
/// names it is asked about.
@inline(__always)
package func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count n: Int) -> Bool {
  if n >= 8 {
    var i = 0
    while i &+ 8 < n {
      if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
        return false
      }
      i &+= 8
    }
    return a.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self)
  }
  if n >= 4 {
    return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
      && a.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self) == b.loadUnaligned(fromByteOffset: n &- 4, as: UInt32.self)
  }
  var i = 0
  while i < n {
    if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
    i &+= 1
  }
  return true
}
