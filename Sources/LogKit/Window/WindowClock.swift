/*
 The wall clock the watermark's idle advance and `--emit early` read.
 Injectable so tests drive idle closing and early updates without sleeping.
*/

package struct WindowClock: Sendable {
  /// Microseconds on any monotonic scale (only differences matter).
  package var now: @Sendable () -> Int64

  package init(now: @escaping @Sendable () -> Int64) {
    self.now = now
  }

  package static let system = WindowClock { monotonicMicros() }
}
