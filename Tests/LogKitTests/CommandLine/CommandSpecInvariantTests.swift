/*
 Rules every option table must keep, checked over every registered command
 and the sample spec: names, value names, summary width, and that every
 visible option reaches the help, the man page and all three completions.
*/
import Testing
@testable import LogKit

@Suite struct CommandSpecInvariantTests {
  static let specs: [CommandSpec] = CommandRegistry.specs + [SampleSpec.spec]
  static let names = specs.map(\.name)

  private func spec(_ name: String) throws -> CommandSpec {
    try #require(Self.specs.first { $0.name == name })
  }

  private static func isName(_ text: String) -> Bool {
    !text.isEmpty && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
      && !text.hasPrefix("-")
  }

  @Test func commandNamesAreUniqueWords() {
    #expect(Set(CommandRegistry.names).count == CommandRegistry.specs.count)
    for spec in Self.specs { #expect(Self.isName(spec.name), "\(spec.name)") }
  }

  @Test(arguments: names) func longNamesAreUniqueAndWellFormed(command: String) throws {
    let spec = try spec(command)
    var seen: Set<String> = []
    for option in spec.options {
      #expect(Self.isName(option.long), "\(command): --\(option.long) must match ^[a-z0-9-]+$")
      #expect(seen.insert(option.long).inserted, "\(command): --\(option.long) is declared twice")
    }
  }

  @Test(arguments: names) func shortNamesAreUnique(command: String) throws {
    let spec = try spec(command)
    var seen: Set<Character> = []
    for option in spec.options {
      guard let short = option.short else { continue }
      #expect(short.isASCII && (short.isLetter || short.isNumber), "\(command): -\(short)")
      #expect(seen.insert(short).inserted, "\(command): -\(short) is declared twice")
    }
  }

  @Test(arguments: names) func valueOptionsHaveValueNames(command: String) throws {
    let spec = try spec(command)
    for option in spec.options {
      if let value = option.valueName {
        #expect(!value.isEmpty && !value.contains(" "), "\(command): --\(option.long) has a bad value name '\(value)'")
      } else {
        #expect(option.completion == .none, "\(command): switch --\(option.long) cannot complete values")
        #expect(option.defaultValue == nil, "\(command): switch --\(option.long) cannot have a default")
      }
    }
  }

  @Test(arguments: names) func summariesFitOnOneHelpLine(command: String) throws {
    let spec = try spec(command)
    let column = HelpRenderer.summaryColumn(spec)
    #expect(!spec.summary.isEmpty && !spec.usage.isEmpty)
    #expect(spec.summary.count <= DocText.width, "\(command): the command summary is longer than a line")
    for option in spec.options where !option.hidden {
      #expect(!option.summary.isEmpty && !option.summary.contains("\n"), "\(command): --\(option.long)")
      #expect(
        column + option.summary.count <= DocText.width,
        "\(command): the summary of --\(option.long) is \(option.summary.count) characters; at column \(column) it must be at most \(DocText.width - column)")
    }
    for positional in spec.positionals {
      #expect(column + positional.summary.count <= DocText.width, "\(command): the summary of \(positional.name) is too long")
    }
  }

  /// Records `message` when `ok` is false (without dumping whole documents).
  private func check(_ ok: Bool, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    if !ok { Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation) }
  }

  @Test(arguments: names) func everyVisibleOptionIsDocumentedEverywhere(command: String) throws {
    let spec = try spec(command)
    let help = HelpRenderer.render(spec)
    let man = ManPageRenderer.render(spec, commands: CommandRegistry.names)
    let bash = CompletionRenderer.bash(spec)
    let zsh = CompletionRenderer.zsh(spec)
    let fish = CompletionRenderer.fish(spec).split(separator: "\n").map { $0 + " " }
    for option in spec.options where !option.hidden {
      let long = option.long
      let helpName = "--\(long)\(option.valueName.map { " " + $0 } ?? "")"
      // Long names put the summary on the next line.
      check(help.contains(helpName + "  ") || help.contains(helpName + "\n"), "\(command): --\(long) missing from --help")
      check(man.contains("\\fB\(RoffText.escape("--\(long)"))\\fR"), "\(command): --\(long) missing from the man page")
      check(bash.contains(" --\(long) ") || bash.contains("'--\(long) ") || bash.contains(" --\(long)'"), "\(command): --\(long) missing from bash")
      check(zsh.contains(",--\(long)") || zsh.contains("'--\(long)") || zsh.contains("'*--\(long)"), "\(command): --\(long) missing from zsh")
      check(fish.contains { $0.contains(" -l \(long) ") }, "\(command): --\(long) missing from fish")
      if let short = option.short {
        check(help.contains("-\(short), --\(long)"), "\(command): -\(short) missing from --help")
        check(man.contains("\\fB\\-\(short)\\fR, \\fB\(RoffText.escape("--\(long)"))"), "\(command): -\(short) missing from the man page")
        check(bash.contains(" -\(short) ") || bash.contains(" -\(short)'") || bash.contains("|-\(short))"), "\(command): -\(short) missing from bash")
        check(zsh.contains("{-\(short),") || zsh.contains("{-\(short)+,"), "\(command): -\(short) missing from zsh")
        check(fish.contains { $0.contains(" -l \(long) -s \(short) ") }, "\(command): -\(short) missing from fish")
      }
    }
    for option in spec.options where option.hidden {
      check(!help.contains("--\(option.long)"), "\(command): hidden --\(option.long) shown in --help")
      // The first two lines name the generator (`--generate man`); skip them.
      let body = { (text: String) in text.split(separator: "\n").dropFirst(2).joined(separator: "\n") }
      check(!body(man).contains(RoffText.escape("--\(option.long)")), "\(command): hidden --\(option.long) is documented")
      for text in [bash, zsh, fish.joined(separator: "\n")].map(body) {
        check(!text.contains("--\(option.long)") && !text.contains("-l \(option.long) "), "\(command): hidden --\(option.long) is documented")
      }
    }
  }
}
