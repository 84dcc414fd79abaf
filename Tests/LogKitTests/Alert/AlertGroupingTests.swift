// --group-by on event time: group_wait batches a new group's first events,
// group_interval spaces later batches (ticks after the last one), pending
// batches flush at end of input and on a pause, per-rule specs and timings,
// groups ending when nothing fires, spec errors with column and did-you-mean.
import Testing
@testable import LogKit

@Suite struct AlertGroupingTests {
  static let hot = "hot: count > 10 by path"
  static func hot(_ path: String, _ count: Int) -> String { #""path":"\#(path)","count":\#(count)"# }

  @Test func groupWaitBatchesTheFirstEventsOfANewGroup() throws {
    let h = try DispatchHarness([Self.hot], groupBy: ["alert"], wait: 2 * 60_000_000)
    try h.window(1, Self.hot("/a", 20))
    try h.window(2, Self.hot("/b", 20))
    try h.window(3, Self.hot("/c", 20))
    #expect(h.groups.isEmpty, "due at 03: sent once the clock passes 03")
    try h.window(4, Self.hot("/x", 1))
    // Every event up to the due time (03) is in the batch; events are still written one by one.
    #expect(h.groups == [#"03 [alert="hot"] firing=3: 01 hot firing /a, 02 hot firing /b, 03 hot firing /c"#])
    #expect(h.written == ["01 hot firing /a", "02 hot firing /b", "03 hot firing /c"])
    #expect(h.notified.isEmpty)
  }

  /// One record per path at minute `m`.
  static func minute(_ h: DispatchHarness, _ m: Int, _ counts: [(String, Int)]) throws {
    for (path, count) in counts { try h.window(m, hot(path, count)) }
  }

  @Test func groupIntervalSpacesLaterBatches() throws {
    let h = try DispatchHarness([Self.hot], groupBy: ["alert"], wait: 0, interval: 3 * 60_000_000)
    try Self.minute(h, 1, [("/a", 20), ("/b", 1), ("/c", 1)])
    try Self.minute(h, 2, [("/a", 20), ("/b", 20), ("/c", 1)])
    try Self.minute(h, 3, [("/a", 20), ("/b", 20), ("/c", 20)])
    for m in 4...11 { try Self.minute(h, m, [("/a", 20), ("/b", 1), ("/c", 20)]) }
    // Nothing new after 04: no batch at the 07 and 10 ticks; /d at 12 waits for the 13 tick.
    for m in 12...14 { try Self.minute(h, m, [("/a", 20), ("/b", 1), ("/c", 20), ("/d", 20)]) }
    #expect(h.groups == [
      #"01 [alert="hot"] firing=1: 01 hot firing /a"#,
      #"04 [alert="hot"] firing=2: 02 hot firing /b, 03 hot firing /c, 04 hot resolved /b"#,
      #"13 [alert="hot"] firing=3: 12 hot firing /d"#,
    ])
  }

  @Test func nextTickIsTheFirstIntervalTickNotBeforeTheEvent() {
    #expect(AlertGrouper.nextTick(after: 100, interval: 30, atLeast: 110) == 130)
    #expect(AlertGrouper.nextTick(after: 100, interval: 30, atLeast: 130) == 130)
    #expect(AlertGrouper.nextTick(after: 100, interval: 30, atLeast: 131) == 160)
    #expect(AlertGrouper.nextTick(after: 100, interval: 0, atLeast: 131) == 131)
    #expect(AlertGrouper.nextTick(after: 100, interval: Int64.max, atLeast: 131) == Int64.max)
  }

  @Test func pendingBatchesFlushAtEndOfInputAndOnAPause() throws {
    let h = try DispatchHarness([Self.hot], groupBy: ["alert"], wait: 10 * 60_000_000)
    try h.window(1, Self.hot("/a", 20))
    try h.window(2, Self.hot("/b", 20))
    try h.finish()
    // Due at 11, flushed at the clock's time when input ends.
    #expect(h.groups == [#"02 [alert="hot"] firing=2: 01 hot firing /a, 02 hot firing /b"#])

    let p = try DispatchHarness([Self.hot], groupBy: ["alert"], wait: 60_000_000)
    try p.window(1, Self.hot("/a", 20))
    try p.quiet()
    #expect(p.groups.isEmpty, "due at 02, the clock is at 01")
    try p.window(2, Self.hot("/b", 20))
    try p.quiet()
    #expect(p.groups == [#"02 [alert="hot"] firing=2: 01 hot firing /a, 02 hot firing /b"#])
  }

  @Test func groupFieldsSplitGroupsAndAGroupEndsWhenNothingFires() throws {
    let h = try DispatchHarness(["hot: count > 10 by path, host"], groupBy: ["host"], wait: 60_000_000, interval: 60_000_000)
    try h.window(1, #""path":"/a","host":"web1","count":20"#)
    try h.window(1, #""path":"/b","host":"web2","count":20"#)
    try h.window(2, #""path":"/a","host":"web1","count":1"#)
    try h.window(3, #""path":"/a","host":"web1","count":1"#)
    for m in 6...8 { try h.window(m, #""path":"/a","host":"web1","count":20"#) }
    #expect(h.groups == [
      #"02 [host="web1"] firing=0: 01 hot firing /a web1, 02 hot resolved /a web1"#,
      #"02 [host="web2"] firing=1: 01 hot firing /b web2"#,
      // /b went stale at 06: a batch at the group_interval tick.
      #"06 [host="web2"] firing=0: 06 hot resolved /b web2"#,
      // The web1 group ended at 02 (nothing firing): the 06 firing opened a new one, group_wait again.
      #"07 [host="web1"] firing=1: 06 hot firing /a web1"#,
    ])
  }

  @Test func perRuleSpecsHaveTheirOwnTimingsAndOtherRulesNotifyPerEvent() throws {
    let h = try DispatchHarness(
      [Self.hot, "busy: count > 15 by path", "calm: count < 5 by path"],
      groupBy: ["hot: ... wait 0s", "busy: alert"], wait: 2 * 60_000_000)
    try h.window(1, Self.hot("/a", 20))
    try h.window(1, Self.hot("/b", 3))
    try h.window(2, Self.hot("/a", 20))
    try h.window(4, Self.hot("/a", 20))
    #expect(h.notified == ["01 calm firing /b"])
    #expect(h.groups == [
      #"01 [alert="hot",path="/a"] firing=1: 01 hot firing /a"#,
      #"03 [alert="busy"] firing=1: 01 busy firing /a"#,
    ])
  }

  @Test func specErrorsGiveTheColumnAndTheClosestName() throws {
    let rules = try ["high_5xx: errors > 5 by path", "outage: errors > 100"].map { try AlertRuleParser.parse($0) }
    func message(_ text: String) -> String {
      do { _ = try GroupSpec.parse(text, rules: rules); return "ok" } catch { return error.description }
    }
    #expect(message("high_5x: alert") == "column 1: no rule named 'high_5x' (did you mean 'high_5xx'?)")
    #expect(message("high_5xx: pth") == "column 11: 'pth' is not a key field of rule 'high_5xx' (by path); did you mean 'path'?")
    #expect(message("alert wait soon") == "column 12: expected a duration (30s, 5m) after 'wait'")
    #expect(message("alert, ...") == "column 8: '...' stands alone: it already groups by every key field")
    #expect(message("high_5xx:") == "column 10: expected group fields: 'alert', key fields or '...'")
    // outage's key is the record's string fields: any field may be one of them.
    #expect(message("pth") == "ok")
    let spec = try GroupSpec.parse("high_5xx, outage: alert,path interval 10m", rules: rules)
    #expect(spec == GroupSpec(rules: ["high_5xx", "outage"], fields: ["alert", "path"], wait: nil, interval: 600_000_000))
  }
}
