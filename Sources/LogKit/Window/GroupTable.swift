/*
 The groups of one window (or of all open sessions): group key bytes hashed
 into an open-addressing index of row numbers, with the aggregate state in
 AccumulatorColumns. Lookups allocate nothing; a new group copies its key
 once. Freed rows (closed sessions) are reused.

 A key is the canonical JSON text of each --by value joined by 0x1F, a byte
 that cannot occur unescaped in JSON text, so keys split back into fields.
*/

import Glibc

package let keySeparator: UInt8 = 0x1F

package struct GroupTable {
  package var columns: AccumulatorColumns
  package private(set) var keys: [[UInt8]] = []
  package private(set) var hashes: [UInt64] = []
  /// Rows in use (not on the free list).
  package private(set) var liveCount = 0
  private var index: [Int32]
  private var mask: Int
  private var free: [Int] = []
  private var inUse: [Bool] = []

  package init(layout: AccumulatorLayout, capacity: Int = 16) {
    columns = AccumulatorColumns(layout: layout)
    var size = 16
    while size < capacity * 2 { size *= 2 }
    index = [Int32](repeating: -1, count: size)
    mask = size - 1
  }

  /// The row of `key`, if indexed.
  @inlinable
  package func find(_ key: UnsafeRawBufferPointer, hash: UInt64) -> Int? {
    var i = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = Int(index[i])
      if slot < 0 { return nil }
      if hashes[slot] == hash && keys[slot].elementsEqual(key) { return slot }
      i = (i &+ 1) & mask
    }
  }

  /// A fresh row for `key`, entered in the index unless `indexed` is false
  /// (a second session of a key already indexed).
  package mutating func insert(_ key: UnsafeRawBufferPointer, hash: UInt64, indexed: Bool = true) -> Int {
    let row: Int
    if let reused = free.popLast() {
      row = reused
      keys[row].removeAll(keepingCapacity: true)
      keys[row].append(contentsOf: key)
      hashes[row] = hash
      inUse[row] = true
    } else {
      row = columns.appendRow()
      keys.append(Array(key))
      hashes.append(hash)
      inUse.append(true)
    }
    liveCount += 1
    if indexed { addToIndex(row) }
    return row
  }

  private mutating func addToIndex(_ row: Int) {
    if (liveCount + 1) * 2 > index.count { grow() }
    var i = Int(truncatingIfNeeded: hashes[row]) & mask
    while index[i] >= 0 { i = (i + 1) & mask }
    index[i] = Int32(row)
  }

  private mutating func grow() {
    let old = index
    index = [Int32](repeating: -1, count: old.count * 2)
    mask = index.count - 1
    for slot in old where slot >= 0 {
      var i = Int(truncatingIfNeeded: hashes[Int(slot)]) & mask
      while index[i] >= 0 { i = (i + 1) & mask }
      index[i] = slot
    }
  }

  /// Points the index entry of `old`'s key at `new` (same key).
  package mutating func repoint(from old: Int, to new: Int) {
    var i = Int(truncatingIfNeeded: hashes[old]) & mask
    while index[i] >= 0 {
      if Int(index[i]) == old { index[i] = Int32(new); return }
      i = (i + 1) & mask
    }
  }

  /// Removes `row` from the index (if there) and frees it for reuse.
  package mutating func release(_ row: Int) {
    removeFromIndex(row)
    columns.resetRow(row)
    inUse[row] = false
    free.append(row)
    liveCount -= 1
  }

  /// Linear-probing deletion with backward shift (no tombstones).
  private mutating func removeFromIndex(_ row: Int) {
    var i = Int(truncatingIfNeeded: hashes[row]) & mask
    while index[i] >= 0 && Int(index[i]) != row { i = (i + 1) & mask }
    guard index[i] >= 0 else { return }
    var hole = i
    var j = (i + 1) & mask
    while index[j] >= 0 {
      let home = Int(truncatingIfNeeded: hashes[Int(index[j])]) & mask
      // Move j into the hole when its home is not cyclically in (hole, j].
      let between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j)
      if !between {
        index[hole] = index[j]
        hole = j
      }
      j = (j + 1) & mask
    }
    index[hole] = -1
  }

  /// Rows in use, ordered by key bytes (the output order within a window).
  /// Sorting compares the first 16 key bytes as two big-endian integers and
  /// falls back to memcmp only on ties, which keeps emission cheap.
  package func rowsByKey() -> [Int] {
    var entries: [(high: UInt64, low: UInt64, row: Int)] = []
    entries.reserveCapacity(liveCount)
    for r in 0..<keys.count where inUse[r] {
      var high: UInt64 = 0
      var low: UInt64 = 0
      keys[r].withUnsafeBytes { k in
        for i in 0..<8 { high = high << 8 | UInt64(i < k.count ? k[i] : 0) }
        for i in 8..<16 { low = low << 8 | UInt64(i < k.count ? k[i] : 0) }
      }
      entries.append((high, low, r))
    }
    keys.withUnsafeBufferPointer { k in
      entries.sort { a, b in
        if a.high != b.high { return a.high < b.high }
        if a.low != b.low { return a.low < b.low }
        return Self.compare(k[a.row], k[b.row]) < 0
      }
    }
    return entries.map(\.row)
  }

  /// memcmp order, shorter first on a common prefix.
  static func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
    a.withUnsafeBytes { x in
      b.withUnsafeBytes { y in
        let n = Swift.min(x.count, y.count)
        if n > 0, let p = x.baseAddress, let q = y.baseAddress {
          let c = memcmp(p, q, n)
          if c != 0 { return Int(c) }
        }
        return x.count - y.count
      }
    }
  }
}
