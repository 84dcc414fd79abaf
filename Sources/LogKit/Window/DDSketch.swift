/*
 DDSketch quantiles (Masson, Rim, Lee, VLDB 2019) with relative accuracy
 alpha = 1%: every reported quantile q of values above the collapsed range is
 within 1% of the true value of nearest rank ceil(q * n) (the k-th smallest
 value with k = ceil(q n), as SQL's quantile_disc).

 A value x > 0 falls in bucket ceil(log_gamma(x)) with gamma = (1 + a)/(1 - a);
 the bucket's representative 2 gamma^i / (gamma + 1) is within alpha of every
 value in it. Negative values use a second store on |x|; values with
 |x| < `minIndexable` (1e-9) count as zero. The exact minimum and maximum are
 kept too, so estimates never leave the observed range. Sketches merge by
 adding bucket counts, which is exact: merge(a, b) equals one pass over both.
*/
import Glibc

package struct DDSketch: Sendable, Equatable {
  package static let relativeAccuracy = 0.01
  package static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
  @usableFromInline static let inverseLogGamma = 1 / log(gamma)
  package static let minIndexable = 1e-9

  package var positive = DDSketchStore()
  package var negative = DDSketchStore()
  package var zeroCount: Int64 = 0
  package var count: Int64 = 0
  package var min = Double.infinity
  package var max = -Double.infinity

  package init() {}

  @inlinable
  static func index(_ magnitude: Double) -> Int {
    Int(ceil(log(magnitude) * inverseLogGamma))
  }

  static func value(at index: Int) -> Double {
    2 * pow(gamma, Double(index)) / (gamma + 1)
  }

  /// Adds one value; NaN and infinities are ignored.
  @inlinable
  package mutating func add(_ x: Double) {
    guard x.isFinite else { return }
    count &+= 1
    if x < min { min = x }
    if x > max { max = x }
    if x > Self.minIndexable {
      positive.add(index: Self.index(x))
    } else if x < -Self.minIndexable {
      negative.add(index: Self.index(-x))
    } else {
      zeroCount &+= 1
    }
  }

  package mutating func merge(_ other: DDSketch) {
    guard other.count > 0 else { return }
    positive.merge(other.positive)
    negative.merge(other.negative)
    zeroCount = addSaturating(zeroCount, other.zeroCount)
    count = addSaturating(count, other.count)
    min = Swift.min(min, other.min)
    max = Swift.max(max, other.max)
  }

  /// The q-quantile (0...1); nil when empty.
  package func quantile(_ q: Double) -> Double? {
    guard count > 0 else { return nil }
    if q <= 0 { return min }
    if q >= 1 { return max }
    // Nearest rank (as SQL's quantile_disc): the value at 0-based rank ceil(q n) - 1.
    let rank = Swift.max(0, Int64(exactly: (q * Double(count)).rounded(.up)).map { $0 - 1 } ?? count - 1)
    var seen: Int64 = 0
    var found: Double?
    // Ascending order: most negative first (highest index of the negative store).
    negative.forEachBucket(descending: true) { index, count in
      seen &+= count
      if seen > rank { found = -Self.value(at: index) }
      return found == nil
    }
    if let found { return clamp(found) }
    seen &+= zeroCount
    if seen > rank { return 0 }
    positive.forEachBucket { index, count in
      seen &+= count
      if seen > rank { found = Self.value(at: index) }
      return found == nil
    }
    return found.map(clamp) ?? max
  }

  private func clamp(_ v: Double) -> Double { Swift.min(Swift.max(v, min), max) }
}
