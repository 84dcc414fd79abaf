/*
 Helpers for the render tests: the sample spec rendered every way, written to
 a temporary file when a shell or roff needs to read it, and a runner for the
 external checkers (`bash -n`, `zsh -n`, `fish -n`, `mandoc -T lint`).
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

enum RenderedSample {
  static let help = HelpRenderer.render(SampleSpec.spec)
  static let man = ManPageRenderer.render(SampleSpec.spec, commands: ["sample", "other"])
  static let bash = CompletionRenderer.bash(SampleSpec.spec)
  static let zsh = CompletionRenderer.zsh(SampleSpec.spec)
  static let fish = CompletionRenderer.fish(SampleSpec.spec)

  /// Full path of `program` on PATH, or nil when it is not installed.
  static func which(_ program: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") + ["/usr/bin", "/bin"] {
      let candidate = "\(dir)/\(program)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Writes `text` to a fresh temporary file and returns its path (removed when
  /// the test ends: the suites using it have the `.temporaryDirectories` trait).
  static func temporaryFile(_ text: String, name: String) throws -> String {
    let dir = TemporaryDirectories.make()
    let path = dir + "/" + name
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Runs a program; returns its status and stdout+stderr together.
  static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
