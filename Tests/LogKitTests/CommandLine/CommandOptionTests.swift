/*
 Options that take a program and its arguments (`OptionSpec.takesCommand`):
 everything up to a lone `;` or the end, options after the `;`, and errors.
*/
import Testing
@testable import LogKit

@Suite struct CommandOptionTests {
  static let spec = CommandSpec(
    name: "sample", summary: "s", usage: ["[FILE...]"], description: "d",
    options: [
      OptionSpec("exec", value: "PROGRAM...", summary: "run", takesCommand: true),
      OptionSpec("probe", value: "PROGRAM...", summary: "probe", takesCommand: true),
      OptionSpec("all", summary: "all"),
    ],
    positionals: [PositionalSpec("FILE", summary: "inputs", repeatable: true)])

  @Test func argvRunsToASemicolonOrTheEnd() throws {
    let options = try ArgumentParser.parse(
      ["--exec", "kubectl", "scale", "--replicas={replicas}", "-n", "web", ";", "--all", "in.ndjson", "--probe", "kubectl", "get", "-o", "jsonpath={.spec.replicas}"],
      spec: Self.spec)
    #expect(options.command("exec") == ["kubectl", "scale", "--replicas={replicas}", "-n", "web"])
    #expect(options.command("probe") == ["kubectl", "get", "-o", "jsonpath={.spec.replicas}"])
    #expect(options.flag("all") && options.flag("exec"))
    #expect(options.positionals == ["in.ndjson"])
  }

  @Test func inlineProgramAndDoubleDashInsideTheArgv() throws {
    let options = try ArgumentParser.parse(["--exec=notify", "--", "-x", ";", "--", "-file"], spec: Self.spec)
    #expect(options.command("exec") == ["notify", "--", "-x"])
    #expect(options.positionals == ["-file"])
  }

  @Test func aProgramIsRequired() {
    for arguments in [["--exec"], ["--exec", ";", "--all"], ["--exec="]] {
      #expect(throws: UsageError("option '--exec' needs a program (PROGRAM...)")) {
        try ArgumentParser.parse(arguments, spec: Self.spec)
      }
    }
  }
}
