// The engine on window records: default keys, one instance per key, stale
// resolution on event time, absent(), --all, --pending, max-keys eviction,
// summaries and the never-seen-field warning.
import Testing
@testable import LogKit

/// Feeds records to an engine and collects its events.
final class EngineHarness {
  let engine: AlertEngine
  init(_ rules: [String], configure: (inout AlertEngineConfig) -> Void = { _ in }) throws {
    var config = AlertEngineConfig(rules: try rules.map { try AlertRuleParser.parse($0) })
    configure(&config)
    let box = Box()
    engine = try AlertEngine(config: config) { box.events.append($0) }
    self.box = box
  }

  final class Box { var events: [AlertEvent] = [] }
  private let box: Box

  /// A one-minute window record ending at minute `m` with the given members.
  func window(_ m: Int, _ members: String) throws {
    let start = formatRFC3339(Int64(m - 1) * 60_000_000), end = formatRFC3339(Int64(m) * 60_000_000)
    let line = Array(#"{"start":"\#(start)","end":"\#(end)",\#(members)}"#.utf8)
    try line.withUnsafeBytes { buffer in
      try engine.reader.read(buffer)
      try engine.process()
    }
  }

  func finish() throws -> [AlertEvent] {
    try engine.finish()
    return box.events
  }

  var states: [String] { box.events.map { "\(formatRFC3339($0.time).dropFirst(14).prefix(5)) \($0.state)\($0.key.map { " \($0.0)=\(SummaryTemplate.format($0.1, spec: ""))" }.joined())" } }
}

@Suite struct AlertEngineTests {
  @Test func oneInstancePerDefaultKey() throws {
    let h = try EngineHarness(["hot: count > 10"])
    try h.window(1, #""path":"/a","status":500,"count":20"#)
    try h.window(1, #""path":"/b","status":500,"count":5"#)
    try h.window(2, #""path":"/a","status":500,"count":30"#)
    try h.window(2, #""path":"/b","status":500,"count":50"#)
    try h.window(3, #""path":"/a","status":500,"count":1"#)
    try h.window(3, #""path":"/b","status":500,"count":1"#)
    _ = try h.finish()
    // The key is the string field (path); the numeric status is not part of it.
    #expect(h.states == ["01:00 firing path=/a", "02:00 firing path=/b", "03:00 resolved path=/a", "03:00 resolved path=/b"])
  }

  @Test func explicitByKeysAndSummary() throws {
    let h = try EngineHarness([#"e: errors / count > 0.1 by path, status summary "{path} {status}: {value:%} of {count}""#])
    try h.window(1, #""path":"/a","status":500,"count":100,"errors":20"#)
    try h.window(1, #""path":"/a","status":502,"count":100,"errors":1"#)
    let events = try h.finish()
    #expect(events.count == 1)
    #expect(events.first?.summary == "/a 500: 20.0% of 100")
    #expect(events.first?.key.map(\.0) == ["path", "status"])
    #expect(events.first?.value == .number(0.2))
  }

  @Test func staleFiringKeyResolvesWithNullValue() throws {
    let h = try EngineHarness(["hot: count > 10 by path"])
    try h.window(1, #""path":"/a","count":20"#)
    for m in 2...6 { try h.window(m, #""path":"/other","count":1"#) }
    let events = try h.finish()
    // Window length 1m: stale after 3m of event time without a record.
    #expect(h.states == ["01:00 firing path=/a", "04:00 resolved path=/a"])
    #expect(events.last?.isStale == true)
    #expect(events.last?.value == .null)
  }

  @Test func forAndPendingEvents() throws {
    let h = try EngineHarness(["hot: count > 10 for 2m"]) { $0.emitPending = true }
    for m in 1...5 { try h.window(m, #""count":\#(m < 5 ? 20 : 0)"#) }
    _ = try h.finish()
    #expect(h.states == ["01:00 pending", "03:00 firing", "05:00 resolved"])
    #expect(h.engine.evaluations == 5)
  }

  @Test func allWritesEveryEvaluation() throws {
    let h = try EngineHarness(["hot: count > 10"]) { $0.emitAll = true }
    for (m, c) in [(1, 1), (2, 20), (3, 20), (4, 1)] { try h.window(m, #""count":\#(c)"#) }
    _ = try h.finish()
    #expect(h.states == ["01:00 inactive", "02:00 firing", "03:00 firing", "04:00 resolved"])
  }

  @Test func absentFiresForASilentKeyAndResolvesWhenItReturns() throws {
    let h = try EngineHarness(["gone: absent(3m) by path"])
    for m in 1...10 {
      try h.window(m, #""path":"/always","count":5"#)
      if m <= 2 || m >= 9 { try h.window(m, #""path":"/sometimes","count":5"#) }
    }
    let events = try h.finish()
    #expect(h.states == ["05:00 firing path=/sometimes", "09:00 resolved path=/sometimes"])
    #expect(events.first?.summary.contains("no record for 180s") == true)
  }

  @Test func maxKeysEvictsInactiveKeysButNeverFiringOnes() throws {
    let h = try EngineHarness(["hot: count > 10 by path"]) { $0.maxKeys = 2 }
    try h.window(1, #""path":"/firing","count":20"#)
    try h.window(1, #""path":"/quiet","count":1"#)
    try h.window(1, #""path":"/new","count":1"#)  // evicts /quiet
    try h.window(2, #""path":"/firing","count":20"#)
    try h.window(2, #""path":"/again","count":30"#)  // /new is inactive: evicted
    let counts = h.engine.keyCounts
    #expect(counts.tracked == 2 && counts.evicted == 2 && counts.dropped == 0)
    try h.window(3, #""path":"/third","count":30"#)  // both tracked are firing: dropped
    #expect(h.engine.keyCounts.dropped == 1)
  }

  @Test func detectorEventsSayWhy() throws {
    let h = try EngineHarness(["spike: anomaly(count) >= 0.5"])
    for m in 1...20 { try h.window(m, #""count":\#(m == 20 ? 5000 : 1000 + (m % 3) * 10)"#) }
    let events = try h.finish()
    #expect(events.count == 1)
    let detector = try #require(events.first?.detectors.first)
    #expect(detector.output.observed == 5000)
    #expect(detector.output.expected == 1010)
    #expect((detector.output.score ?? 0) >= 0.5)
    #expect(events.first?.summary.hasPrefix("spike: 5000 is above the expected 1010 (normal ") == true)
  }

  @Test func warnsAboutFieldsNeverSeen() throws {
    let h = try EngineHarness(["a: cuont > 5", "b: count > 5"])
    try h.window(1, #""count":1"#)
    _ = try h.finish()
    let missing = h.engine.neverSeenFields
    #expect(missing.count == 1)
    #expect(missing.first?.rule == "a" && missing.first?.field == "cuont" && missing.first?.suggestion == "count")
  }

  @Test func replayGivesTheSameEvents() throws {
    func run() throws -> [String] {
      let h = try EngineHarness(["z: zscore(count) > 3 keep 1m"])
      for m in 1...60 { try h.window(m, #""count":\#(m % 17 == 0 ? 1000 : 100 + m % 5)"#) }
      _ = try h.finish()
      return h.states
    }
    let first = try run()
    #expect(!first.isEmpty)
    #expect(try run() == first)
  }
}
