/*
 The generator's pseudo-random numbers: xoshiro256** seeded through SplitMix64.

 loggen never uses the system RNG once a seed is given, so `--seed N` output is
 byte-for-byte reproducible on every platform. The state is a plain struct the
 hot loop keeps in a local variable (no class property, no exclusivity checks).
*/
import Glibc

/// SplitMix64: expands one 64-bit seed into well-mixed state words.
package struct SplitMix64 {
  package var state: UInt64
  package init(seed: UInt64) { state = seed }

  @inline(__always)
  package mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

package struct Xoshiro256 {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  package init(seed: UInt64) {
    var mix = SplitMix64(seed: seed)
    s0 = mix.next(); s1 = mix.next(); s2 = mix.next(); s3 = mix.next()
  }

  /// A generator with this exact state (reference vectors in tests).
  package init(state: (UInt64, UInt64, UInt64, UInt64)) {
    (s0, s1, s2, s3) = state
  }

  /// A seed from the kernel, for unseeded runs.
  package static func entropySeed() -> UInt64 {
    var seed: UInt64 = 0
    let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
    let got = fd < 0 ? -1 : withUnsafeMutableBytes(of: &seed) { read(fd, $0.baseAddress, 8) }
    if fd >= 0 { close(fd) }
    if got != 8 {
      var ts = timespec()
      clock_gettime(CLOCK_REALTIME, &ts)
      seed = UInt64(bitPattern: Int64(ts.tv_sec) &* 1_000_000_007 &+ Int64(ts.tv_nsec)) ^ UInt64(getpid())
    }
    return seed
  }

  @inline(__always)
  package mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3 << 45 | s3 >> 19
    return result
  }

  /// Uniform in 0..<n (n > 0), by Lemire's multiply-shift (bias below 2^-32 for our sizes).
  @inline(__always)
  package mutating func below(_ n: Int) -> Int {
    Int(truncatingIfNeeded: ((next() >> 32) &* UInt64(truncatingIfNeeded: n)) >> 32)
  }

  /// Uniform in [0, 1).
  @inline(__always)
  package mutating func unit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// True with probability p.
  @inline(__always)
  package mutating func chance(_ p: Double) -> Bool {
    unit() < p
  }
}
