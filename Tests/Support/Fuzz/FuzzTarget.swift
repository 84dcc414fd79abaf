/*
 The fuzz targets: one property check per parser, shared by the libFuzzer
 binary (fuzz/build.sh compiles this folder with the library's sources and
 fuzz/Main.swift, dropping `import LogKit`) and by the tests, which replay
 the regression inputs (Tests/Fixtures/fuzz/<target>/) and a seeded random
 pass through the same checks. Only `import LogKit` here: the fuzz build has
 no Foundation or Testing.

 A check returns nil when the input satisfies the properties, otherwise what
 was wrong; a crash or a hang is a failure by itself.
*/
import LogKit

package struct FuzzTarget: Sendable {
  package let name: String
  /// What the target feeds, for `fuzz/campaign.sh` and the README.
  package let summary: String
  /// Seed folders under Tests/Fixtures (files, or golden cases' input files).
  package let seeds: [String]
  /// libFuzzer's -max_len for the target.
  package let maxLength: Int
  package let check: @Sendable (UnsafeRawBufferPointer) -> String?

  package static let all: [FuzzTarget] = parseTargets + valueTargets

  package static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }

  /// Runs the check on bytes (tests and the random pass).
  package func run(_ bytes: [UInt8]) -> String? {
    bytes.withUnsafeBytes { check($0) }
  }
}

/// Input split at the first newline: (head, rest). A format string then its lines.
func splitFirstLine(_ input: UnsafeRawBufferPointer) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer) {
  guard let nl = input.firstIndex(of: 0x0A) else { return (input, UnsafeRawBufferPointer(rebasing: input[input.count...])) }
  return (UnsafeRawBufferPointer(rebasing: input[..<nl]), UnsafeRawBufferPointer(rebasing: input[(nl + 1)...]))
}

/// Calls `body` with each line of `input` (without its newline).
func forEachLine(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> String?) -> String? {
  var start = 0
  for i in 0...input.count where i == input.count || input[i] == 0x0A {
    if let failure = body(UnsafeRawBufferPointer(rebasing: input[start..<i])) { return failure }
    start = i + 1
  }
  return nil
}

/// Strict UTF-8 (no overlongs, surrogates or code points beyond U+10FFFF).
func isValidUTF8(_ bytes: some Collection<UInt8>) -> Bool {
  String(validating: bytes, as: UTF8.self) != nil
}

/// `output` must be exactly `records` lines, each a JSON object in valid UTF-8,
/// accepted by both the NDJSON scanner and the JSONValue parser.
func checkNDJSON(_ output: [UInt8], records: Int) -> String? {
  if records == 0 { return output.isEmpty ? nil : "output without a record" }
  guard output.last == 0x0A else { return "output does not end with a newline" }
  let lines = output.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
  guard lines.count == records else { return "\(records) records written as \(lines.count) lines" }
  let scanner = NDJSONScanner()
  for line in lines {
    let bytes = Array(line)
    guard isValidUTF8(bytes) else { return "output is not valid UTF-8: \(excerptOf(bytes))" }
    let scanned = bytes.withUnsafeBytes { (try? scanner.scan($0)) != nil }
    guard scanned else { return "output does not re-scan as NDJSON: \(excerptOf(bytes))" }
    guard case .object = bytes.withUnsafeBytes({ try? JSONValue.parse($0) }) else {
      return "output is not a JSON object: \(excerptOf(bytes))"
    }
  }
  return nil
}

func excerptOf(_ bytes: some Collection<UInt8>) -> String {
  String(decoding: bytes.prefix(200), as: UTF8.self)
}
