/*
 The `logwindow` command: option table and run loop (placeholder until built).
*/

package enum LogWindowCommand {
  package static let spec = CommandSpec(
    name: "logwindow", summary: "Event-time windowed aggregation of NDJSON records", usage: ["[OPTIONS]"],
    description: "Not yet built.", options: [])

  package static func run(_ options: ParsedOptions) throws -> ExitStatus {
    printError("logwindow", "not yet built")
    return .failure
  }
}
