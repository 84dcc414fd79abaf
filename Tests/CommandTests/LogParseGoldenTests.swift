/*
 Golden cases: each Tests/Fixtures/logparse/<case>/ holds `args` (a shell
 fragment of options), `input.log` and `expected.ndjson`. The built logparse
 runs on the input and its output must equal the expectation byte for byte
 (field order is part of the record contract). With LOGKIT_RECORD=1 in the
 environment the expectations are rewritten and the test fails, so a diff
 is always reviewed.
*/
import Foundation
import Testing

@Suite struct LogParseGoldenTests {
  static let cases: [String] = {
    let dir = Shell.fixture("logparse")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
    return names.filter { FileManager.default.fileExists(atPath: dir + "/" + $0 + "/args") }.sorted()
  }()

  @Test func casesExist() {
    #expect(Self.cases.count >= 7)
  }

  @Test(arguments: cases)
  func golden(name: String) throws {
    let dir = Shell.fixture("logparse/" + name)
    let args = try String(contentsOfFile: dir + "/args", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    let result = try Shell.run("eval \"logparse \(args.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "$", with: "\\$")) input.log\"", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let expectedPath = dir + "/expected.ndjson"
    if ProcessInfo.processInfo.environment["LOGKIT_RECORD"] == "1" {
      try result.stdout.write(toFile: expectedPath, atomically: true, encoding: .utf8)
      Issue.record("recorded \(expectedPath); review the diff")
      return
    }
    let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
    #expect(result.stdout == expected)
  }
}
