/*
 Clocks. Event time comes from records; these are the machine's clocks, for
 idle advance, timeouts, rates and progress. `MonotonicClock` is injectable
 so tests drive idle closing, early updates and timeouts without sleeping.
*/
import Glibc

package struct MonotonicClock: Sendable {
  /// Microseconds on any monotonic scale (only differences matter).
  package var now: @Sendable () -> Int64

  package init(now: @escaping @Sendable () -> Int64) {
    self.now = now
  }

  package static let system = MonotonicClock { monotonicMicros() }
}

/// CLOCK_MONOTONIC in microseconds.
package func monotonicMicros() -> Int64 {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
}

/// CLOCK_REALTIME in microseconds since the epoch.
package func wallClockMicros() -> Int64 {
  var ts = timespec()
  clock_gettime(CLOCK_REALTIME, &ts)
  return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
}
