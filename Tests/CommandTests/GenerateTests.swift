/*
 The built commands print --help, the man page and the completion scripts
 that are committed (what scripts/generate-docs writes), and reject an
 unknown --generate value as a usage error.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite struct GenerateTests {
  @Test(arguments: Shell.commands)
  func generatedOutputMatchesCommittedFiles(command: String) throws {
    let files = [
      "man": "man/\(command).1", "complete-bash": "completions/bash/\(command)",
      "complete-zsh": "completions/zsh/_\(command)", "complete-fish": "completions/fish/\(command).fish",
    ]
    for (what, path) in files {
      let result = try Shell.run("\(command) --generate \(what)")
      #expect(result.status == 0)
      #expect(result.stderr.isEmpty)
      let committed = try String(contentsOfFile: Shell.packageRoot + "/" + path, encoding: .utf8)
      #expect(result.stdout == committed, "\(path) differs from `\(command) --generate \(what)`: run scripts/generate-docs")
    }
  }

  @Test(arguments: Shell.commands)
  func helpAndBadGenerate(command: String) throws {
    let help = try Shell.run("\(command) --help")
    #expect(help.status == 0)
    #expect(help.stdout.hasPrefix("\(command) "))
    #expect(help.stdout.hasSuffix("Exit status: 0 ok, 1 runtime failure, 2 usage error, 128+N ended by signal N\n"))
    #expect(!help.stdout.contains("--generate"))
    let bad = try Shell.run("\(command) --generate troff")
    #expect(bad.status == 2)
    #expect(bad.stderr.hasPrefix("\(command): invalid value 'troff' for --generate"))
    #expect(bad.stdout.isEmpty)
  }
}
