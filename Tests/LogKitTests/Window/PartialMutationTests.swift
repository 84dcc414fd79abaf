/*
 Seeded mutations of real `logwindow --partial` output (the seeds of
 the fuzz target `partial` (Tests/Support/Fuzz/)): digits changed, bytes deleted, numbers replaced by
 1e300, -1, huge integers, strings emptied. The merger never traps, every
 rejected line has a short reason, and what it writes is JSON.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct PartialMutationTests {
  static let numbers = ["1e300", "-1", "0", "99999999999999999999", "9223372036854775807", "-9223372036854775808", "0.5", "null", "\"\"", "[]", "{}"]

  /// One to three mutations of `line`.
  static func mutate(_ line: String, _ rng: inout TestRNG) -> String {
    var bytes = Array(line.utf8)
    for _ in 0...(rng.next() % 3) {
      guard !bytes.isEmpty else { break }
      let at = Int(rng.next() % UInt64(bytes.count))
      switch rng.next() % 6 {
      case 0:  // change a digit
        if let d = bytes[at...].firstIndex(where: { $0 >= 0x30 && $0 <= 0x39 }) { bytes[d] = 0x30 + UInt8(rng.next() % 10) }
      case 1:  // delete a few bytes
        bytes.removeSubrange(at..<min(bytes.count, at + 1 + Int(rng.next() % 8)))
      case 2, 3:  // replace a number with a special value
        guard let d = bytes[at...].firstIndex(where: { $0 >= 0x30 && $0 <= 0x39 }) else { break }
        let end = bytes[d...].firstIndex { !($0 >= 0x30 && $0 <= 0x39 || $0 == 0x2E || $0 == 0x65) } ?? bytes.count
        bytes.replaceSubrange(d..<end, with: Array(numbers[Int(rng.next() % UInt64(numbers.count))].utf8))
      case 4:  // empty a string
        guard let q = bytes[at...].firstIndex(of: 0x22), q + 1 < bytes.count,
          let close = bytes[(q + 1)...].firstIndex(of: 0x22)
        else { break }
        bytes.removeSubrange((q + 1)..<close)
      default:  // insert a special value
        bytes.insert(contentsOf: Array(numbers[Int(rng.next() % UInt64(numbers.count))].utf8), at: at)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Per seed file: its first line unchanged (so the merger is configured), then mutations of its lines.
  static func mutatedInputs(perFile: Int, seed: UInt64) -> [[String]] {
    var rng = TestRNG(seed: seed)
    return PartialInputTests.seeds().map { lines in
      [lines[0]] + (0..<perFile).map { _ in mutate(lines[Int(rng.next() % UInt64(lines.count))], &rng) }
    }
  }

  @Test func mutatedPartialsAreRejectedOrMergedNeverTrapped() throws {
    var rejected = 0, total = 0
    for lines in Self.mutatedInputs(perFile: 1500, seed: 0x9A27_1A15) {
      let sink = OutputSink(fd: -1)
      let merger = PartialInputTests.merger(sink: sink)
      let reasons = try PartialInputTests.feed(merger, lines)
      #expect(reasons[0] == nil)
      for reason in reasons.compactMap({ $0 }) { #expect(reason.utf8.count < 300, "\(reason)") }
      rejected += reasons.compactMap { $0 }.count
      total += lines.count
      try merger.engine?.finish()
      for record in sink.takeString().split(separator: "\n") {
        let parsed = try? JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any]
        #expect(parsed != nil, "not a JSON object: \(record.prefix(600))")
      }
    }
    #expect(total >= 4000)
    // Most mutations break a record; some (a digit of a count) leave a valid one.
    #expect(rejected > total / 4 && rejected < total)
  }

  @Test(.temporaryDirectories) func binaryRejectsMutatedPartialsWithLineNumbers() throws {
    let dir = Shell.makeTempDirectory()
    var expectedLines = 0
    for (i, lines) in Self.mutatedInputs(perFile: 600, seed: 0x51A7_E5).enumerated() {
      try (lines.joined(separator: "\n") + "\n").write(toFile: "\(dir)/in\(i).ndjson", atomically: true, encoding: .utf8)
      expectedLines += lines.count
    }
    for i in 0..<PartialInputTests.seeds().count {
      let r = try Shell.run("logwindow --merge --rejects rej\(i).ndjson in\(i).ndjson > out\(i).ndjson; echo $?; wc -l < rej\(i).ndjson", in: dir)
      let parts = r.stdoutLines
      #expect(parts.first == "0", "\(r.stderr.suffix(2000))")
      let rejects = Int(parts.last?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
      #expect(rejects > 0)
      #expect(r.stderr.contains("logwindow: \(rejects) of 601 input lines rejected"), "\(r.stderr.suffix(500))")
      #expect(r.stderr.contains("in\(i).ndjson:"))
      #expect(r.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("logwindow: ") && $0.utf8.count < 400 })
      let out = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/out\(i).ndjson"))
      #expect(decodeNDJSON(out).count == out.split(separator: 0x0A).count)
    }
    #expect(expectedLines > 2000)
  }
}
