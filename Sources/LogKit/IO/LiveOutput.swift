/*
 An output kept live while input is read (LineInput, MultiLineInput): flushed
 on every idle tick, and during a steady trickle, when a line every 30 ms
 never leaves input idle, whenever a fresh read(2) came and the last flush is
 an idle interval old. Batch input reads once per thousand lines, so this
 costs one clock read per read(2).
*/

package struct LiveOutput {
  package var sink: OutputSink?
  private var lastFlush: Int64 = 0

  package init() {}

  /// Input was idle: flush now.
  package mutating func flushOnIdle() throws {
    try sink?.flush()
    lastFlush = monotonicMicros()
  }

  /// A read(2) returned data: flush if output waits and the last flush is `idleMilliseconds` old.
  package mutating func flushIfTrickling(idleMilliseconds: Int32) throws {
    guard let sink, sink.pending > 0 else { return }
    let now = monotonicMicros()
    if now - lastFlush >= Int64(idleMilliseconds) * 1000 {
      try sink.flush()
      lastFlush = now
    }
  }

  /// Reading starts: the trickle interval counts from now.
  package mutating func start() { lastFlush = monotonicMicros() }
}
