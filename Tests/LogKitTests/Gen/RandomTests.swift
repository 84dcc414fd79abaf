// Determinism and shape of loggen's random numbers and weighted sampling: the
// library's generators (Xoshiro256 is seeded through the library's SplitMix64,
// which also seeds sessions and rate noise), not the tests' TestRNG.
import Testing
@testable import LogKit

@Suite struct RandomTests {
  @Test func splitMixMatchesReferenceVector() {
    var mix = LogKit.SplitMix64(seed: 0)
    #expect(mix.next() == 0xE220_A839_7B1D_CDAF)
    #expect(mix.next() == 0x6E78_9E6A_A1B9_65F4)
  }

  @Test func xoshiroMatchesReferenceVector() {
    var rng = Xoshiro256(state: (1, 2, 3, 4))
    #expect([rng.next(), rng.next(), rng.next(), rng.next()] == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
  }

  @Test func sameSeedSameSequenceDifferentSeedDifferent() {
    var a = Xoshiro256(seed: 42)
    var b = Xoshiro256(seed: 42)
    var c = Xoshiro256(seed: 43)
    let sa = (0..<100).map { _ in a.next() }
    let sb = (0..<100).map { _ in b.next() }
    let sc = (0..<100).map { _ in c.next() }
    #expect(sa == sb)
    #expect(sa != sc)
  }

  @Test func belowStaysInRangeAndCoversIt() {
    var rng = Xoshiro256(seed: 1)
    var seen = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 {
      let v = rng.below(7)
      #expect((0..<7).contains(v))
      seen[v] += 1
    }
    for count in seen { #expect(abs(count - 10_000) < 500) }
  }

  @Test func aliasTableFollowsWeights() {
    let weights: [Double] = [5, 0, 1, 3, 1]
    let table = AliasTable(weights: weights)
    var rng = Xoshiro256(seed: 9)
    var counts = [Int](repeating: 0, count: weights.count)
    let n = 200_000
    for _ in 0..<n { counts[table.sample(&rng)] += 1 }
    #expect(counts[1] == 0)
    for (i, w) in weights.enumerated() {
      let expected = Double(n) * w / 10
      #expect(abs(Double(counts[i]) - expected) < 0.02 * Double(n), "index \(i): \(counts[i]) vs \(expected)")
    }
  }

  @Test func zipfShape() {
    let table = AliasTable(weights: AliasTable.zipfWeights(count: 100, exponent: 1))
    var rng = Xoshiro256(seed: 3)
    var counts = [Int](repeating: 0, count: 100)
    for _ in 0..<500_000 { counts[table.sample(&rng)] += 1 }
    // Rank r has weight 1/r: rank 1 is twice rank 2, ten times rank 10.
    let ratio2 = Double(counts[0]) / Double(counts[1])
    let ratio10 = Double(counts[0]) / Double(counts[9])
    #expect(abs(ratio2 - 2) < 0.1)
    #expect(abs(ratio10 - 10) < 0.8)
    #expect(counts[0] > counts[1] && counts[1] > counts[2] && counts[2] > counts[50] && counts[50] > 0)
  }

  @Test func distributionsHaveTheirMoments() {
    let dist = Distributions()
    var rng = Xoshiro256(seed: 5)
    let n = 100_000
    var sum = 0.0, sumSquares = 0.0, expSum = 0.0
    for _ in 0..<n {
      let z = dist.normal(&rng)
      sum += z
      sumSquares += z * z
      expSum += dist.exponential(&rng)
    }
    #expect(abs(sum / Double(n)) < 0.02)
    #expect(abs(sumSquares / Double(n) - 1) < 0.03)
    #expect(abs(expSum / Double(n) - 1) < 0.02)
  }
}
