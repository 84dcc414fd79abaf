/*
 Timestamps appended to an OutputSink: the formatting is Time's, the buffer
 is the sink's.
*/

extension OutputSink {
  /// Appends `1995-07-01T04:00:01Z` (with `fractionDigits` 3 or 6, a fraction).
  @inline(__always)
  package func appendRFC3339(_ t: EpochMicros, fractionDigits: Int = 0) {
    ensure(maxTimeTextBytes)
    count &+= writeRFC3339(t, fractionDigits: fractionDigits, to: base + count)
  }

  /// Appends `10/Oct/2000:13:55:36 -0700`.
  @inline(__always)
  package func appendCLFTime(_ t: EpochMicros, offsetMinutes: Int = 0) {
    ensure(maxTimeTextBytes)
    count &+= writeCLFTime(t, offsetMinutes: offsetMinutes, to: base + count)
  }
}
