/*
 The shared frame of every command's main: signals, parsing, the standard
 options, and the mapping from outcomes to exit statuses.

   0  success
   1  runtime failure (unreadable input, write error, --strict on bad input)
   2  usage error
   128+N  ended by signal N (SIGINT: 130, SIGTERM: 143) after flushing output

 A broken pipe on stdout is a normal way to end (`cmd | head`): exit 0, quiet.
*/
import Glibc

package enum ExitStatus: Int32, Sendable {
  case success = 0
  case failure = 1
  case usage = 2
}

/// Errors a command reports as `cmd: message` with exit status 1.
package struct RuntimeError: Error, CustomStringConvertible, Sendable {
  package var message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}

package enum CommandMain {
  /// Parses the arguments, handles --help/--version/--generate, runs `body`, exits.
  /// `commands` are the toolkit's command names, for the man page's SEE ALSO.
  package static func run(
    _ spec: CommandSpec, commands: [String], arguments: [String] = Array(CommandLine.arguments.dropFirst()),
    _ body: (ParsedOptions) throws -> ExitStatus
  ) -> Never {
    Signals.install()
    let options: ParsedOptions
    do {
      options = try ArgumentParser.parse(arguments, spec: spec)
    } catch {
      usageExit(spec, error.message)
    }
    if options.flag("help") {
      writeStdout(HelpRenderer.render(spec), command: spec.name)
      exit(0)
    }
    if options.flag("version") {
      writeStdout("\(spec.name) \(logkitVersion)\n", command: spec.name)
      exit(0)
    }
    if let what = options.value("generate") {
      switch what {
      case "man": writeStdout(ManPageRenderer.render(spec, commands: commands), command: spec.name)
      case "complete-bash": writeStdout(CompletionRenderer.bash(spec), command: spec.name)
      case "complete-zsh": writeStdout(CompletionRenderer.zsh(spec), command: spec.name)
      case "complete-fish": writeStdout(CompletionRenderer.fish(spec), command: spec.name)
      default: usageExit(spec, "invalid value '\(what)' for --generate: expected man, complete-bash, complete-zsh or complete-fish")
      }
      exit(0)
    }
    let status: ExitStatus
    do {
      status = try body(options)
    } catch let error as UsageError {
      usageExit(spec, error.message)
    } catch IOError.brokenPipe {
      exit(0)
    } catch {
      printError(spec.name, "\(error)")
      exit(ExitStatus.failure.rawValue)
    }
    if Signals.interrupted { exit(128 + Signals.received) }
    exit(status.rawValue)
  }

  private static func usageExit(_ spec: CommandSpec, _ message: String) -> Never {
    printError(spec.name, message)
    writeStderr("\(spec.name): try '\(spec.name) --help' for more information.\n")
    exit(ExitStatus.usage.rawValue)
  }
}
