/*
 GNU-style parsing: every accepted spelling, repeats, and the exact text of
 each usage error.
*/
import Testing
@testable import LogKit

@Suite struct ArgumentParserTests {
  private func parse(_ arguments: [String]) throws(UsageError) -> ParsedOptions {
    try ArgumentParser.parse(arguments, spec: SampleSpec.spec)
  }

  private func error(_ arguments: [String]) -> String? {
    do {
      _ = try parse(arguments)
      return nil
    } catch {
      return error.message
    }
  }

  @Test(arguments: [
    ["--format", "json"], ["--format=json"], ["-fjson"], ["-f", "json"],
  ])
  func valueSpellings(arguments: [String]) throws {
    let options = try parse(arguments)
    #expect(options.value("format") == "json")
    #expect(options.positionals.isEmpty)
  }

  @Test func emptyInlineValue() throws {
    #expect(try parse(["--format="]).value("format") == "")
  }

  @Test func bundledSwitches() throws {
    let options = try parse(["-vq"])
    #expect(options.flag("verbose"))
    #expect(options.flag("quiet"))
    #expect(!options.flag("strict"))
  }

  @Test func bundledSwitchesEndingInAValue() throws {
    let options = try parse(["-vqw", "5m", "-vfjson"])
    #expect(options.flag("verbose") && options.flag("quiet"))
    #expect(options.value("window") == "5m")
    #expect(options.value("format") == "json")
  }

  @Test func doubleDashEndsOptions() throws {
    let options = try parse(["-v", "--", "--format", "-q", "-"])
    #expect(options.flag("verbose"))
    #expect(!options.flag("quiet"))
    #expect(options.value("format") == nil)
    #expect(options.positionals == ["--format", "-q", "-"])
  }

  @Test func singleDashIsAPositional() throws {
    let options = try parse(["a.log", "-", "-v", "b.log"])
    #expect(options.positionals == ["a.log", "-", "b.log"])
    #expect(options.flag("verbose"))
  }

  @Test func valueMayLookLikeAnOption() throws {
    #expect(try parse(["--include", "-v"]).all("include") == ["-v"])
  }

  @Test func repeatsLastWinsAllKeepsAll() throws {
    let options = try parse(["-i", "/a", "--include=/b", "--window", "1m", "-w10s", "--include", "/c"])
    #expect(options.value("include") == "/c")
    #expect(options.all("include") == ["/a", "/b", "/c"])
    #expect(options.value("window") == "10s")
    #expect(options.all("window") == ["1m", "10s"])
    #expect(options.all("format") == [])
  }

  @Test func repeatedSwitchIsStillOneFlag() throws {
    let options = try parse(["-v", "--verbose", "-vv"])
    #expect(options.flag("verbose"))
    #expect(options.all("verbose").count == 1)
  }

  @Test func unknownLongOptionSuggestsClosest() {
    #expect(error(["--formt", "json"]) == "unknown option '--formt'; did you mean '--format'?")
    #expect(error(["--line-bufferd"]) == "unknown option '--line-bufferd'; did you mean '--line-buffered'?")
    #expect(error(["--zzzzzzzzzz"]) == "unknown option '--zzzzzzzzzz'")
  }

  @Test func unknownPrefixSuggestsTheFullName() {
    #expect(error(["--line"]) == "unknown option '--line'; did you mean '--line-buffered'?")
  }

  @Test func hiddenOptionsParseButAreNeverSuggested() throws {
    #expect(try parse(["--secret-hook", "x"]).value("secret-hook") == "x")
    #expect(error(["--secret-hok"]) == "unknown option '--secret-hok'")
  }

  @Test func unknownShortOption() {
    #expect(error(["-x"]) == "unknown option '-x'")
    #expect(error(["-vx"]) == "unknown option '-x'")
  }

  @Test func missingValue() {
    #expect(error(["--format"]) == "option '--format' needs a value (FORMAT)")
    #expect(error(["-v", "-f"]) == "option '-f' needs a value (FORMAT)")
  }

  @Test func switchGivenAValue() {
    #expect(error(["--strict=yes"]) == "option '--strict' takes no value")
    #expect(error(["--verbose="]) == "option '--verbose' takes no value")
  }

  @Test func standardOptionsAreAlwaysThere() throws {
    let options = try parse(["-h", "-V", "--generate", "man"])
    #expect(options.flag("help") && options.flag("version"))
    #expect(options.value("generate") == "man")
  }
}
