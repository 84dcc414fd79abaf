/*
 The bin store of a DDSketch: counts for a contiguous range of logarithmic
 bucket indices. When the range would exceed `maxBins`, the lowest buckets
 are collapsed into one ("collapsing lowest" store), so memory is bounded
 and the accuracy guarantee holds for every quantile above the collapsed
 range, which for latencies and sizes is the part people look at (p50..p99).

 The first few buckets are kept in the value itself, as (index, count) pairs
 in index order: a group of a busy window often sees a handful of values
 spread over hundreds of buckets, and then costs no allocation. Readers go
 through `forEachBucket`, which gives both forms the same way.
*/

package struct DDSketchStore: Sendable, Equatable {
  /// At most this many buckets (16 KiB of counts); with gamma = 1.0202 that
  /// spans a ratio of 1e17 between the smallest and largest value kept exactly.
  package static let maxBins = 2048

  /// Bucket index of `bins[0]`.
  package private(set) var offset = 0
  package private(set) var bins: [Int64] = []

  /// Pairs kept before `bins` is allocated (their indices span less than maxBins).
  @usableFromInline static let smallLimit = 4
  /// index0, count0, index1, count1, ... in index order; `smallCount` pairs in use.
  @usableFromInline var small: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0, 0)
  @usableFromInline var smallCount = 0

  package init() {}

  package var isEmpty: Bool { bins.isEmpty && smallCount == 0 }

  @inlinable
  package mutating func add(index: Int, count: Int64 = 1) {
    if bins.isEmpty {
      if addSmall(index: index, count: count) { return }
      moveSmallToBins()
    }
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
    other.forEachBucket { index, count in
      add(index: index, count: count)
      return true
    }
  }

  /// Adds to the inline pairs; false (nothing changed) when they are full or the
  /// index would widen their span to maxBins.
  @usableFromInline
  mutating func addSmall(index: Int, count: Int64) -> Bool {
    let n = smallCount
    let key = Int64(index)
    var inserted = false
    let kept: Bool = withUnsafeMutableBytes(of: &small) { raw in
      let s = raw.bindMemory(to: Int64.self)
      var k = 0
      while k < n && s[2 &* k] < key { k &+= 1 }
      if k < n && s[2 &* k] == key {
        s[2 &* k &+ 1] &+= count
        return true
      }
      guard n < Self.smallLimit else { return false }
      let low = n == 0 ? key : Swift.min(s[0], key)
      let high = n == 0 ? key : Swift.max(s[2 &* (n &- 1)], key)
      guard high &- low < Int64(Self.maxBins) else { return false }
      var j = n
      while j > k {
        s[2 &* j] = s[2 &* j &- 2]
        s[2 &* j &+ 1] = s[2 &* j &- 1]
        j &-= 1
      }
      s[2 &* k] = key
      s[2 &* k &+ 1] = count
      inserted = true
      return true
    }
    if inserted { smallCount &+= 1 }
    return kept
  }

  /// Lays the inline pairs out as bins (their span is below maxBins: nothing collapses).
  @usableFromInline
  mutating func moveSmallToBins() {
    guard smallCount > 0 else { return }
    let pairs = small, n = smallCount
    withUnsafeBytes(of: pairs) { raw in
      let s = raw.bindMemory(to: Int64.self)
      let low = Int(s[0])
      offset = low
      bins = [Int64](repeating: 0, count: Int(s[2 * (n - 1)]) - low + 1)
      for k in 0..<n { bins[Int(s[2 * k]) - low] = s[2 * k + 1] }
    }
    smallCount = 0
    small = (0, 0, 0, 0, 0, 0, 0, 0)
  }

  /// Calls `body(index, count)` for every non-empty bucket in index order (highest first when
  /// `descending`), until it returns false.
  @inline(__always)
  package func forEachBucket(descending: Bool = false, _ body: (Int, Int64) -> Bool) {
    if bins.isEmpty {
      withUnsafeBytes(of: small) { raw in
        let s = raw.bindMemory(to: Int64.self)
        for n in 0..<smallCount {
          let k = descending ? smallCount - 1 - n : n
          if s[2 * k + 1] != 0 && !body(Int(s[2 * k]), s[2 * k + 1]) { return }
        }
      }
      return
    }
    for n in 0..<bins.count {
      let i = descending ? bins.count - 1 - n : n
      if bins[i] != 0 && !body(offset + i, bins[i]) { return }
    }
  }

  /// The same buckets, whichever form holds them.
  package static func == (a: DDSketchStore, b: DDSketchStore) -> Bool {
    var left: [Int64] = [], right: [Int64] = []
    a.forEachBucket { left += [Int64($0), $1]; return true }
    b.forEachBucket { right += [Int64($0), $1]; return true }
    return left == right
  }
}
