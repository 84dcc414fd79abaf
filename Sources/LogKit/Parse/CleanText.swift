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
    guard n >= 8 else {
      for i in 0..<n {
        let b = p.load(fromByteOffset: i, as: UInt8.self)
        if b < 0x20 || b >= 0x80 || b == 0x22 || b == 0x5C { return false }
      }
      return true
    }
    var i = 0
    while i &+ 8 <= n {
      if hasNonPlainByte(p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { return false }
      i &+= 8
    }
    // The rest as the last word, which overlaps bytes already checked.
    return i == n || !hasNonPlainByte(p.loadUnaligned(fromByteOffset: n &- 8, as: UInt64.self))
  }
}
