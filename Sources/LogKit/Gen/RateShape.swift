/*
 How the base request rate varies over generated time: an optional daily
 cycle (`--diurnal`: quiet at night, busiest mid-afternoon UTC) and optional
 noise (`--noise F`: each minute's rate is scaled by a pseudo-random factor in
 [1-F, 1+F], interpolated linearly so the rate never jumps). The noise is a
 hash of the seed and the minute, so it does not depend on how many random
 numbers the lines consumed and a seeded run is reproducible.
*/
import Glibc

package struct RateShape: Sendable {
  package var baseRate: Double
  package var diurnal: Bool
  package var noise: Double
  package var seed: UInt64

  package init(baseRate: Double, diurnal: Bool = false, noise: Double = 0, seed: UInt64 = 0) {
    self.baseRate = baseRate
    self.diurnal = diurnal
    self.noise = noise
    self.seed = seed
  }

  /// The daily factor at absolute time `t`: 1 + 0.6 cos(2π (hour - 15) / 24), mean 1.
  package static func dailyFactor(_ t: EpochMicros) -> Double {
    let dayFraction = Double(((t % microsPerDay) + microsPerDay) % microsPerDay) / Double(microsPerDay)
    return 1 + 0.6 * cos(2 * Double.pi * (dayFraction - 15.0 / 24))
  }

  private func minuteFactor(_ minute: Int64) -> Double {
    var mix = SplitMix64(seed: seed ^ UInt64(bitPattern: minute) &* 0x9E37_79B9_7F4A_7C15)
    let u = Double(mix.next() >> 11) * 0x1.0p-53
    return 1 + noise * (2 * u - 1)
  }

  /// Base lines per second at absolute time `t` (before incidents).
  package func rate(at t: EpochMicros) -> Double {
    var r = baseRate
    if diurnal { r *= Self.dailyFactor(t) }
    if noise > 0 {
      let minute = t / 60_000_000
      let within = Double(t - minute * 60_000_000) / 60_000_000
      r *= minuteFactor(minute) * (1 - within) + minuteFactor(minute + 1) * within
    }
    return r
  }
}
