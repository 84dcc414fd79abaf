/*
 --partial / --merge in-process: shards merged equal one pass, for every
 window kind and aggregate; partial states survive the JSON round trip.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct MergeTests {
  static let aggregates = [
    "-a", "count", "-a", "errors=count_if(status>=500)", "-a", "sum(bytes)", "-a", "avg(rt)", "-a", "min(rt)",
    "-a", "max(bytes)", "-a", "rate", "-a", "distinct(client)", "-a", "p95(bytes)", "-a", "quantile(0.5, rt)",
    "-a", "top(3, path)", "-a", "first(client)", "-a", "last(path)",
  ]

  /// Deterministic access-like records over about 20 minutes.
  static func records(_ n: Int) -> [String] {
    var rng = TestRNG(seed: 77)
    let base = 1_704_067_200
    return (0..<n).map { i in
      let t = base + i * 3 + Int(rng.next() % 5)
      let path = "/p\(rng.next() % 7)"
      let status = rng.next() % 10 == 0 ? 503 : 200
      let client = "10.0.0.\(rng.next() % 300)"
      let rt = Double(rng.next() % 100_000) / 1000
      return #"{"time":\#(t),"path":"\#(path)","status":\#(status),"bytes":\#(rng.next() % 50_000),"client":"\#(client)","rt":\#(rt)}"#
    }
  }

  func single(_ args: [String], _ lines: [String]) throws -> String {
    let h = try WindowHarness(args)
    try h.feed(lines)
    try h.engine.finish()
    return h.takeText()
  }

  func merged(_ args: [String], _ lines: [String], shards: Int = 4) throws -> String {
    var partials: [String] = []
    for s in 0..<shards {
      let h = try WindowHarness(args + ["--partial"])
      try h.feed(lines.enumerated().filter { $0.offset % shards == s }.map(\.element))
      try h.engine.finish()
      partials += h.takeText().split(separator: "\n").map(String.init)
    }
    let settings = try LogWindowSettings(ArgumentParser.parse(["--merge"], spec: LogWindowCommand.spec))
    let sink = OutputSink(fd: -1)
    let merger = PartialMerger(config: settings.config, partial: settings.partial, sink: sink, lateSink: nil)
    for line in partials {
      var text = line
      let reason = try text.withUTF8 { try merger.add(UnsafeRawBufferPointer($0)) }
      #expect(reason == nil)
    }
    try merger.engine?.finish()
    return sink.takeString()
  }

  @Test(arguments: [
    ["--every", "1m", "--by", "path"], ["--window", "5m", "--every", "1m"], ["--window", "all", "--by", "status"],
    ["--session", "7s", "--by", "client"],
  ])
  func shardsMergedEqualOnePass(window: [String]) throws {
    let lines = Self.records(3000)
    let one = try single(window + Self.aggregates, lines)
    let four = try merged(window + Self.aggregates, lines)
    #expect(!one.isEmpty)
    #expect(one.split(separator: "\n").count == four.split(separator: "\n").count)
    #expect(one == four)
  }

  @Test func twoShardsOfSketchesEqualOnePass() throws {
    let lines = Self.records(500)
    let args = ["--every", "2m", "-a", "count", "-a", "distinct(client)", "-a", "p99(bytes)"]
    #expect(try merged(args, lines, shards: 2) == (try single(args, lines)))
  }

  @Test func earlyPartialsAreNotCountedTwice() throws {
    let h = try WindowHarness(["--every", "1m", "--emit", "early=1s", "--partial", "-a", "count"])
    try h.feed([record("2024-01-01T00:00:01Z"), record("2024-01-01T00:00:02Z")])
    h.manualClock.now += 2_000_000
    try h.engine.idleTick()  // an early partial snapshot
    try h.feed([record("2024-01-01T00:00:03Z")])
    try h.engine.finish()
    let partials = h.takeText().split(separator: "\n").map(String.init)
    #expect(partials.count == 2)
    let settings = try LogWindowSettings(ArgumentParser.parse(["--merge"], spec: LogWindowCommand.spec))
    let sink = OutputSink(fd: -1)
    let merger = PartialMerger(config: settings.config, partial: settings.partial, sink: sink, lateSink: nil)
    for line in partials {
      var text = line
      _ = try text.withUTF8 { try merger.add(UnsafeRawBufferPointer($0)) }
    }
    try merger.engine?.finish()
    #expect(merger.skippedEarly == 1)
    #expect(sink.takeString().contains(#""count":3"#))
  }

  @Test func rejectsRecordsThatAreNotPartial() throws {
    let settings = try LogWindowSettings(ArgumentParser.parse(["--merge"], spec: LogWindowCommand.spec))
    let merger = PartialMerger(config: settings.config, partial: settings.partial, sink: OutputSink(fd: -1), lateSink: nil)
    var text = #"{"start":"2024-01-01T00:00:00Z","end":"2024-01-01T00:01:00Z","count":3}"#
    let reason = try text.withUTF8 { try merger.add(UnsafeRawBufferPointer($0)) }
    #expect(reason?.contains("not a partial record") == true)
  }
}

@Suite struct AggregateSpecTests {
  @Test func derivedNames() throws {
    let cases: [(String, String)] = [
      ("count", "count"), ("count_if(status >= 500)", "count_if"), ("p95(request_time)", "p95_request_time"),
      ("distinct(client)", "distinct_client"), ("top(10, path)", "top_path"), ("sum(bytes)", "sum_bytes"),
      ("avg(request_time)", "avg_request_time"), ("quantile(0.999, rt)", "p99.9_rt"), ("rate", "rate"),
      ("errors=count_if(status>=500)", "errors"), ("first(a.b)", "first_a_b"),
    ]
    for (text, name) in cases {
      #expect(try AggregateSpec.parse(text).name == name, "\(text)")
    }
  }

  @Test func badSpecsAreUsageErrors() {
    for text in ["cnt", "sum()", "quantile(2, x)", "top(0, x)", "sum(bytes", "p95(a, b)"] {
      #expect(throws: WindowSetupError.self, "\(text)") { try AggregateSpec.parse(text) }
    }
    #expect(throws: WindowSetupError.self) { try WindowHarness(["--every", "1m", "-a", "sum(bytes >)"]) }
    #expect(throws: UsageError.self) { try WindowHarness(["--every", "1m", "-a", "count", "-a", "count"]) }
    #expect(throws: UsageError.self) { try WindowHarness(["--session", "1m"]) }
    #expect(throws: UsageError.self) { try WindowHarness(["-a", "count"]) }
  }

  @Test func valuesOfEachAggregate() throws {
    let h = try WindowHarness([
      "--every", "1m", "-a", "sum(x)", "-a", "avg(x)", "-a", "min(x)", "-a", "max(x)", "-a", "rate", "-a", "rate(x)",
      "-a", "top(2, k)", "-a", "distinct(k)", "-a", "p50(x)", "-a", "sum(missing)", "-a", "avg(missing)",
    ])
    try h.feed([
      record("2024-01-01T00:00:01Z", ["x": 0.1, "k": "a"]), record("2024-01-01T00:00:02Z", ["x": 0.2, "k": "b"]),
      record("2024-01-01T00:00:03Z", ["x": "0.3", "k": "a"]), record("2024-01-01T00:00:04Z", ["k": 1]),
    ])
    let r = try #require(try h.finish().first)
    #expect(r["sum_x"] as? Double == 0.6)  // exact decimal sum, not 0.6000000000000001
    #expect(r["avg_x"] as? Double == 0.2)
    #expect(r["min_x"] as? Double == 0.1)
    #expect(r["max_x"] as? Double == 0.3)
    #expect(abs((r["rate"] as? Double ?? 0) - 4.0 / 60) < 1e-12)
    #expect(abs((r["rate_x"] as? Double ?? 0) - 0.01) < 1e-12)
    #expect(r["distinct_k"] as? Int == 3)
    #expect(r["sum_missing"] as? Int == 0)
    #expect(r["avg_missing"] is NSNull)
    let top = r["top_k"] as? [[String: Any]]
    #expect(top?.map { $0["count"] as? Int } == [2, 1])
    #expect(top?.first?["value"] as? String == "a")
    #expect(abs((r["p50_x"] as? Double ?? 0) - 0.2) <= 0.2 * 0.01)
  }
}
