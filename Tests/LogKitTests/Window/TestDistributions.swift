/*
 Test distributions on the shared seeded TestRNG (Tests/Support): uniform,
 lognormal, Zipf, so sketch tests are deterministic.
*/
import Foundation
import LogKitTestSupport

extension TestRNG {
  /// Uniform in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

  /// exp(N(mu, sigma)) by Box-Muller.
  mutating func lognormal(mu: Double, sigma: Double) -> Double {
    let u1 = Swift.max(unit(), 1e-300)
    let u2 = unit()
    let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    return exp(mu + sigma * normal)
  }
}

/// Zipf over ranks 1...n with exponent s, by inverse CDF on a precomputed table.
struct Zipf {
  let cumulative: [Double]

  init(n: Int, s: Double) {
    var sum = 0.0
    var table: [Double] = []
    table.reserveCapacity(n)
    for k in 1...n {
      sum += 1 / pow(Double(k), s)
      table.append(sum)
    }
    cumulative = table.map { $0 / sum }
  }

  /// A rank in 1...n.
  func sample(_ rng: inout TestRNG) -> Int {
    let u = rng.unit()
    var low = 0
    var high = cumulative.count - 1
    while low < high {
      let mid = (low + high) / 2
      if cumulative[mid] < u { low = mid + 1 } else { high = mid }
    }
    return low + 1
  }
}
