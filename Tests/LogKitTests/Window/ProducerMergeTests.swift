/*
 The live merge (--merge --producers N): windows close on the minimum of the
 producers' watermarks, so skewed and lagging producers lose nothing;
 redelivered partial records are dropped; an idle producer stops holding
 the others back; restarts and the format's versions.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct ProducerMergeTests {
  static let args = [
    "--every", "1m", "--by", "path", "-a", "count", "-a", "errors=count_if(status>=500)", "-a", "sum(bytes)",
    "-a", "min(rt)", "-a", "max(bytes)", "-a", "distinct(client)", "-a", "p95(bytes)", "-a", "top(3, client)",
  ]

  /// Producer k's share of the records (keyed by client, as a Kafka key would),
  /// its event times shifted back by `skew` seconds per producer (clocks that lag).
  static func shards(_ n: Int, producers: Int, skew: Int) -> [[String]] {
    var shards = [[String]](repeating: [], count: producers)
    var rng = TestRNG(seed: 5)
    for i in 0..<n {
      let client = Int(rng.next() % 200)
      let k = client % producers
      let t = 1_704_067_200 + i - k * skew
      let status = rng.next() % 10 == 0 ? 503 : 200
      let line = #"{"time":\#(t),"path":"/p\#(rng.next() % 6)","status":\#(status),"bytes":\#(rng.next() % 9000),"client":"10.0.0.\#(client)","rt":\#(Double(rng.next() % 5000) / 1000)}"#
      shards[k].append(line)
    }
    return shards
  }

  /// The partial records a producer writes for its shard.
  static func partials(_ lines: [String], producer: String, run: Int64 = 1) throws -> [String] {
    let h = try WindowHarness(args + ["--partial"], producer: producer, run: run)
    try h.feed(lines)
    try h.engine.finish()
    return h.takeText().split(separator: "\n").map(String.init)
  }

  static func single(_ lines: [String]) throws -> [String] {
    let h = try WindowHarness(args + ["--lateness", "end"])
    try h.feed(lines)
    try h.engine.finish()
    return h.takeText().split(separator: "\n").map(String.init).sorted()
  }

  /// A merger; `clock` (kept alive by the caller) drives idleness, else the system clock.
  static func merger(producers: Int?, idle: Int64? = nil, clock: ManualClock? = nil, sink: OutputSink) throws -> PartialMerger {
    var argv = ["--merge"]
    if let producers { argv += ["--producers", "\(producers)"] }
    var config = try LogWindowSettings(ArgumentParser.parse(argv, spec: LogWindowCommand.spec)).config
    config.idle = idle
    return PartialMerger(config: config, partial: false, sink: sink, lateSink: nil, expectedProducers: producers, clock: clock?.clock ?? .system)
  }

  static func feed(_ merger: PartialMerger, _ lines: [String]) throws -> [String] {
    try lines.compactMap { line in
      var text = line
      return try text.withUTF8 { try merger.add(UnsafeRawBufferPointer($0)) }
    }
  }

  @Test func skewedLaggingRedeliveredProducersMergeToOnePass() throws {
    let shards = Self.shards(6000, producers: 3, skew: 40)
    let streams = try shards.enumerated().map { try Self.partials($0.element, producer: "p\($0.offset)") }
    // Interleave at random; p2 lags (starts when 40% of the others went by);
    // a slice of p0 is delivered again later (a consumer restarted before committing).
    var rng = TestRNG(seed: 9)
    var next = [0, 0, 0]
    var delivered: [String] = []
    var redelivered = 0
    while next.enumerated().contains(where: { $0.element < streams[$0.offset].count }) {
      let k = Int(rng.next() % 3)
      if k == 2 && next[0] + next[1] < (streams[0].count + streams[1].count) * 2 / 5 { continue }
      guard next[k] < streams[k].count else { continue }
      let take = min(1 + Int(rng.next() % 20), streams[k].count - next[k])
      delivered += streams[k][next[k]..<(next[k] + take)]
      next[k] += take
      if k == 0 && redelivered == 0 && next[0] > 200 {
        delivered += streams[0][(next[0] - 150)..<next[0]]
        redelivered = 150
      }
    }
    let sink = OutputSink(fd: -1)
    let merger = try Self.merger(producers: 3, sink: sink)
    let half = delivered.count / 2
    #expect(try Self.feed(merger, Array(delivered[..<half])).isEmpty)
    let beforeEnd = sink.takeString()
    #expect(!beforeEnd.isEmpty, "a live merge writes windows before its input ends")
    #expect(try Self.feed(merger, Array(delivered[half...])).isEmpty)
    try merger.engine?.finish()
    let merged = (beforeEnd + sink.takeString()).split(separator: "\n").map(String.init).sorted()
    #expect(merger.producers.duplicates == redelivered)
    #expect(merger.engine?.lateEvents == 0)
    let expected = try Self.single(shards.flatMap { $0 })
    #expect(merged.count == expected.count)
    #expect(merged == expected)
  }

  @Test func withoutProducersCountAWindowClosesTooEarly() throws {
    // The control: closing by the largest window end seen loses the lagging producer's partials.
    let shards = Self.shards(3000, producers: 2, skew: 0)
    let a = try Self.partials(shards[0], producer: "a"), b = try Self.partials(shards[1], producer: "b")
    var config = WindowConfig(kind: .global)
    config.idle = nil
    let merger = PartialMerger(config: config, partial: false, sink: OutputSink(fd: -1), lateSink: nil)
    _ = try Self.feed(merger, a + b)
    #expect((merger.engine?.lateEvents ?? 0) > 0)
  }

  @Test func anIdleProducerStopsHoldingTheOthersBack() throws {
    let shards = Self.shards(3000, producers: 3, skew: 0)
    let streams = try shards.enumerated().map { try Self.partials($0.element, producer: "p\($0.offset)") }
    let clock = ManualClock()
    let sink = OutputSink(fd: -1)
    let merger = try Self.merger(producers: 3, idle: 1_000_000, clock: clock, sink: sink)
    // p2 sends its first few records and then stalls (no end heartbeat).
    #expect(try Self.feed(merger, Array(streams[2].prefix(5)) + streams[0] + streams[1]).isEmpty)
    try merger.idleTick()
    let whileLive = sink.takeString()
    clock.now += 2_000_000
    try merger.idleTick()
    let afterIdle = sink.takeString()
    #expect(whileLive.split(separator: "\n").count < afterIdle.split(separator: "\n").count)
    #expect(!afterIdle.isEmpty)
    // Back from the stall: what it sends for windows already written is late, and counted.
    _ = try Self.feed(merger, Array(streams[2].dropFirst(5)))
    #expect((merger.engine?.lateEvents ?? 0) > 0)
  }

  @Test func windowsWaitForTheExpectedProducersAtMostIdle() throws {
    let shards = Self.shards(2000, producers: 2, skew: 0)
    let clock = ManualClock()
    let sink = OutputSink(fd: -1)
    let merger = try Self.merger(producers: 3, idle: 1_000_000, clock: clock, sink: sink)
    _ = try Self.feed(merger, try Self.partials(shards[0], producer: "a") + (try Self.partials(shards[1], producer: "b")))
    try merger.idleTick()
    #expect(sink.takeString().isEmpty, "two of three producers: nothing closes yet")
    clock.now += 1_500_000
    try merger.idleTick()
    #expect(!sink.takeString().isEmpty, "after --idle the merge goes on with the producers it has")
  }

  @Test func aRestartedProducerReplacesItsEarlierRun() throws {
    let shards = Self.shards(1000, producers: 1, skew: 0)
    let old = try Self.partials(shards[0], producer: "w", run: 1)
    let new = try Self.partials(shards[0], producer: "w", run: 2)
    let sink = OutputSink(fd: -1)
    let merger = try Self.merger(producers: nil, sink: sink)
    _ = try Self.feed(merger, Array(new.prefix(10)) + old.prefix(10))
    #expect(merger.producers.staleRuns == 10)
    #expect(merger.producers.duplicates == 0)
  }

  @Test func versionsAndProducerFields() throws {
    let merger = try Self.merger(producers: nil, sink: OutputSink(fd: -1))
    let reasons = try Self.feed(merger, [
      #"{"_partial":{"v":3}}"#,
      #"{"_partial":{"v":2,"window":{"kind":"all"}}}"#,
      #"{"_partial":{"v":2,"producer":"a","run":1,"seq":0,"watermark":"end"}}"#,
      #"{"_partial":{"v":2,"producer":"a","run":1,"seq":1,"watermark":"yesterday"}}"#,
      #"{"_partial":{"v":2,"producer":"a","run":1,"seq":1,"watermark":"2024-01-01T00:05:00Z"}}"#,
    ])
    #expect(reasons.count == 4)
    #expect(reasons[0].contains("unknown version 3") && reasons[0].contains("versions 1 and 2"))
    #expect(reasons[1].contains("without its producer fields"))
    #expect(reasons[2].contains("invalid producer fields"))
    #expect(reasons[3].contains("invalid producer fields"))
    #expect(merger.producers.producerCount == 1)
  }

  @Test func heartbeatsCarryTheWatermarkAfterTheWindowsTheyClose() throws {
    let h = try WindowHarness(["--every", "1m", "--partial", "-a", "count"], producer: "solo")
    try h.feed([#"{"time":"2024-01-01T00:00:10Z"}"#, #"{"time":"2024-01-01T00:01:10Z"}"#])
    try h.engine.finish()
    let lines = h.take().compactMap { $0["_partial"] as? [String: Any] }
    #expect(lines.map { $0["seq"] as? Int } == [1, 2, 3, 4])
    #expect(lines.map { $0["window"] != nil } == [true, false, true, false])
    #expect(lines.map { $0["watermark"] as? String } == ["2024-01-01T00:00:10Z", "2024-01-01T00:01:10Z", "2024-01-01T00:01:10Z", "end"])
  }

  @Test func sequenceSetsDropRepeatsAndStayBounded() {
    var seen = SequenceSet(first: 10)
    #expect(!seen.insert(10) && !seen.insert(3))
    #expect(seen.insert(12) && seen.insert(11) && !seen.insert(12))
    #expect(seen.contiguous == 12)
    for k in 0...(SequenceSet.maxAbove + 1) { _ = seen.insert(Int64(20 + k)) }
    #expect(seen.contiguous > 12, "a gap that never fills is given up on")
  }
}
