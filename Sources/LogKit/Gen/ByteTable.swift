/*
 Precomputed byte strings: paths, addresses, user agents, referers.

 All strings of a table live in one allocation that stays put for the life of
 the generator, so an event can hold plain UnsafeRawBufferPointers into it and
 the line writer copies them with memcpy: no String, no ARC, per line.
*/
import Glibc

package final class ByteTable {
  private let storage: UnsafeMutableRawPointer
  private let offsets: UnsafeMutablePointer<Int>
  package let count: Int

  package init(_ strings: [String]) {
    count = strings.count
    let total = strings.reduce(0) { $0 + $1.utf8.count }
    storage = .allocate(byteCount: max(total, 1), alignment: 8)
    offsets = .allocate(capacity: count + 1)
    var at = 0
    for (i, string) in strings.enumerated() {
      offsets[i] = at
      for byte in string.utf8 {
        storage.storeBytes(of: byte, toByteOffset: at, as: UInt8.self)
        at += 1
      }
    }
    offsets[count] = at
  }

  deinit {
    storage.deallocate()
    offsets.deallocate()
  }

  @inline(__always)
  package subscript(_ i: Int) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: storage + offsets[i], count: offsets[i + 1] - offsets[i])
  }

  /// The i-th string as a Swift String (tests, messages).
  package func string(_ i: Int) -> String {
    String(decoding: self[i], as: UTF8.self)
  }
}

/// True when `bytes` starts with `prefix`.
@inline(__always)
func hasPrefix(_ bytes: UnsafeRawBufferPointer, _ prefix: UnsafeRawBufferPointer) -> Bool {
  guard bytes.count >= prefix.count else { return false }
  guard let a = bytes.baseAddress, let b = prefix.baseAddress else { return prefix.isEmpty }
  return memcmp(a, b, prefix.count) == 0
}


