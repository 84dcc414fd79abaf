/*
 The commands, written once. Each Sources/<command>/main.swift calls
 `CommandRegistry.main("<command>")`; the generators, the man pages' SEE ALSO
 and the tests take the list from here, and a test checks that Package.swift
 and Sources/ name the same commands.
*/
import Glibc

/// A command: its option table and its run.
package struct CommandEntry: Sendable {
  package let spec: CommandSpec
  package let run: @Sendable (ParsedOptions) throws -> ExitStatus
}

package enum CommandRegistry {
  package static let all: [CommandEntry] = [
    CommandEntry(spec: LogParseCommand.spec, run: LogParseCommand.run),
    CommandEntry(spec: LogGenCommand.spec, run: LogGenCommand.run),
    CommandEntry(spec: LogWindowCommand.spec, run: LogWindowCommand.run),
    CommandEntry(spec: LogAlertCommand.spec, run: LogAlertCommand.run),
    CommandEntry(spec: LogScaleCommand.spec, run: LogScaleCommand.run),
    CommandEntry(spec: LogDashCommand.spec, run: LogDashCommand.run),
  ]

  package static var specs: [CommandSpec] { all.map(\.spec) }
  package static var names: [String] { all.map(\.spec.name) }

  /// Runs the named command with the process's arguments, and exits.
  package static func main(_ name: String) -> Never {
    guard let entry = all.first(where: { $0.spec.name == name }) else {
      printError(name, "not a logkit command (known: \(names.joined(separator: ", ")))")
      exit(1)
    }
    CommandMain.run(entry.spec, commands: names, entry.run)
  }
}
