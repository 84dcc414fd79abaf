/*
 Golden cases: Tests/Fixtures/<command>/<case>/ runs the built <command> and
 compares what it does with what the case expects (layout in
 Tests/Fixtures/README.md). With LOGKIT_RECORD=1 the expectations are
 rewritten from the run and the test fails, so a recording is always reviewed
 as a diff.
*/
import Foundation
import Testing

package struct GoldenCase: Sendable, CustomTestStringConvertible {
  package let command: String
  package let name: String
  package var directory: String { Fixtures.path(command + "/" + name) }
  package var testDescription: String { command + "/" + name }

  static let recording = ProcessInfo.processInfo.environment["LOGKIT_RECORD"] == "1"
  /// Files of a case that are expectations, not inputs copied to the run's directory.
  static let expectationNames: Set<String> = ["args", "expected.ndjson", "expected.stdout", "expected.stderr", "expected.status", "expected-files"]

  /// The cases of every command (folders with an `args` file), sorted.
  package static func all(commands: [String] = Shell.commands) -> [GoldenCase] {
    commands.flatMap { cases(of: $0) }
  }

  package static func cases(of command: String) -> [GoldenCase] {
    let dir = Fixtures.path(command)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []  // no folder: no cases
    return names.filter { FileManager.default.fileExists(atPath: dir + "/" + $0 + "/args") }.sorted()
      .map { GoldenCase(command: command, name: $0) }
  }

  /// Runs the case in a fresh directory holding copies of its input files.
  package func check(sourceLocation: SourceLocation = #_sourceLocation) throws {
    let fm = FileManager.default
    let work = Shell.makeTempDirectory(sourceLocation: sourceLocation)
    let entries = try fm.contentsOfDirectory(atPath: directory).sorted()
    for entry in entries where !Self.expectationNames.contains(entry) {
      try fm.copyItem(atPath: directory + "/" + entry, toPath: work + "/" + entry)
    }
    let args = try read("args").trimmingCharacters(in: .whitespacesAndNewlines)
    let input = entries.first { $0.hasPrefix("input.") }.map { " " + $0 } ?? ""
    let stdin = entries.contains("stdin") ? " < stdin" : ""
    let result = try Shell.run("\(command) \(args)\(input)\(stdin)", in: work)
    if Self.recording {
      try record(result, work: work)
      Issue.record("recorded \(directory); review the diff", sourceLocation: sourceLocation)
      return
    }
    try compare(result, work: work, sourceLocation: sourceLocation)
  }

  private func compare(_ result: ShellResult, work: String, sourceLocation: SourceLocation) throws {
    let status = try optional("expected.status").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? "0"
    #expect("\(result.status)" == status, "\(testDescription): exit status; stderr: \(result.stderr)", sourceLocation: sourceLocation)
    let stderr = try optional("expected.stderr") ?? ""
    #expect(result.stderr == stderr, "\(testDescription): stderr", sourceLocation: sourceLocation)
    if let text = try optional("expected.stdout") {
      #expect(result.stdout == text, "\(testDescription): stdout\n\(firstDifference(result.stdout, text))", sourceLocation: sourceLocation)
    } else {
      // Commands write NDJSON: every line must be a JSON object, and the bytes as expected.
      _ = decodeNDJSON(result.stdoutBytes, sourceLocation: sourceLocation)
      let expected = try optional("expected.ndjson") ?? ""
      #expect(result.stdout == expected, "\(testDescription): stdout\n\(firstDifference(result.stdout, expected))", sourceLocation: sourceLocation)
    }
    for name in try expectedFiles() {
      let want = try read("expected-files/" + name)
      let got = FileManager.default.contents(atPath: work + "/" + name).map { String(decoding: $0, as: UTF8.self) }
      #expect(got == want, "\(testDescription): file \(name)\n\(firstDifference(got ?? "<missing>", want))", sourceLocation: sourceLocation)
    }
  }

  /// Rewrites the expectations: stdout always, stderr and status only when not empty / 0.
  private func record(_ result: ShellResult, work: String) throws {
    let stdoutName = FileManager.default.fileExists(atPath: directory + "/expected.stdout") ? "expected.stdout" : "expected.ndjson"
    try write(stdoutName, result.stdout)
    try write("expected.stderr", result.stderr.isEmpty ? nil : result.stderr)
    try write("expected.status", result.status == 0 ? nil : "\(result.status)\n")
    for name in try expectedFiles() {
      let got = FileManager.default.contents(atPath: work + "/" + name).map { String(decoding: $0, as: UTF8.self) }
      try write("expected-files/" + name, got ?? "")
    }
  }

  private func expectedFiles() throws -> [String] {
    let dir = directory + "/expected-files"
    guard FileManager.default.fileExists(atPath: dir) else { return [] }
    return try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
  }

  private func read(_ name: String) throws -> String {
    try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
  }

  private func optional(_ name: String) throws -> String? {
    FileManager.default.fileExists(atPath: directory + "/" + name) ? try read(name) : nil
  }

  /// Writes an expectation file, or removes it when `text` is nil.
  private func write(_ name: String, _ text: String?) throws {
    let path = directory + "/" + name
    if let text {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
    } else if FileManager.default.fileExists(atPath: path) {
      try FileManager.default.removeItem(atPath: path)
    }
  }
}

/// The first line where two texts differ, for readable failures.
package func firstDifference(_ got: String, _ want: String) -> String {
  let a = got.split(separator: "\n", omittingEmptySubsequences: false)
  let b = want.split(separator: "\n", omittingEmptySubsequences: false)
  for i in 0..<max(a.count, b.count) where i >= a.count || i >= b.count || a[i] != b[i] {
    let gotLine = i < a.count ? String(a[i]) : "<end>"
    let wantLine = i < b.count ? String(b[i]) : "<end>"
    return "line \(i + 1):\n  got:  \(gotLine)\n  want: \(wantLine)"
  }
  return "(no line differs)"
}
