/*
 Space-Saving heavy hitters (Metwally, Agrawal, El Abbadi 2005) for top(k).

 `capacity` counters (8k, at least 64) track candidate values. A new value
 when all counters are taken replaces the smallest counter and inherits its
 count as error, so each count is an overestimate by at most `error`, and
 every value occurring more than N / capacity times is kept. Values are
 stored as their canonical JSON text, so output copies them verbatim.

 Merging follows the mergeable-summaries construction (Agarwal et al. 2012):
 a value missing from a full summary is credited with that summary's
 minimum count (its maximum possible hidden count, also added to the error),
 counts add, and the `capacity` largest survive. When neither side ever
 evicted a value, merge(a, b) equals one pass over both exactly.
*/

package struct SpaceSaving: Sendable, Equatable {
  package let capacity: Int
  package private(set) var hashes: [UInt64] = []
  package private(set) var counts: [Int64] = []
  package private(set) var errors: [Int64] = []
  /// Canonical JSON text of each counter's value.
  package private(set) var values: [[UInt8]] = []

  package init(k: Int) {
    capacity = Swift.max(8 * k, 64)
  }

  init(capacity: Int) {
    self.capacity = capacity
  }

  package var isFull: Bool { counts.count >= capacity }

  /// The smallest count (0 while counters are free).
  package var minimumCount: Int64 { isFull ? (counts.min() ?? 0) : 0 }

  /// Counts one occurrence of `value` (canonical JSON text) with hash `hash`.
  package mutating func add(_ value: UnsafeRawBufferPointer, hash: UInt64, count: Int64 = 1) {
    if let i = find(value, hash: hash) {
      counts[i] &+= count
      return
    }
    if !isFull {
      hashes.append(hash)
      counts.append(count)
      errors.append(0)
      values.append(Array(value))
      return
    }
    var smallest = 0
    counts.withUnsafeBufferPointer { c in
      for i in 1..<c.count where c[i] < c[smallest] { smallest = i }
    }
    hashes[smallest] = hash
    errors[smallest] = counts[smallest]
    counts[smallest] &+= count
    values[smallest].removeAll(keepingCapacity: true)
    values[smallest].append(contentsOf: value)
  }

  private func find(_ value: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
    hashes.withUnsafeBufferPointer { h in
      for i in 0..<h.count where h[i] == hash {
        if values[i].elementsEqual(value) { return i }
      }
      return nil
    }
  }

  /// Adds a counter with a known error (merging, decoding).
  mutating func append(value: [UInt8], count: Int64, error: Int64) {
    hashes.append(value.withUnsafeBytes { hash64($0) })
    counts.append(count)
    errors.append(error)
    values.append(value)
  }

  package mutating func merge(_ other: SpaceSaving) {
    let padSelf = minimumCount
    let padOther = other.minimumCount
    var merged = SpaceSaving(capacity: Swift.max(capacity, other.capacity))
    var taken = [Bool](repeating: false, count: other.counts.count)
    for i in counts.indices {
      var c = counts[i]
      var e = errors[i]
      let j = values[i].withUnsafeBytes { other.find($0, hash: hashes[i]) }
      if let j {
        c = addSaturating(c, other.counts[j])
        e = addSaturating(e, other.errors[j])
        taken[j] = true
      } else {
        c = addSaturating(c, padOther)
        e = addSaturating(e, padOther)
      }
      merged.append(value: values[i], count: c, error: e)
    }
    for j in other.counts.indices where !taken[j] {
      merged.append(value: other.values[j], count: addSaturating(other.counts[j], padSelf), error: addSaturating(other.errors[j], padSelf))
    }
    let order = merged.rankedIndices()
    var result = SpaceSaving(capacity: merged.capacity)
    for i in order.prefix(merged.capacity) {
      result.append(value: merged.values[i], count: merged.counts[i], error: merged.errors[i])
    }
    self = result
  }

  /// Counter indices by count descending, then value bytes ascending (deterministic ties).
  package func rankedIndices() -> [Int] {
    counts.indices.sorted { a, b in
      if counts[a] != counts[b] { return counts[a] > counts[b] }
      return values[a].lexicographicallyPrecedes(values[b])
    }
  }

  /// The `k` heaviest values with their counts and error bounds.
  package func top(_ k: Int) -> [(value: [UInt8], count: Int64, error: Int64)] {
    rankedIndices().prefix(k).map { (values[$0], counts[$0], errors[$0]) }
  }
}
