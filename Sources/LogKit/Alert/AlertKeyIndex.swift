/*
 The key → instance index of an AlertKeyTable: open addressing with linear
 probing over 32-bit instance numbers, keyed by the wyhash-style hash64 of
 the key bytes (a Dictionary of [UInt8] hashes byte by byte through
 Hasher, which was the largest single cost of a record). Each slot keeps the
 key's hash next to the instance number, so a probe compares hashes without
 touching another array (at 100,000 keys every such touch is a cache miss);
 only a matching hash compares the key bytes. The table stays at most half
 full; removal shifts later entries of the run back (no tombstones), so
 lookups never slow down after evictions.

 The slots are raw memory (not an Array) so that the engine can read a
 rule's home slot through a SlotView, without retaining anything: a
 retain is an atomic instruction, which waits for earlier loads and so
 would serialize the cache misses the engine's touch pass overlaps.
*/
import Glibc

/// An instance number (-1: empty) and its key's hash.
struct AlertKeyEntry {
  var index: Int32
  var hash: UInt64
}

/// A read-only view of an index's slots, valid until the index next grows.
struct AlertKeySlotView {
  let base: UnsafePointer<AlertKeyEntry>
  let mask: Int

  /// Loads the home slot of `hash` (see AlertEngine.process).
  func touch(_ hash: UInt64) -> Int32 { base[Int(truncatingIfNeeded: hash) & mask].index }
}

final class AlertKeyIndex {
  private static let empty = AlertKeyEntry(index: -1, hash: 0)
  private var slots: UnsafeMutablePointer<AlertKeyEntry>
  private var slotCount: Int
  private var mask: Int
  private(set) var count = 0
  /// The hash of each instance's key, by instance number.
  private var hashes: [UInt64] = []

  init() {
    slotCount = 16
    mask = 15
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: Self.empty, count: slotCount)
  }

  deinit { slots.deallocate() }

  var view: AlertKeySlotView { AlertKeySlotView(base: UnsafePointer(slots), mask: mask) }

  static func hash(_ key: [UInt8]) -> UInt64 {
    key.withUnsafeBytes { hash64($0, seed: 0x616c_6572_7400) }
  }

  /// The instance whose key is `key` (`keys` holds every instance's key bytes).
  func find(_ key: [UInt8], hash: UInt64, keys: [[UInt8]]) -> Int? {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let entry = slots[slot]
      if entry.index < 0 { return nil }
      if entry.hash == hash, equalBytes(keys[Int(entry.index)], key) { return Int(entry.index) }
      slot = (slot &+ 1) & mask
    }
  }

  /// Adds instance `count` (the next number) under `hash`.
  func insert(hash: UInt64) {
    if (count + 1) * 2 > slotCount { grow() }
    hashes.append(hash)
    place(Int32(count), hash: hash)
    count += 1
  }

  /// Removes instance `i`; the last instance takes number `i` (as the table's swap-remove does).
  func remove(_ i: Int) {
    let last = count - 1
    unplace(i)
    if i != last {
      let moved = hashes[last]
      let slot = slotOf(last, hash: moved)
      slots[slot].index = Int32(i)
      hashes[i] = moved
    }
    hashes.removeLast()
    count -= 1
  }

  private func slotOf(_ i: Int, hash: UInt64) -> Int {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while Int(slots[slot].index) != i { slot = (slot &+ 1) & mask }
    return slot
  }

  private func place(_ i: Int32, hash: UInt64) {
    var slot = Int(truncatingIfNeeded: hash) & mask
    while slots[slot].index >= 0 { slot = (slot &+ 1) & mask }
    slots[slot] = AlertKeyEntry(index: i, hash: hash)
  }

  /// Empties instance i's slot and shifts back the entries after it that belong before it.
  private func unplace(_ i: Int) {
    var hole = slotOf(i, hash: hashes[i])
    slots[hole] = Self.empty
    var slot = (hole &+ 1) & mask
    while slots[slot].index >= 0 {
      let home = Int(truncatingIfNeeded: slots[slot].hash) & mask
      // The entry may move into the hole when its home is not in (hole, slot], cyclically.
      let distanceToSlot = (slot &- home) & mask
      let distanceToHole = (hole &- home) & mask
      if distanceToHole < distanceToSlot {
        slots[hole] = slots[slot]
        slots[slot] = Self.empty
        hole = slot
      }
      slot = (slot &+ 1) & mask
    }
  }

  private func grow() {
    slots.deallocate()
    slotCount *= 2
    mask = slotCount - 1
    slots = .allocate(capacity: slotCount)
    slots.initialize(repeating: Self.empty, count: slotCount)
    for i in 0..<count { place(Int32(i), hash: hashes[i]) }
  }
}

private func equalBytes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
  guard a.count == b.count else { return false }
  return a.withUnsafeBytes { x in
    b.withUnsafeBytes { y in
      guard let p = x.baseAddress, let q = y.baseAddress else { return true }
      return memcmp(p, q, x.count) == 0
    }
  }
}
