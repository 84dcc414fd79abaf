/*
 Which windows an event belongs to.

 Tumbling and hopping windows are aligned to the epoch plus `offset`:
 a window is [start, start + size) with start = offset + n * slide for an
 integer n (negative before 1970), so 1m windows start on whole minutes in
 every process and shards agree without talking to each other. Sessions are
 intervals per group key: an event at t covers [t, t + gap) and overlapping
 intervals of one key join. `global` is one window over everything.
*/

package enum WindowKind: Sendable, Equatable {
  /// size == slide: tumbling; slide < size: hopping (each event in size/slide windows).
  case sliding(size: EpochMicros, slide: EpochMicros, offset: EpochMicros)
  case session(gap: EpochMicros)
  case global

  /// Start of the latest window of a sliding kind that contains `t`.
  @inlinable
  static func lastStart(_ t: EpochMicros, slide: EpochMicros, offset: EpochMicros) -> EpochMicros {
    floorDiv(t - offset, slide) * slide + offset
  }
}
