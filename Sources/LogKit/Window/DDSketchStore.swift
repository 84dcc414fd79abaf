/*
 The bin store of a DDSketch: counts for a contiguous range of logarithmic
 bucket indices. When the range would exceed `maxBins`, the lowest buckets
 are collapsed into one ("collapsing lowest" store), so memory is bounded
 and the accuracy guarantee holds for every quantile above the collapsed
 range, which for latencies and sizes is the part people look at (p50..p99).
*/

package struct DDSketchStore: Sendable, Equatable {
  /// At most this many buckets (16 KiB of counts); with gamma = 1.0202 that
  /// spans a ratio of 1e17 between the smallest and largest value kept exactly.
  package static let maxBins = 2048

  /// Bucket index of `bins[0]`.
  package private(set) var offset = 0
  package private(set) var bins: [Int64] = []

  package init() {}

  package var isEmpty: Bool { bins.isEmpty }

  @inlinable
  package mutating func add(index: Int, count: Int64 = 1) {
    let high = offset + bins.count - 1
    if bins.isEmpty || index < offset || index > high {
      grow(toInclude: index)
    }
    let slot = Swift.max(index, offset) - offset
    bins.withUnsafeMutableBufferPointer { $0[slot] &+= count }
  }

  @usableFromInline
  mutating func grow(toInclude index: Int) {
    if bins.isEmpty {
      offset = index
      bins = [0]
      return
    }
    let low = Swift.min(offset, index)
    let high = Swift.max(offset + bins.count - 1, index)
    reshape(low: Swift.max(low, high - Self.maxBins + 1), high: high)
  }

  /// Re-lays the bins over low...high; counts below `low` fold into `low`.
  private mutating func reshape(low: Int, high: Int) {
    if low == offset {
      bins.append(contentsOf: repeatElement(0, count: high - (offset + bins.count - 1)))
      return
    }
    var fresh = [Int64](repeating: 0, count: high - low + 1)
    for (i, c) in bins.enumerated() where c != 0 {
      fresh[Swift.max(offset + i, low) - low] = addSaturating(fresh[Swift.max(offset + i, low) - low], c)
    }
    offset = low
    bins = fresh
  }

  package mutating func merge(_ other: DDSketchStore) {
    guard !other.bins.isEmpty else { return }
    grow(toInclude: other.offset)
    grow(toInclude: other.offset + other.bins.count - 1)
    for (i, c) in other.bins.enumerated() where c != 0 { add(index: other.offset + i, count: c) }
  }
}
