/*
 Counts per value (paths, clients, statuses) in bounded memory: past
 `maxDistinct` values the smaller half is pruned, and the table says its
 counts became lower bounds (`approximate`).
*/

package struct TopEntry: Sendable, Equatable {
  package var value: String
  package var count: Double
  /// Errors among them (5xx; for clients 4xx+5xx), when known.
  package var errors: Double
}

package struct TopTable: Sendable {
  private var counts: [String: Int] = [:]
  private var entries: [TopEntry] = []
  package let maxDistinct: Int
  package private(set) var approximate = false
  package private(set) var total: Double = 0

  package init(maxDistinct: Int) {
    self.maxDistinct = Swift.max(16, maxDistinct)
  }

  package var distinct: Int { entries.count }
  package var isEmpty: Bool { entries.isEmpty }

  package mutating func add(_ value: String, count: Double = 1, errors: Double = 0) {
    total += count
    if let i = counts[value] {
      entries[i].count += count
      entries[i].errors += errors
      return
    }
    if entries.count >= maxDistinct { prune() }
    counts[value] = entries.count
    entries.append(TopEntry(value: value, count: count, errors: errors))
  }

  package mutating func removeAll() {
    counts.removeAll(keepingCapacity: true)
    entries.removeAll(keepingCapacity: true)
    approximate = false
    total = 0
  }

  /// The `n` largest by count (ties: by value), optionally ranked by errors.
  package func top(_ n: Int, byErrors: Bool = false) -> [TopEntry] {
    let key: (TopEntry) -> Double = byErrors ? { $0.errors } : { $0.count }
    let candidates = byErrors ? entries.filter { $0.errors > 0 } : entries
    return Array(
      candidates.sorted { key($0) != key($1) ? key($0) > key($1) : $0.value < $1.value }.prefix(n))
  }

  private mutating func prune() {
    entries.sort { $0.count > $1.count }
    entries.removeLast(entries.count / 2)
    counts.removeAll(keepingCapacity: true)
    for (i, e) in entries.enumerated() { counts[e.value] = i }
    approximate = true
  }
}
