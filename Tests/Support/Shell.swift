/*
 Runs the built binaries in real shell pipelines.

 Binaries come from the build folder next to the test bundle (.build/debug),
 or from LOGKIT_BIN when set. Each run without a directory gets a fresh one,
 removed when the run ends; directories shared by several runs come from
 `makeTempDirectory()` in a test with the `.temporaryDirectories` trait and
 are removed when the test ends (LOGKIT_KEEP_TMP=1 keeps both kinds). The
 environment is scrubbed (LC_ALL=C, TZ=UTC, no LOGKIT_*) so results do not
 depend on the machine.
*/
import Foundation
import LogKit
import Testing

package struct ShellResult {
  package var status: Int32
  /// stdout as bytes (for checks that must see invalid UTF-8) and as text.
  package var stdoutBytes: Data
  package var stdout: String
  package var stderr: String
  package var stdoutLines: [String] {
    stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stdout.hasSuffix("\n") ? 1 : 0).map(String.init)
  }
}

package enum Shell {
  /// Every command's name, from the command registry (the one list of commands).
  package static let commands: [String] = CommandRegistry.names

  /// Folder holding logparse, loggen, ...
  package static let binDirectory: String = {
    if let dir = ProcessInfo.processInfo.environment["LOGKIT_BIN"] { return dir }
    let probe = commands.first ?? "logparse"
    // The test bundle lives in .build/<config>/logkitPackageTests.xctest (Linux: a file).
    var url = Bundle.main.bundleURL
    for _ in 0..<4 {
      if FileManager.default.fileExists(atPath: url.appendingPathComponent(probe).path) { return url.path }
      url.deleteLastPathComponent()
    }
    let cwd = FileManager.default.currentDirectoryPath
    for candidate in [".build/debug", ".build/release"] {
      let path = cwd + "/" + candidate
      if FileManager.default.fileExists(atPath: path + "/" + probe) { return path }
    }
    return cwd + "/.build/debug"
  }()

  /// The package root (for Tests/Fixtures and examples/).
  package static var packageRoot: String { Fixtures.packageRoot }

  package static func fixture(_ relative: String) -> String { Fixtures.path(relative) }

  /// Whether a program is on PATH (tests that need an optional tool skip without it).
  package static func has(_ tool: String) -> Bool {
    (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
      .split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
  }

  /// ../shared/data when present (tests using it skip otherwise).
  package static var sharedData: String? { Fixtures.sharedData }

  /// A fresh temporary directory, removed when the test ends. Needs the
  /// `.temporaryDirectories` trait on the suite or test (else it fails the test).
  package static func makeTempDirectory(sourceLocation: SourceLocation = #_sourceLocation) -> String {
    TemporaryDirectories.make(sourceLocation: sourceLocation)
  }

  /// Runs `/bin/sh -c script` with the binaries first on PATH, in `directory`
  /// (or in a fresh directory removed afterwards).
  @discardableResult
  package static func run(
    _ script: String, in directory: String? = nil, stdin: String? = nil, environment: [String: String] = [:]
  ) throws -> ShellResult {
    let own = directory == nil ? TemporaryDirectories.create() : nil
    defer { if let own { TemporaryDirectories.remove(own) } }
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
    process.currentDirectoryURL = URL(fileURLWithPath: directory ?? own ?? ".")
    // stderr goes to a file so a chatty stderr can never block the child.
    let errPath = NSTemporaryDirectory() + "logkit-stderr-" + UUID().uuidString
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errPath) }  // cleanup only; the run's result is already read
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
    let errData = try Data(contentsOf: URL(fileURLWithPath: errPath))
    return ShellResult(
      status: process.terminationStatus, stdoutBytes: outData,
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}
