/*
 Session windows: gap splitting, bridging events merging sessions, keys
 kept apart, and the max-groups overflow group.
*/
import Testing
@testable import LogKit

@Suite struct SessionTests {
  @Test func gapSplitsSessionsPerKey() throws {
    let h = try WindowHarness(["--session", "30m", "--by", "user", "-a", "count", "-a", "first(page)", "-a", "last(page)"])
    try h.feed([
      record("2024-01-01T10:00:00Z", ["user": "ann", "page": "/home"]),
      record("2024-01-01T10:10:00Z", ["user": "bob", "page": "/home"]),
      record("2024-01-01T10:20:00Z", ["user": "ann", "page": "/cart"]),
      record("2024-01-01T10:49:59Z", ["user": "ann", "page": "/buy"]),  // 29:59 after the last: same session
      record("2024-01-01T11:19:59Z", ["user": "ann", "page": "/home"]),  // exactly 30m: a new session
    ])
    let out = try h.finish()
    let ann = out.filter { $0["user"] as? String == "ann" }
    #expect(ann.map { $0["count"] as? Int } == [3, 1])
    #expect(ann.first?["start"] as? String == "2024-01-01T10:00:00Z")
    #expect(ann.first?["end"] as? String == "2024-01-01T11:19:59Z")
    #expect(ann.first?["first_page"] as? String == "/home")
    #expect(ann.first?["last_page"] as? String == "/buy")
    let bob = out.filter { $0["user"] as? String == "bob" }
    #expect(bob.map { $0["end"] as? String } == ["2024-01-01T10:40:00Z"])
    // Emitted in order of end: bob's session ended first.
    #expect(out.first?["user"] as? String == "bob")
  }

  @Test func lateBridgingEventMergesTwoSessions() throws {
    let h = try WindowHarness(["--session", "10m", "--lateness", "1h", "--by", "user", "-a", "count"])
    try h.feed([
      record("2024-01-01T10:00:00Z", ["user": "ann"]),
      record("2024-01-01T10:15:00Z", ["user": "ann"]),  // 15m gap: second session
      record("2024-01-01T10:08:00Z", ["user": "ann"]),  // bridges both (within lateness)
    ])
    let out = try h.finish()
    #expect(out.count == 1)
    #expect(out.first?["count"] as? Int == 3)
    #expect(out.first?["start"] as? String == "2024-01-01T10:00:00Z")
    #expect(out.first?["end"] as? String == "2024-01-01T10:25:00Z")
  }

  @Test func sessionsCloseWithTheWatermarkAndFreeTheirRows() throws {
    let h = try WindowHarness(["--session", "1m", "--by", "user", "-a", "count"])
    for i in 0..<100 {
      let minute = i / 10 * 2
      try h.feed([record("2024-01-01T10:\(minute < 10 ? "0" : "")\(minute):0\(i % 10)Z", ["user": "u\(i % 10)"])])
    }
    #expect(h.engine.openWindowCount == 10)
    #expect(h.take().count == 90)
    #expect(h.engine.sessions?.table.columns.rows ?? 0 <= 20)  // rows are reused
    #expect(try h.finish().count == 10)
  }

  @Test func overflowGroupsFoldIntoOther() throws {
    let h = try WindowHarness(["--every", "1m", "--by", "path,status", "--max-groups", "2", "-a", "count"])
    try h.feed([
      record("2024-01-01T00:00:01Z", ["path": "/a", "status": 200]),
      record("2024-01-01T00:00:02Z", ["path": "/b", "status": 200]),
      record("2024-01-01T00:00:03Z", ["path": "/c", "status": 200]),
      record("2024-01-01T00:00:04Z", ["path": "/d", "status": 500]),
      record("2024-01-01T00:00:05Z", ["path": "/a", "status": 200]),
    ])
    let out = try h.finish()
    #expect(out.count == 3)
    let other = out.first { $0["path"] as? String == "_other" }
    #expect(other?["status"] as? String == "_other")
    #expect(other?["count"] as? Int == 2)
    #expect(out.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 5)
  }

  @Test func expressionKeysAndWhereFilter() throws {
    let h = try WindowHarness(["--every", "1h", "--by", "class=int(status/100)", "--where", "method == \"GET\"", "-a", "n=count"])
    try h.feed([
      record("2024-01-01T00:00:01Z", ["status": 200, "method": "GET"]),
      record("2024-01-01T00:00:02Z", ["status": 503, "method": "GET"]),
      record("2024-01-01T00:00:03Z", ["status": 204, "method": "GET"]),
      record("2024-01-01T00:00:04Z", ["status": 200, "method": "POST"]),
    ])
    let out = try h.finish()
    #expect(out.map { $0["class"] as? Int } == [2, 5])
    #expect(out.map { $0["n"] as? Int } == [2, 1])
  }
}
