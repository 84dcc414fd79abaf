/*
 One open tumbling, hopping or global window: its bounds and its groups.
 Dropped as a whole when it closes, which is what keeps memory flat.
*/

package final class OpenWindow {
  package var start: EpochMicros
  package var end: EpochMicros
  package var groups: GroupTable
  /// Events (or partial rows) counted in `_other` because `maxGroups` was reached.
  package var folded = 0

  init(start: EpochMicros, end: EpochMicros, layout: AccumulatorLayout) {
    self.start = start
    self.end = end
    groups = GroupTable(layout: layout)
  }

  /// The row for `key`, creating it, or the `_other` row once `maxGroups` is reached.
  @inlinable
  func row(for key: UnsafeRawBufferPointer, hash: UInt64, maxGroups: Int, other: [UInt8], otherHash: UInt64) -> Int {
    if let r = groups.find(key, hash: hash) { return r }
    if groups.liveCount < maxGroups { return groups.insert(key, hash: hash) }
    folded &+= 1
    return other.withUnsafeBytes { o in
      groups.find(o, hash: otherHash) ?? groups.insert(o, hash: otherHash)
    }
  }
}
