/*
 The per-record values the aggregates consume, computed once per record and
 applied to every window the record falls in (hopping windows share them).
 Byte values (for distinct, top, first, last) live in one reused buffer.
 A class, so handing it to the engine costs one reference, not a copy of
 each array (which showed up in profiles as retains per record).
*/

package final class AggregateInputs {
  /// Starts a new record.
  @inlinable
  package func clearBytes() { bytes.count = 0 }

  /// Per aggregate: the numeric value, NaN when missing or not a number.
  package var numbers: [Double]
  /// Per aggregate: predicate result (count_if) or "has a value" (distinct, top, first, last).
  package var flags: [Bool]
  /// Per aggregate: hash of the value bytes (distinct, top).
  package var hashes: [UInt64]
  /// Per aggregate: range of the canonical JSON text in `bytes`.
  package var starts: [Int]
  package var ends: [Int]
  /// In-memory sink holding the value texts of the current record.
  package let bytes = OutputSink(fd: -1, capacity: 4096)

  package init(count: Int) {
    numbers = [Double](repeating: .nan, count: count)
    flags = [Bool](repeating: false, count: count)
    hashes = [UInt64](repeating: 0, count: count)
    starts = [Int](repeating: 0, count: count)
    ends = [Int](repeating: 0, count: count)
  }

  /// Calls `body` with the value bytes of aggregate `i`.
  @inlinable
  package func withValue<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    body(UnsafeRawBufferPointer(start: bytes.base + starts[i], count: ends[i] &- starts[i]))
  }
}
