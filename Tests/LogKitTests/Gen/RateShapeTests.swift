// The base rate over generated time: daily cycle and noise.
import Testing
@testable import LogKit

@Suite struct RateShapeTests {
  private let day: EpochMicros = 1_751_328_000_000_000  // 2025-07-01T00:00:00Z
  private let hour: EpochMicros = 3_600_000_000

  @Test func dailyCycleAveragesOneAndPeaksMidAfternoon() {
    let factors = (0..<24).map { RateShape.dailyFactor(day + Int64($0) * hour) }
    #expect(abs(factors.reduce(0, +) / 24 - 1) < 1e-9)
    #expect(factors.firstIndex(of: factors.max() ?? 0) == 15)
    #expect(factors.firstIndex(of: factors.min() ?? 0) == 3)
  }

  @Test func flatWithoutCycleOrNoise() {
    let shape = RateShape(baseRate: 250)
    #expect(shape.rate(at: day) == 250)
    #expect(shape.rate(at: day + 13 * hour + 17) == 250)
  }

  @Test func noiseIsBoundedSmoothAndSeeded() {
    let a = RateShape(baseRate: 100, noise: 0.2, seed: 1)
    let b = RateShape(baseRate: 100, noise: 0.2, seed: 1)
    let c = RateShape(baseRate: 100, noise: 0.2, seed: 2)
    var differs = false
    var previous = a.rate(at: day)
    for s in stride(from: Int64(0), to: 3600, by: 7) {
      let t = day + s * 1_000_000
      let r = a.rate(at: t)
      #expect(r >= 80 && r <= 120)
      #expect(abs(r - previous) < 40.0 * 7 / 60 + 1e-9)  // at most the full range per minute
      #expect(r == b.rate(at: t))
      if r != c.rate(at: t) { differs = true }
      previous = r
    }
    #expect(differs)
  }
}
