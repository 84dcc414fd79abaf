/*
 The checkpoint of logwindow --state, in-process: an engine restored from a
 checkpoint and fed the rest of the records writes byte for byte what the
 engine that saved it writes (tumbling, hopping, sessions, whole input, every
 aggregate, the _other group); a checkpoint of the restored engine equals
 the one it came from; damaged checkpoints are errors, not traps.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct WindowCheckpointTests {
  static let aggregates = [
    "-a", "count", "-a", "errors=count_if(status>=500)", "-a", "sum(bytes)", "-a", "avg(bytes)", "-a", "min(request_time)",
    "-a", "max(request_time)", "-a", "rate", "-a", "p95(request_time)", "-a", "distinct(client)", "-a", "top(3,status)",
    "-a", "first(client)", "-a", "last(client)",
  ]

  /// Records over 10 minutes, a few seconds apart, some with fractional sums and out of order.
  static func records(count: Int, seed: UInt64) -> [String] {
    var rng = TestRNG(seed: seed)
    var t = 1_751_328_000.0
    return (0..<count).map { i in
      t += Double(Int.random(in: 0...3, using: &rng))
      let jitter = i % 17 == 0 ? -Double(Int.random(in: 0...20, using: &rng)) : 0
      let stamp = formatRFC3339(Int64((t + jitter) * 1_000_000))
      return record(stamp, [
        "path": ["/", "/a", "/b", "/c"][Int.random(in: 0...3, using: &rng)],
        "user": "u\(Int.random(in: 0...6, using: &rng))",
        "status": [200, 200, 404, 503][Int.random(in: 0...3, using: &rng)],
        "bytes": Int.random(in: 0...5000, using: &rng),
        "request_time": Double(Int.random(in: 1...900, using: &rng)) / 1000 + 0.0000001,
        "client": "10.0.0.\(Int.random(in: 0...40, using: &rng))",
      ])
    }
  }

  static let layouts: [[String]] = [
    ["--every", "1m", "--by", "path"],
    ["--window", "3m", "--every", "1m", "--by", "path", "--lateness", "30s"],
    ["--session", "40s", "--by", "user", "--lateness", "10s"],
    ["--window", "all", "--by", "path"],
    ["--every", "2m", "--by", "path", "--max-groups", "2"],
  ]

  @Test(arguments: layouts) func restoredEngineContinuesAsTheOneThatSaved(_ windows: [String]) throws {
    let arguments = windows + Self.aggregates
    let input = Self.records(count: 400, seed: 12)
    for cut in [0, 1, 137, 399] {
      let whole = try WindowHarness(arguments)
      try whole.feed(Array(input[..<cut]))
      let saved = whole.engine.checkpoint(signature: "s")
      let restored = try WindowHarness(arguments)
      try restored.engine.restore(saved)
      if !windows.contains("--session") {
        // Sessions of one key may list in either order; the output below still must agree.
        #expect(restored.engine.checkpoint(signature: "s") == saved, "\(windows) cut \(cut): checkpoint of the restore")
      }
      #expect(restored.engine.watermark == whole.engine.watermark && restored.engine.openWindowCount == whole.engine.openWindowCount)
      _ = whole.takeText()
      try whole.feed(Array(input[cut...]))
      try restored.feed(Array(input[cut...]))
      try whole.engine.finish()
      try restored.engine.finish()
      let expected = whole.takeText()
      #expect(!expected.isEmpty)
      #expect(restored.takeText() == expected, "\(windows) cut \(cut)")
      #expect(restored.engine.lateEvents == whole.engine.lateEvents && restored.engine.events == whole.engine.events)
    }
  }

  @Test func headerDescribesTheEngine() throws {
    let harness = try WindowHarness(["--every", "1m", "--by", "path", "-a", "count", "-a", "p95(request_time)"])
    try harness.feed(Self.records(count: 20, seed: 3))
    let header = try WindowEngine.checkpointHeader(harness.engine.checkpoint(signature: "by=path"))
    #expect(header.signature == "by=path")
    #expect(header.kind == .sliding(size: 60_000_000, slide: 60_000_000, offset: 0))
    #expect(header.keyNames == ["path"])
    #expect(header.specs.map(\.name) == ["count", "p95_request_time"])
  }

  @Test func damagedCheckpointsAreErrors() throws {
    let arguments = ["--every", "1m", "--by", "path"] + Self.aggregates
    let harness = try WindowHarness(arguments)
    try harness.feed(Self.records(count: 50, seed: 9))
    let good = harness.engine.checkpoint(signature: "s")
    let text = String(decoding: good, as: UTF8.self)
    let damaged = [
      "",
      "not json\n",
      text.replacingOccurrences(of: "{\"v\":1,", with: "{\"v\":2,"),
      text.replacingOccurrences(of: "\"watermark\":", with: "\"watermark_\":"),
      String(text.dropLast(40)),
      text + "{\"s\":0,\"e\":1,\"k\":\"x\",\"state\":[]}\n",
      text.replacingOccurrences(of: "\"state\":[", with: "\"state\":[-"),
    ]
    for (i, bytes) in damaged.enumerated() {
      let fresh = try WindowHarness(arguments)
      #expect(throws: WindowError.self, "damage \(i)") { try fresh.engine.restore(Array(bytes.utf8)) }
    }
    let other = try WindowHarness(["--session", "1m", "--by", "path"] + Self.aggregates)
    #expect(throws: WindowError.self) { try other.engine.restore(good) }
  }

  @Test func stateFileEnvelopeKeepsPositionsBesideThePayload() throws {
    let identity = FileIdentity(device: 1, inode: 2, fingerprint: 0xabc, fingerprintLength: 9)
    let positions = [FollowOffset(identity: identity, offset: 120, line: 7, path: "/tmp/a b.ndjson")]
    let payload = Array("{\"v\":1}\nrow\n".utf8)
    let bytes = Array("positions 1\n".utf8) + FollowOffsetsFile.encode(positions) + payload
    let (decoded, rest) = try StateCheckpoint.split(bytes, path: "s")
    #expect(decoded == positions && rest == payload)
    let (none, same) = try StateCheckpoint.split(Array("positions none\n".utf8) + payload, path: "s")
    #expect(none == nil && same == payload)
    let entry = String(decoding: FollowOffsetsFile.encode(positions), as: UTF8.self)
    for bad in ["", "positions 2\n" + entry, "positions x\n", "{\"v\":1}\n", "positions 1\n1 2 zz\n"] {
      #expect(throws: RuntimeError.self, "\(bad)") { try StateCheckpoint.split(Array(bad.utf8), path: "s") }
    }
  }
}
