/*
 The merge's view of its producers (Flink's min-over-inputs watermark):
 each producer's latest watermark and when it was last heard from, and the
 sequence numbers seen, to drop records delivered twice (Kafka delivers at
 least once).

 The merged watermark is the minimum over the producers that are not idle.
 A producer is idle when nothing came from it for `idle` of wall-clock time
 (a producer whose input is quiet still sends heartbeats, so idle means
 stalled or gone); it counts again from its next record. Until `expected`
 producers have been seen, no window closes, for at most `idle` after the
 first record.
*/

package struct ProducerWatermarks {
  struct Entry {
    var run: Int64
    var watermark: EpochMicros
    var lastHeard: Int64
    var seen: SequenceSet
  }

  package let expected: Int
  package let idle: Int64?
  var entries: [String: Entry] = [:]
  var firstHeard: Int64?
  /// Records dropped because their producer, run and sequence number had been seen.
  package private(set) var duplicates = 0
  /// Records of an older run of a producer after a newer run was seen.
  package private(set) var staleRuns = 0

  package init(expected: Int, idle: Int64?) {
    self.expected = expected
    self.idle = idle
  }

  package var producerCount: Int { entries.count }
  /// Producers whose latest run said its input ended (`"watermark":"end"`).
  package var ended: Int { entries.values.reduce(0) { $0 + ($1.watermark == .max ? 1 : 0) } }

  /// Notes a record's producer fields; false when the record must be dropped
  /// (a duplicate, or from a run older than one already seen).
  package mutating func accept(_ mark: ProducerMark, now: Int64) -> Bool {
    if firstHeard == nil { firstHeard = now }
    let name = mark.identity.name
    guard var entry = entries[name], entry.run >= mark.identity.run else {
      // A new producer, or a restarted one: its own sequence starts again.
      entries[name] = Entry(run: mark.identity.run, watermark: mark.watermark, lastHeard: now, seen: SequenceSet(first: mark.seq))
      return true
    }
    guard entry.run == mark.identity.run else {
      staleRuns += 1
      return false
    }
    entry.lastHeard = now
    guard entry.seen.insert(mark.seq) else {
      entries[name] = entry
      duplicates += 1
      return false
    }
    entry.watermark = Swift.max(entry.watermark, mark.watermark)
    entries[name] = entry
    return true
  }

  /// The watermark every live producer has passed; nil while waiting for `expected` producers.
  package func merged(now: Int64) -> EpochMicros? {
    guard let firstHeard else { return nil }
    let waitedLong = idle.map { now - firstHeard >= $0 } ?? false
    if entries.count < expected && !waitedLong { return nil }
    var lowest = EpochMicros.max
    var highest = EpochMicros.min
    var live = 0
    for entry in entries.values {
      highest = Swift.max(highest, entry.watermark)
      if let idle, now - entry.lastHeard >= idle { continue }
      live += 1
      lowest = Swift.min(lowest, entry.watermark)
    }
    // Every producer idle: what all of them said is all there is for now.
    return live == 0 ? highest : lowest
  }
}

/// Sequence numbers seen: everything up to `contiguous`, plus the ones above it.
/// Bounded: a gap that stays open for `maxAbove` later numbers is given up on.
/// A producer's records arrive in order but for redeliveries (one pipe, or one
/// Kafka partition per producer), so numbers below the first one seen count as seen.
struct SequenceSet {
  private(set) var contiguous: Int64
  private(set) var above: Set<Int64> = []
  static let maxAbove = 100_000

  init(first: Int64) {
    contiguous = first
  }

  /// A set restored from a checkpoint.
  init(contiguous: Int64, above: Set<Int64>) {
    self.contiguous = contiguous
    self.above = above
  }

  /// False when `seq` was already in the set.
  mutating func insert(_ seq: Int64) -> Bool {
    if seq <= contiguous || !above.insert(seq).inserted { return false }
    while above.remove(contiguous &+ 1) != nil { contiguous &+= 1 }
    if above.count > Self.maxAbove, let low = above.min() {
      contiguous = low - 1
      while above.remove(contiguous &+ 1) != nil { contiguous &+= 1 }
    }
    return true
  }
}
