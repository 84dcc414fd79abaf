/*
 Runs the built binaries in real shell pipelines.

 Binaries come from the build folder next to the test bundle (.build/debug),
 or from LOGKIT_BIN when set. Each test gets a fresh temporary directory.
 The environment is scrubbed (LC_ALL=C, TZ=UTC) so results do not depend on
 the machine.
*/
import Foundation
import Testing

struct ShellResult {
  var status: Int32
  var stdout: String
  var stderr: String
  var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stdout.hasSuffix("\n") ? 1 : 0).map(String.init) }
}

enum Shell {
  /// Folder holding logparse, loggen, ...
  static let binDirectory: String = {
    if let dir = ProcessInfo.processInfo.environment["LOGKIT_BIN"] { return dir }
    // The test bundle lives in .build/<config>/logkitPackageTests.xctest (Linux: a file).
    var url = Bundle.main.bundleURL
    for _ in 0..<4 {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent("logparse").path) { return url.path }
      url.deleteLastPathComponent()
    }
    let cwd = FileManager.default.currentDirectoryPath
    for candidate in [".build/debug", ".build/release"] {
      let path = cwd + "/" + candidate
      if FileManager.default.fileExists(atPath: path + "/logparse") { return path }
    }
    return cwd + "/.build/debug"
  }()

  /// The package root (for Tests/Fixtures and examples/).
  static let packageRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
  }()

  static func fixture(_ relative: String) -> String { packageRoot + "/Tests/Fixtures/" + relative }

  /// ../shared/data when present (tests using it skip otherwise).
  static var sharedData: String? {
    let path = packageRoot + "/../shared/data"
    return FileManager.default.fileExists(atPath: path) ? path : nil
  }

  /// A fresh temporary directory.
  static func makeTempDirectory() -> String {
    let path = NSTemporaryDirectory() + "logkit-test-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Runs `/bin/sh -c script` with the binaries first on PATH, in `directory`.
  @discardableResult
  static func run(_ script: String, in directory: String? = nil, stdin: String? = nil, environment: [String: String] = [:]) throws -> ShellResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LOGKIT_") }
    env["PATH"] = binDirectory + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    env["LC_ALL"] = "C"
    env["TZ"] = "UTC"
    env["FIXTURES"] = packageRoot + "/Tests/Fixtures"
    env["ROOT"] = packageRoot
    for (k, v) in environment { env[k] = v }
    process.environment = env
    process.currentDirectoryURL = URL(fileURLWithPath: directory ?? makeTempDirectory())
    // stderr goes to a file so a chatty stderr can never block the child.
    let errPath = NSTemporaryDirectory() + "logkit-stderr-" + UUID().uuidString
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let out = Pipe()
    process.standardOutput = out
    process.standardError = errHandle
    if let stdin {
      let input = Pipe()
      process.standardInput = input
      try process.run()
      input.fileHandleForWriting.write(Data(stdin.utf8))
      try input.fileHandleForWriting.close()
    } else {
      process.standardInput = FileHandle.nullDevice
      try process.run()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try errHandle.close()
    let errData = FileManager.default.contents(atPath: errPath) ?? Data()
    return ShellResult(
      status: process.terminationStatus,
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

/// Decodes NDJSON output into dictionaries (comparing values, not bytes).
func decodeNDJSON(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
  var records: [[String: Any]] = []
  for line in text.split(separator: "\n") {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
      Issue.record("not a JSON object: \(line)", sourceLocation: sourceLocation)
      continue
    }
    records.append(object)
  }
  return records
}
