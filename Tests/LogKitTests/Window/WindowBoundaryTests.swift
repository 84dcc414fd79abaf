/*
 Window assignment: epoch alignment, start inclusive / end exclusive at the
 exact boundary instant, times before 1970, --offset, hopping membership,
 global windows.
*/
import Foundation
import Testing
@testable import LogKit

@Suite struct WindowBoundaryTests {
  @Test func floorDivisionRoundsTowardNegativeInfinity() {
    #expect(floorDiv(7, 2) == 3)
    #expect(floorDiv(-7, 2) == -4)
    #expect(floorDiv(-6, 2) == -3)
    #expect(WindowKind.lastStart(-1, slide: 60_000_000, offset: 0) == -60_000_000)
    #expect(WindowKind.lastStart(0, slide: 60_000_000, offset: 0) == 0)
  }

  @Test func boundaryInstantBelongsToTheNextWindow() throws {
    let h = try WindowHarness(["--every", "1m", "-a", "count"])
    try h.feed([
      record("2024-01-01T00:00:59.999999Z"), record("2024-01-01T00:01:00Z"), record("2024-01-01T00:00:00Z"),
    ])
    let out = try h.finish()
    #expect(out.map { $0["start"] as? String } == ["2024-01-01T00:00:00Z", "2024-01-01T00:01:00Z"])
    #expect(out.map { $0["end"] as? String } == ["2024-01-01T00:01:00Z", "2024-01-01T00:02:00Z"])
    // 00:00:00 arrived after the watermark reached 00:01:00: late, not counted.
    #expect(out.map { $0["count"] as? Int } == [1, 1])
    #expect(h.engine.lateEvents == 1)
  }

  @Test func timesBeforeTheEpochAlignDownward() throws {
    let h = try WindowHarness(["--every", "1h", "-a", "count"])
    try h.feed([record("1969-12-31T23:59:59Z"), record("1970-01-01T00:00:00Z")])
    let out = try h.finish()
    #expect(out.map { $0["start"] as? String } == ["1969-12-31T23:00:00Z", "1970-01-01T00:00:00Z"])
  }

  @Test func offsetShiftsAlignment() throws {
    let h = try WindowHarness(["--every", "1h", "--offset", "-15m", "-a", "count"])
    try h.feed([record("2024-01-01T00:44:59Z"), record("2024-01-01T00:45:00Z")])
    let out = try h.finish()
    #expect(out.map { $0["start"] as? String } == ["2023-12-31T23:45:00Z", "2024-01-01T00:45:00Z"])
    let h2 = try WindowHarness(["--every", "1d", "--offset", "6h", "-a", "count"])
    try h2.feed([record("2024-01-01T05:00:00Z")])
    #expect(try h2.finish().first?["start"] as? String == "2023-12-31T06:00:00Z")
  }

  @Test func hoppingWindowsCoverEachEventSizeOverSlideTimes() throws {
    let h = try WindowHarness(["--window", "3m", "--every", "1m", "-a", "count"])
    try h.feed([record("2024-01-01T00:05:30Z")])
    let out = try h.finish()
    #expect(out.map { $0["start"] as? String } == ["2024-01-01T00:03:00Z", "2024-01-01T00:04:00Z", "2024-01-01T00:05:00Z"])
    #expect(out.map { $0["end"] as? String } == ["2024-01-01T00:06:00Z", "2024-01-01T00:07:00Z", "2024-01-01T00:08:00Z"])
  }

  @Test func epochNumbersAndMillisecondsAreTimes() throws {
    let h = try WindowHarness(["--every", "10s", "-a", "count", "--time-field", "ts"])
    try h.feed([#"{"ts":1704067205}"#, #"{"ts":1704067209999}"#, #"{"ts":"2024-01-01T00:00:10Z"}"#, #"{"ts":true}"#])
    let out = try h.finish()
    #expect(out.map { $0["count"] as? Int } == [2, 1])
    #expect(h.rejected == ["invalid time in field 'ts'"])
  }

  @Test func nestedTimeAndKeyFields() throws {
    let h = try WindowHarness(["--every", "1m", "--time-field", "meta.ts", "--by", "req.path", "-a", "count",
                               "--where", "req.method in [\"GET\", \"HEAD\"]"])
    try h.feed([
      #"{"meta":{"ts":"2024-01-01T00:00:01Z"},"req":{"path":"/a","method":"GET"}}"#,
      #"{"meta":{"ts":"2024-01-01T00:00:02Z"},"req":{"path":"/a","method":"HEAD"}}"#,
      #"{"meta":{"ts":"2024-01-01T00:00:03Z"},"req":{"path":"/a","method":"POST"}}"#,
      #"{"meta":{"ts":"2024-01-01T00:00:04Z"},"req":{"method":"GET"}}"#,
    ])
    let out = try h.finish()
    #expect(out.count == 2)
    #expect(out.first?["req.path"] as? String == "/a")
    #expect(out.first?["count"] as? Int == 2)
    #expect(out.last?["req.path"] is NSNull)
  }

  @Test func globalWindowSpansAllEvents() throws {
    let h = try WindowHarness(["--window", "all", "--by", "path", "-a", "count", "-a", "rate"])
    try h.feed([
      record("2024-01-01T00:00:00Z", ["path": "/a"]), record("2024-01-01T00:00:10Z", ["path": "/b"]),
      record("2023-12-31T00:00:00Z", ["path": "/a"]),
    ])
    let out = try h.finish()
    #expect(out.count == 2)
    #expect(out[0]["start"] as? String == "2023-12-31T00:00:00Z")
    #expect(out[0]["end"] as? String == "2024-01-01T00:00:10Z")
    #expect(out[0]["count"] as? Int == 2)
    #expect(h.engine.lateEvents == 0)
  }

  @Test func windowsCloseAsTheWatermarkPassesAndAreFreed() throws {
    let h = try WindowHarness(["--every", "1m", "--by", "path", "-a", "count"])
    for minute in 0..<50 {
      try h.feed((0..<20).map { i in record("2024-01-01T00:\(minute < 10 ? "0" : "")\(minute):\(i + 10)Z", ["path": "/p\(i)"]) })
      #expect(h.engine.openWindowCount == 1)
    }
    #expect(h.take().count == 49 * 20)
    #expect(try h.finish().count == 20)
  }
}
