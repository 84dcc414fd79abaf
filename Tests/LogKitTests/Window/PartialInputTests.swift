/*
 Malformed partial records are bad input for `logwindow --merge`, never a
 crash: hand-made cases for each check (counts, times, version, window,
 aggregate codes, sketch payloads), then a seeded mutation pass over real
 `--partial` output (Tests/Fixtures/logwindow/partial-seeds), which also
 holds what the fuzz target `partial` (Tests/Support/Fuzz/) found.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct PartialInputTests {
  static let seedFolder = "logwindow/partial-seeds"

  /// Every line of every seed file, grouped by file (one merger per file: the first line configures it).
  static func seeds() -> [[String]] {
    Fixtures.names(in: seedFolder).map { name in
      String(decoding: Fixtures.bytes(seedFolder, name), as: UTF8.self).split(separator: "\n").map(String.init)
    }
  }

  static func merger(sink: OutputSink = OutputSink(fd: -1)) -> PartialMerger {
    var config = WindowConfig(kind: .global)
    config.closeAtEndOnly = true
    config.idle = nil
    return PartialMerger(config: config, partial: false, sink: sink, lateSink: nil)
  }

  /// Feeds lines; returns each line's rejection reason (nil: accepted).
  static func feed(_ merger: PartialMerger, _ lines: [String]) throws -> [String?] {
    try lines.map { line in
      var text = line
      return try text.withUTF8 { try merger.add(UnsafeRawBufferPointer($0)) }
    }
  }

  /// The first line of the seed with every aggregate (tumbling windows by status).
  static var firstSeed: String {
    String(decoding: Fixtures.bytes(seedFolder, "tumbling-all-aggregates.ndjson"), as: UTF8.self).prefix { $0 != "\n" }.description
  }

  @Test(arguments: [
    (#""state":[73,"#, #""state":[1e300,"#),
    (#""state":[73,"#, #""state":[-1,"#),
    (#""state":[73,"#, #""state":[73.5,"#),
    (#""state":[73,"#, #""state":[99999999999999999999999,"#),
    (#""fn":"count""#, #""fn":"""#),
    (#""fn":"count""#, #""fn":":""#),
    (#""fn":"top:3""#, #""fn":"top:99999999999999""#),
    (#""v":1"#, #""v":2"#),
    (#""v":1,"#, ""),
    (#""size":600000000"#, #""size":1e300"#),
    (#""size":600000000"#, #""size":-600000000"#),
    (#""cap":64"#, #""cap":0"#),
    (#""cap":64"#, #""cap":1e300"#),
    (#""n":73"#, #""n":1e300"#),
    (#""n":73"#, #""n":74"#),
    (#""z":0"#, #""z":-5"#),
    (#""pos":[347,6"#, #""pos":[1e300,6"#),
    (#""pos":[347,6"#, #""pos":[347,1e300"#),
    (#""start":"2015-05-17T10:00:00Z""#, #""start":"2015-05-17T10:20:00Z""#),
    (#""end":"2015-05-17T10:10:00Z""#, #""end":"2015-05-17T10:09:00Z""#),
  ])
  func malformedPartialIsRejected(find: String, replace: String) throws {
    let good = Self.firstSeed
    let found = good.contains(find)
    try #require(found, "seed lacks \(find)")
    let bad = good.replacingOccurrences(of: find, with: replace)
    let reasons = try Self.feed(Self.merger(), [good, bad])
    #expect(reasons[0] == nil)
    let reason = try #require(reasons[1])
    #expect(reason.utf8.count < 300, "\(reason)")
  }

  @Test(arguments: [
    (#""fn":"count""#, #""fn":"""#), (#""by":["status"]"#, #""by":["count"]"#), (#""name":"c4""#, #""name":"count""#),
    (#""by":["status"]"#, #""by":["start"]"#),
  ])
  func malformedFirstRecordIsRejectedToo(find: String, replace: String) throws {
    let bad = Self.firstSeed.replacingOccurrences(of: find, with: replace)
    let merger = Self.merger()
    #expect(try Self.feed(merger, [bad])[0] != nil)
    #expect(merger.engine == nil)
  }

  @Test func rejectedHLLStateIsQuotedShort() throws {
    let good = Self.firstSeed
    let state = try #require(good.range(of: #""s[0-9a-f]{32,}"#, options: .regularExpression))
    var bad = good
    bad.replaceSubrange(state, with: "\"s" + String(repeating: "zz", count: 2000))
    let reason = try #require(try Self.feed(Self.merger(), [good, bad])[1])
    #expect(reason.utf8.count < 200, "\(reason.utf8.count) bytes")
    #expect(reason.hasSuffix("... (4003 bytes)"), "\(reason)")
  }

  /// Dense registers all at the top rank (no real input reaches them) estimate infinity: rejected, not a trap.
  @Test func hllStateOfInfiniteEstimateIsRejected() throws {
    let good = Self.firstSeed
    let state = try #require(good.range(of: #""s[0-9a-f]+""#, options: .regularExpression))
    var bad = good
    bad.replaceSubrange(state, with: "\"d" + String(repeating: "z", count: HyperLogLog.registerCount) + "\"")
    var merged = good
    merged.replaceSubrange(state, with: "\"d" + String(repeating: "y", count: HyperLogLog.registerCount) + "\"")
    let sink = OutputSink(fd: -1)
    let merger = Self.merger(sink: sink)
    let reasons = try Self.feed(merger, [good, bad, merged])
    #expect(reasons[0] == nil)
    #expect(reasons[1]?.contains("invalid state for 'd'") == true)
    #expect(reasons[2] == nil)
    try merger.engine?.finish()
    #expect(decodeNDJSON(sink.takeString()).first?["d"] is Int)
  }

  /// Inputs the fuzz target `partial` (Tests/Support/Fuzz/) kept (new coverage), replayed as its property: no trap,
  /// short reasons, JSON out.
  @Test func fuzzFindingsAreHandled() throws {
    let names = Fixtures.names(in: "logwindow/partial-found")
    #expect(names.count >= 20)
    var rejected = 0
    for name in names {
      let bytes = Fixtures.bytes("logwindow/partial-found", name)
      let sink = OutputSink(fd: -1)
      let merger = Self.merger(sink: sink)
      for line in bytes.split(separator: 0x0A) {
        let reason = try Array(line).withUnsafeBytes { try merger.add($0) }
        if let reason {
          rejected += 1
          #expect(reason.utf8.count < 300, "\(name): \(reason)")
        }
      }
      try merger.engine?.finish()
      for record in sink.takeString().split(separator: "\n") {
        let parsed = try? JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any]
        #expect(parsed != nil, "\(name): not a JSON object: \(record.prefix(300))")
      }
    }
    #expect(rejected > 0)
  }

  @Test func countsMergedPastInt64AreHeldNotTrapped() throws {
    let good = Self.firstSeed.replacingOccurrences(of: #""state":[73,"#, with: #""state":[9007199254740992,"#)
    let sink = OutputSink(fd: -1)
    let merger = Self.merger(sink: sink)
    let reasons = try Self.feed(merger, Array(repeating: good, count: 1100))
    #expect(reasons.allSatisfy { $0 == nil })
    try merger.engine?.finish()
    let out = decodeNDJSON(sink.takeString())
    #expect(out.first?["count"] as? Int == Int(Int64.max))
  }
}
