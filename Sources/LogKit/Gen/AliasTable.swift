/*
 Weighted sampling in constant time (Vose's alias method).

 Every popularity distribution of the traffic model (pages by Zipf rank,
 clients with heavy hitters, status mixes, user agents) is an alias table built
 once at start-up; a sample costs one random number, one multiply and one
 compare, which keeps the generator above 2 million lines per second.
*/
import Glibc

package final class AliasTable {
  package let count: Int
  private let threshold: UnsafeMutablePointer<UInt32>
  private let alias: UnsafeMutablePointer<Int32>

  /// - Parameter weights: non-negative, at least one positive.
  package init(weights: [Double]) {
    let n = max(weights.count, 1)
    count = n
    threshold = .allocate(capacity: n)
    alias = .allocate(capacity: n)
    let total = weights.reduce(0, +)
    var scaled = weights.isEmpty || total <= 0 ? [Double](repeating: 1, count: n) : weights.map { $0 * Double(n) / total }
    var small: [Int] = []
    var large: [Int] = []
    for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
    for i in 0..<n { alias[i] = Int32(i); threshold[i] = UInt32.max }
    while let s = small.popLast() {
      guard let l = large.last else { break }
      threshold[s] = UInt32(min(scaled[s] * 4_294_967_296.0, 4_294_967_295.0))
      alias[s] = Int32(l)
      scaled[l] -= 1 - scaled[s]
      if scaled[l] < 1 { large.removeLast(); small.append(l) }
    }
  }

  deinit {
    threshold.deallocate()
    alias.deallocate()
  }

  /// One index drawn with probability proportional to its weight.
  @inline(__always)
  package func sample(_ rng: inout Xoshiro256) -> Int {
    let r = rng.next()
    let i = Int(truncatingIfNeeded: ((r >> 32) &* UInt64(truncatingIfNeeded: count)) >> 32)
    return UInt32(truncatingIfNeeded: r) < threshold[i] ? i : Int(alias[i])
  }

  /// Zipf weights 1/rank^s for ranks 1...n.
  package static func zipfWeights(count n: Int, exponent s: Double) -> [Double] {
    (1...max(n, 1)).map { 1 / pow(Double($0), s) }
  }
}
