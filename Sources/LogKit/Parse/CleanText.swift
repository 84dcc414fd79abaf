/*
 A fast path for writing JSON strings: most log text (paths, agents, hosts) is
 printable ASCII without quotes or backslashes, and is copied in one move once
 an 8-bytes-at-a-time scan has confirmed it. Anything else goes through the
 shared escaper (OutputSink.appendEscapedString), which stays the one place
 that knows how to escape and repair UTF-8.
*/

extension OutputSink {
  /// Writes `bytes` as a JSON string value.
  @inline(__always)
  func valueText(_ bytes: UnsafeRawBufferPointer) {
    guard Self.isPlainASCII(bytes) else { return value(string: bytes) }
    valuePrefix()
    let n = bytes.count
    ensure(n &+ 2)
    base[count] = 0x22
    if n > 0, let src = bytes.baseAddress {
      (base + (count &+ 1)).update(from: src.assumingMemoryBound(to: UInt8.self), count: n)
    }
    base[count &+ 1 &+ n] = 0x22
    count &+= n &+ 2
  }

  /// True when every byte is in 0x20...0x7E except `"` and `\`.
  @inline(__always)
  static func isPlainASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
    let n = bytes.count
    guard n > 0, let p = bytes.baseAddress else { return true }
    let ones: UInt64 = 0x0101_0101_0101_0101
    let highs: UInt64 = 0x8080_8080_8080_8080
    @inline(__always) func hasZeroByte(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
    var i = 0
    while i &+ 8 <= n {
      let x = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      // Any byte >= 0x80, < 0x20 (x - 0x20 borrows into the high bit), '"' or '\'.
      if x & highs != 0 || (x &- 0x2020_2020_2020_2020) & ~x & highs != 0
        || hasZeroByte(x ^ 0x2222_2222_2222_2222) || hasZeroByte(x ^ 0x5C5C_5C5C_5C5C_5C5C)
      {
        return false
      }
      i &+= 8
    }
    while i < n {
      let b = p.load(fromByteOffset: i, as: UInt8.self)
      if b < 0x20 || b >= 0x80 || b == 0x22 || b == 0x5C { return false }
      i &+= 1
    }
    return true
  }
}
