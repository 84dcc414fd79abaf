/*
 Typed access to parsed values and the usage errors for bad ones.
*/
import Testing
@testable import LogKit

@Suite struct ParsedOptionsTests {
  private func options(_ arguments: [String]) throws -> ParsedOptions {
    try ArgumentParser.parse(arguments, spec: SampleSpec.spec)
  }

  /// The usage error's message, or nil when `body` did not throw one.
  private func message(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch {
      return (error as? UsageError)?.message
    }
  }

  @Test func absentValuesAreNil() throws {
    let parsed = try options([])
    #expect(try parsed.int("window") == nil)
    #expect(try parsed.double("window") == nil)
    #expect(try parsed.duration("window") == nil)
    #expect(try parsed.size("window") == nil)
    #expect(try parsed.choice("format", in: ["json"]) == nil)
  }

  @Test func int() throws {
    #expect(try options(["-w", "42"]).int("window") == 42)
    #expect(try options(["-w", "-3"]).int("window") == -3)
    #expect(try options(["-w", "3"]).int("window", min: 3) == 3)
    let bad = try options(["-w", "4x"])
    #expect(message { _ = try bad.int("window") } == "invalid value '4x' for --window: expected an integer")
    let small = try options(["-w", "0"])
    #expect(message { _ = try small.int("window", min: 1) } == "invalid value '0' for --window: expected an integer >= 1")
  }

  @Test func double() throws {
    #expect(try options(["-w", "0.25"]).double("window") == 0.25)
    for text in ["abc", "inf", "nan", ""] {
      let parsed = try options(["-w", text])
      #expect(message { _ = try parsed.double("window") } == "invalid value '\(text)' for --window: expected a number")
    }
  }

  @Test func duration() throws {
    #expect(try options(["-w", "1h30m"]).duration("window") == 5_400_000_000)
    #expect(try options(["--window=250ms"]).duration("window") == 250_000)
    let bad = try options(["-w", "5 minutes"])
    #expect(
      message { _ = try bad.duration("window") }
        == "invalid duration '5 minutes' for --window: expected e.g. 250ms, 10s, 5m, 1h, 1d")
  }

  @Test func size() throws {
    #expect(try options(["-w", "64k"]).size("window") == 65_536)
    let bad = try options(["-w", "64kb"])
    #expect(message { _ = try bad.size("window") } == "invalid size '64kb' for --window: expected e.g. 4096, 64k, 1M")
  }

  @Test func choice() throws {
    #expect(try options(["-f", "json"]).choice("format", in: ["combined", "json"]) == "json")
    let bad = try options(["-f", "xml"])
    #expect(
      message { _ = try bad.choice("format", in: ["combined", "json"]) }
        == "invalid value 'xml' for --format: expected one of combined, json")
  }
}
