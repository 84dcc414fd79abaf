/*
 logalert --idle: event time that follows the wall clock once input has been
 quiet for the idle interval, so a stream that stopped still reaches
 absent() and --stale. No clock read per record: a record only resets the
 quiet mark; the first idle tick after it reads the clock.
*/

final class IdleClock {
  let idle: Int64
  /// Wall time (monotonic) of the first idle tick after the last record, with the event time then.
  private var quietSince: (wall: Int64, eventTime: Int64)?

  init(idle: Int64) { self.idle = idle }

  func recordArrived() { quietSince = nil }

  /// On an idle tick: the event time to advance to, once quiet for `idle`; nil before.
  func quiet(eventTime: Int64) -> Int64? {
    guard idle > 0, eventTime != Int64.min else { return nil }
    let wall = monotonicMicros()
    guard let since = quietSince else {
      quietSince = (wall, eventTime)
      return nil
    }
    let elapsed = wall - since.wall
    guard elapsed >= idle else { return nil }
    let (sum, overflow) = since.eventTime.addingReportingOverflow(elapsed)
    return overflow ? nil : sum
  }
}
