// The tests' one seeded generator, so randomised tests are reproducible: the
// library's SplitMix64 behind RandomNumberGenerator (the library's generators
// are plain structs without that conformance, kept off the protocol in hot loops).
import LogKit

package struct TestRNG: RandomNumberGenerator {
  private var generator: SplitMix64

  package init(seed: UInt64) { generator = SplitMix64(seed: seed) }

  package mutating func next() -> UInt64 { generator.next() }
}
