/*
 Lateness, the late file, idle closing through the injected clock, and
 early (non-final) updates.
*/
import Testing
@testable import LogKit

@Suite struct WatermarkTests {
  @Test func outOfOrderEventsWithinLatenessAreExact() throws {
    let h = try WindowHarness(["--every", "1m", "--lateness", "30s", "-a", "count", "-a", "sum(x)"])
    try h.feed([
      record("2024-01-01T00:00:50Z", ["x": 1]), record("2024-01-01T00:01:20Z", ["x": 2]),
      record("2024-01-01T00:00:55Z", ["x": 4]),  // 25s behind the max: still on time
    ])
    #expect(h.take().isEmpty)  // watermark 00:00:50 has not reached 00:01:00
    try h.feed([record("2024-01-01T00:01:31Z", ["x": 8])])  // watermark 00:01:01 closes [00:00, 00:01)
    let closed = h.take()
    #expect(closed.count == 1)
    #expect(closed.first?["count"] as? Int == 2)
    #expect(closed.first?["sum_x"] as? Int == 5)
    try h.feed([record("2024-01-01T00:00:59Z", ["x": 100])])  // its window is gone: late
    #expect(h.engine.lateEvents == 1)
    let rest = try h.finish()
    #expect(rest.map { $0["sum_x"] as? Int } == [10])
  }

  @Test func lateEventsAreWrittenVerbatim() throws {
    let h = try WindowHarness(["--every", "10s", "-a", "count"])
    let late = #"{"time":"2024-01-01T00:00:01Z", "note":"late one"}"#
    try h.feed([record("2024-01-01T00:00:05Z"), record("2024-01-01T00:00:20Z"), late])
    #expect(h.lateSink.takeString() == late + "\n")
    #expect(try h.finish().map { $0["count"] as? Int } == [1, 1])
  }

  @Test func idleInputAdvancesTheWatermarkByWallTime() throws {
    let h = try WindowHarness(["--every", "1m", "--idle", "5s", "-a", "count"])
    h.manualClock.now = 1_000_000_000
    try h.feed([record("2024-01-01T00:00:30Z")])
    try h.engine.idleTick()  // first quiet tick: the quiet period starts
    h.manualClock.now += 4_000_000
    try h.engine.idleTick()
    #expect(h.take().isEmpty)  // 4s quiet < --idle
    h.manualClock.now += 20_000_000
    try h.engine.idleTick()  // 24s quiet: watermark 00:00:54
    #expect(h.take().isEmpty)
    h.manualClock.now += 6_000_000
    try h.engine.idleTick()  // 30s quiet: watermark 00:01:00 closes the window
    let out = h.take()
    #expect(out.map { $0["count"] as? Int } == [1])
    #expect(h.engine.watermark == epochMicros(year: 2024, month: 1, day: 1, hour: 0, minute: 1, second: 0))
  }

  @Test func recordsRestartTheQuietPeriod() throws {
    let h = try WindowHarness(["--every", "1m", "--idle", "5s", "-a", "count"])
    try h.feed([record("2024-01-01T00:00:30Z")])
    try h.engine.idleTick()
    h.manualClock.now += 25_000_000
    try h.feed([record("2024-01-01T00:00:31Z")])
    try h.engine.idleTick()  // new record: quiet period starts again
    h.manualClock.now += 10_000_000
    try h.engine.idleTick()
    #expect(h.take().isEmpty)  // watermark 00:00:41
    h.manualClock.now += 20_000_000
    try h.engine.idleTick()
    #expect(h.take().map { $0["count"] as? Int } == [2])
  }

  @Test func earlyUpdatesAreMarkedNotFinal() throws {
    let h = try WindowHarness(["--every", "1m", "--emit", "early=10s", "-a", "count"])
    try h.feed([record("2024-01-01T00:00:30Z"), record("2024-01-01T00:00:40Z")])
    try h.engine.idleTick()
    #expect(h.take().isEmpty)
    h.manualClock.now += 10_000_000
    try h.engine.idleTick()
    let early = h.take()
    #expect(early.count == 1)
    #expect(early.first?["final"] as? Bool == false)
    #expect(early.first?["count"] as? Int == 2)
    let final = try h.finish()
    #expect(final.first?["final"] as? Bool == true)
    let plain = try WindowHarness(["--every", "1m", "-a", "count"])
    try plain.feed([record("2024-01-01T00:00:30Z")])
    #expect(try plain.finish().first?.keys.contains("final") == false)
  }
}
