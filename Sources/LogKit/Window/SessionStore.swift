/*
 Session windows per group key. A session is the interval [first event,
 last event + gap); an event at t brings the interval [t, t + gap), and
 intervals of one key that overlap join (their states merge), so a gap of
 at least `gap` between events of a key separates sessions. Partial sessions
 from several shards join the same way, which makes --merge exact.

 All open sessions share one GroupTable: a row per session, the index maps a
 key to its first session, further sessions of the key (possible with
 lateness) hang off it through `next`. Closed sessions free their rows.
*/

package final class SessionStore {
  let gap: EpochMicros
  package var table: GroupTable
  private var starts: [EpochMicros] = []
  private var ends: [EpochMicros] = []
  private var next: [Int] = []
  /// No session ends before this (a lower bound; scans happen only past it).
  private var earliestEnd = EpochMicros.max
  /// Events counted in the `_other` session because `maxGroups` sessions were open.
  package private(set) var folded = 0

  init(gap: EpochMicros, layout: AccumulatorLayout) {
    self.gap = gap
    table = GroupTable(layout: layout)
  }

  private func ensureRow(_ r: Int) {
    while starts.count <= r {
      starts.append(0)
      ends.append(0)
      next.append(-1)
    }
  }

  /// The row of the session that [start, end) joins for `key` (merging the
  /// sessions it bridges), or a new session's row.
  func add(
    start: EpochMicros, end: EpochMicros, key keyIn: UnsafeRawBufferPointer, hash hashIn: UInt64,
    maxGroups: Int, other: [UInt8], otherHash: UInt64
  ) -> Int {
    var head = table.find(keyIn, hash: hashIn)
    if head == nil && table.liveCount >= maxGroups {
      folded &+= 1
      return other.withUnsafeBytes { add(start: start, end: end, key: $0, hash: otherHash, maxGroups: .max, other: other, otherHash: otherHash) }
    }
    var target = -1
    var previous = -1
    var current = head ?? -1
    while current >= 0 {
      let following = next[current]
      if start < ends[current] && starts[current] < end {
        if target < 0 {
          target = current
          starts[current] = Swift.min(starts[current], start)
          ends[current] = Swift.max(ends[current], end)
          previous = current
        } else {
          // A second overlapping session: fold it into the target.
          let row = table.columns.extractRow(current)
          table.columns.merge(row: target, from: row, row: 0)
          starts[target] = Swift.min(starts[target], starts[current])
          ends[target] = Swift.max(ends[target], ends[current])
          unlink(current, previous: previous, head: &head)
        }
      } else {
        previous = current
      }
      current = following
    }
    if target >= 0 { return target }
    let row: Int
    if let h = head {
      row = table.insert(keyIn, hash: hashIn, indexed: false)
      ensureRow(row)
      next[row] = next[h]
      next[h] = row
    } else {
      row = table.insert(keyIn, hash: hashIn)
      ensureRow(row)
      next[row] = -1
    }
    starts[row] = start
    ends[row] = end
    earliestEnd = Swift.min(earliestEnd, end)
    return row
  }

  /// Removes `row` from its key's chain and frees it.
  private func unlink(_ row: Int, previous: Int, head: inout Int?) {
    if row == head {
      let following = next[row]
      if following >= 0 { table.repoint(from: row, to: following) }
      head = following >= 0 ? following : nil
    } else if previous >= 0 {
      next[previous] = next[row]
    }
    next[row] = -1
    table.release(row)
  }

  /// Emits and frees every session ending at or before `watermark`, in order
  /// of end, then key.
  func close(upTo watermark: EpochMicros, output: WindowOutput) throws(IOError) {
    guard watermark >= earliestEnd else { return }
    var closing: [Int] = []
    var remainingEarliest = EpochMicros.max
    for r in table.rowsByKey() {
      if ends[r] <= watermark { closing.append(r) } else { remainingEarliest = Swift.min(remainingEarliest, ends[r]) }
    }
    earliestEnd = remainingEarliest
    closing.sort { ends[$0] != ends[$1] ? ends[$0] < ends[$1] : table.keys[$0].lexicographicallyPrecedes(table.keys[$1]) }
    for r in closing {
      try output.write(start: starts[r], end: ends[r], key: table.keys[r], columns: table.columns, row: r, isFinal: true)
    }
    for r in closing {
      let key = table.keys[r]
      var head = key.withUnsafeBytes { table.find($0, hash: table.hashes[r]) }
      var previous = -1
      var current = head ?? -1
      while current >= 0 && current != r {
        previous = current
        current = next[current]
      }
      unlink(r, previous: previous, head: &head)
    }
  }

  /// Start and end of the session in `row`.
  func bounds(_ row: Int) -> (start: EpochMicros, end: EpochMicros) { (starts[row], ends[row]) }

  /// The latest end of an open session (.min when none is open).
  var latestEnd: EpochMicros {
    table.rowsByKey().reduce(EpochMicros.min) { Swift.max($0, ends[$1]) }
  }

  /// Writes every open session (for --emit early).
  func emitAll(output: WindowOutput, isFinal: Bool) throws(IOError) {
    let rows = table.rowsByKey().sorted { ends[$0] < ends[$1] }
    for r in rows {
      try output.write(start: starts[r], end: ends[r], key: table.keys[r], columns: table.columns, row: r, isFinal: isFinal)
    }
  }
}
