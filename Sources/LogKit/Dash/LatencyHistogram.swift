/*
 Latency quantiles of one access-record window in constant memory:
 logarithmic buckets 2% wide from 1 µs to about 3 hours, so a quantile is
 within 2% of a value seen. Reset per window without allocating.
*/
import Glibc

package struct LatencyHistogram: Sendable {
  static let gamma = 1.02
  static let minimum = 1e-6
  static let bucketCount = 820
  private var buckets: [UInt32]
  package private(set) var count = 0
  private static let logGamma = log(gamma)

  package init() {
    buckets = Array(repeating: 0, count: Self.bucketCount)
  }

  package mutating func add(seconds x: Double) {
    guard x.isFinite, x >= 0 else { return }
    let index: Int
    if x <= Self.minimum {
      index = 0
    } else {
      let raw = (log(x / Self.minimum) / Self.logGamma).rounded(.up)
      index = Swift.min(Self.bucketCount - 1, Swift.max(0, Int(raw)))
    }
    buckets[index] &+= 1
    count &+= 1
  }

  /// The q-quantile (0...1), NaN when empty.
  package func quantile(_ q: Double) -> Double {
    guard count > 0 else { return .nan }
    let rank = Swift.max(1, Int((q * Double(count)).rounded(.up)))
    var seen = 0
    for (i, n) in buckets.enumerated() where n > 0 {
      seen += Int(n)
      if seen >= rank { return Self.value(ofBucket: i) }
    }
    return Self.value(ofBucket: Self.bucketCount - 1)
  }

  /// The middle of a bucket's range (relative error at most about 1%).
  static func value(ofBucket i: Int) -> Double {
    guard i > 0 else { return minimum }
    let upper = minimum * pow(gamma, Double(i))
    return upper * 2 / (1 + gamma)
  }

  package mutating func reset() {
    guard count > 0 else { return }
    for i in buckets.indices { buckets[i] = 0 }
    count = 0
  }
}
