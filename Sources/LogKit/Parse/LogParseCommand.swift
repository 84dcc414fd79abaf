/*
 The `logparse` command: option table and run loop (placeholder until built).
*/

package enum LogParseCommand {
  package static let spec = CommandSpec(
    name: "logparse", summary: "Turn raw access logs into NDJSON access records", usage: ["[OPTIONS]"],
    description: "Not yet built.", options: [])

  package static func run(_ options: ParsedOptions) throws -> ExitStatus {
    printError("logparse", "not yet built")
    return .failure
  }
}
