/*
 The one description of a command's interface.

 Each command declares a `CommandSpec` (its options, arguments, examples). The
 parser, `--help`, the man page and the bash/zsh/fish completions are all
 rendered from it, so they cannot drift apart; a test compares the committed
 man/ and completions/ files with a fresh rendering.
*/

/// One command-line option.
package struct OptionSpec: Sendable, Equatable {
  package enum Completion: Sendable, Equatable {
    case none
    case file
    case directory
    case choices([String])
  }

  /// Long name without dashes: `format` for `--format`.
  package var long: String
  package var short: Character?
  /// Placeholder for the value (`FORMAT`); nil for a switch.
  package var valueName: String?
  /// One line (<= 79 columns with indentation) for `--help`.
  package var summary: String
  /// Longer text for the man page; empty when the summary says it all.
  package var discussion: String
  /// Heading the option is listed under.
  package var category: String
  /// The default, as shown to users; nil when there is none.
  package var defaultValue: String?
  /// May be given several times; every value is kept.
  package var repeatable: Bool
  /// Not shown in help, man page or completions (generators, test hooks).
  package var hidden: Bool
  package var completion: Completion
  /// Takes a program and its arguments: every following argument up to a lone `;`
  /// (or the end of the command line) is the program's argv (`--exec kubectl scale ... ;`).
  package var takesCommand: Bool

  package init(
    _ long: String, short: Character? = nil, value: String? = nil, category: String = "Options",
    summary: String, discussion: String = "", defaultValue: String? = nil,
    repeatable: Bool = false, hidden: Bool = false, completion: Completion = .none, takesCommand: Bool = false
  ) {
    self.long = long
    self.short = short
    self.valueName = value
    self.summary = summary
    self.discussion = discussion
    self.category = category
    self.defaultValue = defaultValue
    self.repeatable = repeatable
    self.hidden = hidden
    self.takesCommand = takesCommand
    if case .none = completion, let value, value == "FILE" {
      self.completion = .file
    } else {
      self.completion = completion
    }
  }

  package var takesValue: Bool { valueName != nil }
}

/// A positional argument, for help and completions.
package struct PositionalSpec: Sendable, Equatable {
  package var name: String
  package var summary: String
  package var repeatable: Bool
  package var completion: OptionSpec.Completion

  package init(_ name: String, summary: String, repeatable: Bool = false, completion: OptionSpec.Completion = .file) {
    self.name = name
    self.summary = summary
    self.repeatable = repeatable
    self.completion = completion
  }
}

/// A worked example: shown in `--help` and the man page.
package struct ExampleSpec: Sendable, Equatable {
  package var command: String
  package var explanation: String

  package init(_ command: String, _ explanation: String) {
    self.command = command
    self.explanation = explanation
  }
}

package struct CommandSpec: Sendable, Equatable {
  package var name: String
  /// One line: what the command does.
  package var summary: String
  /// Usage lines without the command name: `[OPTIONS] [FILE...]`.
  package var usage: [String]
  /// Paragraphs for DESCRIPTION, separated by blank lines. A paragraph whose
  /// first line is indented is kept line for line (examples, tables); others
  /// are refilled (79 columns in --help). `code` spans are bold in the man
  /// page. The same rules apply to `OptionSpec.discussion`.
  package var description: String
  package var options: [OptionSpec]
  package var positionals: [PositionalSpec]
  package var examples: [ExampleSpec]
  /// Environment variables the command reads: (name, meaning).
  package var environment: [(String, String)]
  package var seeAlso: [String]

  package init(
    name: String, summary: String, usage: [String], description: String,
    options: [OptionSpec], positionals: [PositionalSpec] = [], examples: [ExampleSpec] = [],
    environment: [(String, String)] = [], seeAlso: [String] = []
  ) {
    self.name = name
    self.summary = summary
    self.usage = usage
    self.description = description
    self.options = options + StandardOptions.always
    self.positionals = positionals
    self.examples = examples
    self.environment = environment
    self.seeAlso = seeAlso
  }

  package static func == (a: CommandSpec, b: CommandSpec) -> Bool {
    a.name == b.name && a.options == b.options && a.usage == b.usage
  }

  package func option(named long: String) -> OptionSpec? {
    options.first { $0.long == long }
  }

  package func option(short: Character) -> OptionSpec? {
    options.first { $0.short == short }
  }
}

/// The toolkit's version, printed by `--version`.
package let logkitVersion = "0.1.0"
