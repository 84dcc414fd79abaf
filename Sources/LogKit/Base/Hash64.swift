/*
 A fast 64-bit hash of value bytes for HyperLogLog and group lookup.

 The construction follows wyhash (multiply-fold of 8-byte words with odd
 constants) with a SplitMix64 finaliser, so every input bit reaches every
 output bit; HyperLogLog needs that for its register index and run length.
 The value is stable across runs and machines (no random seed), which the
 --partial/--merge path relies on: shards must hash a value identically.
*/

@usableFromInline let hashP0: UInt64 = 0xa076_1d64_78bd_642f
@usableFromInline let hashP1: UInt64 = 0xe703_7ed1_a0b4_28db
@usableFromInline let hashP2: UInt64 = 0x8ebc_6af0_9c88_c6e3

/// The high and low halves of the 128-bit product, folded.
@inlinable @inline(__always)
func foldedMultiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
  let product = a.multipliedFullWidth(by: b)
  return product.high ^ product.low
}

/// SplitMix64's output function: a bijective avalanche step.
@inlinable @inline(__always)
package func mix64(_ value: UInt64) -> UInt64 {
  var z = value
  z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
  z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
  return z ^ (z >> 31)
}

/// Hashes `bytes`; `seed` separates independent uses (e.g. group keys and values).
@inlinable
package func hash64(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
  let n = bytes.count
  var h = seed ^ hashP0 ^ (UInt64(truncatingIfNeeded: n) &* hashP1)
  guard let base = bytes.baseAddress else { return mix64(h) }
  var i = 0
  while i &+ 16 <= n {
    let a = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
    let b = base.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self)
    h = foldedMultiply(a ^ hashP1, b ^ h)
    i &+= 16
  }
  if i &+ 8 <= n {
    h = foldedMultiply(base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ hashP2, h ^ hashP1)
    i &+= 8
  }
  if i < n {
    // The 1..7 tail bytes, packed little-endian into one word.
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n {
      tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
      shift &+= 8
      i &+= 1
    }
    h = foldedMultiply(tail ^ hashP0, h ^ hashP2)
  }
  return mix64(h)
}

/// Hashes a byte array (tests, option handling).
package func hash64(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
  bytes.withUnsafeBytes { hash64($0, seed: seed) }
}
