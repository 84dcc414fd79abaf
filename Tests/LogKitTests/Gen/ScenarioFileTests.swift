// Scenario files: syntax, line numbers in errors, precedence of the command line.
import Testing
@testable import LogKit

@Suite struct ScenarioFileTests {
  @Test func readsSettingsAndComments() throws {
    let text = """
      # a busy afternoon
      rate 500
      diurnal

      incident errors path=/checkout status=503 ratio=0.6 at=2m for=90s   # the bad deploy
      format json
      """
    let scenario = try ScenarioFile(text: text, name: "busy.scn")
    #expect(scenario.settings.map(\.name) == ["rate", "diurnal", "incident", "format"])
    #expect(scenario.settings[2].value == "errors path=/checkout status=503 ratio=0.6 at=2m for=90s")
    #expect(scenario.settings[2].origin == "busy.scn:5")
  }

  @Test(arguments: [
    ("rate 5\nflood 3\n", "busy.scn:2: unknown setting 'flood'"),
    ("\n\nrate\n", "busy.scn:3: 'rate' needs a value"),
    ("# ok\nincident errors ratio=2\n", "busy.scn:2: invalid value '2' for ratio"),
    ("diurnal yes\n", "busy.scn:1: 'diurnal' takes no value"),
    ("incident meteor at=1m\n", "busy.scn:1: unknown incident kind 'meteor'"),
  ])
  func errorsCarryTheLineNumber(text: String, message: String) {
    #expect {
      try ScenarioFile(text: text, name: "busy.scn")
    } throws: { error in
      (error as? ScenarioError)?.message.hasPrefix(message) == true
    }
  }

  @Test func valueErrorsFoundLaterKeepTheLineNumber() throws {
    let scenario = try ScenarioFile(text: "count 10\nrate fast\n", name: "s.scn")
    #expect {
      try GenSettings(ParsedOptions(), scenario: scenario)
    } throws: { error in
      (error as? UsageError)?.message == "s.scn:2: invalid value 'fast' for rate: expected lines per second (> 0) or max"
    }
  }

  @Test func commandLineWinsAndIncidentsCombine() throws {
    let scenario = try ScenarioFile(text: "rate 500\nseed 4\nincident spike at=1m\n", name: "s.scn")
    let options = try ArgumentParser.parse(["--rate", "20", "--incident", "scanner at=2m"], spec: LogGenCommand.spec)
    let settings = try GenSettings(options, scenario: scenario)
    #expect(settings.rate == 20)
    #expect(settings.seed == 4)
    #expect(settings.incidents.map(\.kind) == [.spike, .scanner])
  }

  @Test func settingsValidation() throws {
    func settings(_ args: [String]) throws -> GenSettings {
      try GenSettings(try ArgumentParser.parse(args, spec: LogGenCommand.spec), scenario: nil)
    }
    #expect(try settings(["--rate", "max"]).rate == nil)
    #expect(try settings(["--start", "2025-07-01T00:00:00Z"]).start == 1_751_328_000_000_000)
    #expect(try settings(["--zone", "-0400"]).zoneMinutes == -240)
    #expect(try settings(["--diurnal"]).noise == 0.1)
    #expect(throws: UsageError.self) { try settings(["--rate", "0"]) }
    #expect(throws: UsageError.self) { try settings(["--format", "xml"]) }
    #expect(throws: UsageError.self) { try settings(["--in-order"]) }
    #expect(throws: UsageError.self) { try settings(["--start", "yesterday"]) }
    #expect(throws: UsageError.self) { try settings(["--format", "clickstream", "--incident", "errors"]) }
  }
}
