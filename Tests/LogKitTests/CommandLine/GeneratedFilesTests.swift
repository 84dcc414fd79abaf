/*
 The committed man/ and completions/ files must equal a fresh rendering of
 the option tables, byte for byte; scripts/generate-docs rewrites them.
*/
import Foundation
import Testing
@testable import LogKit

@Suite struct GeneratedFilesTests {
  /// The package root: this file is Tests/LogKitTests/CommandLine/GeneratedFilesTests.swift.
  static let root: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.path
  }()

  /// (path relative to the root, fresh rendering) for each generated file of a command.
  static func files(_ spec: CommandSpec) -> [(String, String)] {
    [
      ("man/\(spec.name).1", ManPageRenderer.render(spec, commands: CommandRegistry.names)),
      ("completions/bash/\(spec.name)", CompletionRenderer.bash(spec)),
      ("completions/zsh/_\(spec.name)", CompletionRenderer.zsh(spec)),
      ("completions/fish/\(spec.name).fish", CompletionRenderer.fish(spec)),
    ]
  }

  @Test(arguments: CommandRegistry.names)
  func committedFilesAreUpToDate(command: String) throws {
    let spec = try #require(CommandRegistry.specs.first { $0.name == command })
    for (path, rendered) in Self.files(spec) {
      let committed = FileManager.default.contents(atPath: Self.root + "/" + path)
      if committed != Data(rendered.utf8) {
        Issue.record("\(path) is out of date: run scripts/generate-docs")
      }
    }
  }

  /// Every executable target is registered, so the script and this test cover it.
  @Test func everyCommandIsRegistered() throws {
    let sources = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/Sources")
    let commands = sources.filter { FileManager.default.fileExists(atPath: Self.root + "/Sources/\($0)/main.swift") }
    #expect(Set(commands) == Set(CommandRegistry.names))
  }

  /// Package.swift's `commands` list names the registered commands, in order.
  @Test func packageManifestListsTheRegisteredCommands() throws {
    let manifest = try String(contentsOfFile: Self.root + "/Package.swift", encoding: .utf8)
    let line = try #require(manifest.split(separator: "\n").first { $0.hasPrefix("let commands = [") })
    let names = line.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
    #expect(names == CommandRegistry.names)
  }
}
