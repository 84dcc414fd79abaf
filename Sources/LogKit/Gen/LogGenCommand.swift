/*
 The `loggen` command: option table and run loop (placeholder until built).
*/

package enum LogGenCommand {
  package static let spec = CommandSpec(
    name: "loggen", summary: "Write realistic access logs at a chosen rate, with injected incidents", usage: ["[OPTIONS]"],
    description: "Not yet built.", options: [])

  package static func run(_ options: ParsedOptions) throws -> ExitStatus {
    printError("loggen", "not yet built")
    return .failure
  }
}
