/*
 `--help` text rendered from a CommandSpec.

 Layout: name and version, then the summary; usage lines; the description wrapped at
 79 columns; options grouped under their category headings (in the order the
 categories first appear in the table) with the summary in a common column
 and the default appended; positional arguments; examples; the exit statuses.
 Hidden options are left out.
*/

package enum HelpRenderer {
  /// Widest option names (`-f, --format FORMAT`) that still share a line
  /// with their summary; longer ones put the summary on the next line.
  static let maxNamesWidth = 24

  package static let exitStatusLine = "Exit status: 0 ok, 1 runtime failure, 2 usage error, 128+N ended by signal N"

  package static func render(_ spec: CommandSpec) -> String {
    var lines = ["\(spec.name) \(logkitVersion)"]
    lines += DocText.wrap(spec.summary.split(separator: " ").map(String.init), first: "", rest: "")
    lines += ["", "Usage:"]
    for usage in spec.usage { lines.append("  \(spec.name) \(usage)") }
    for block in DocText.blocks(spec.description) {
      lines.append("")
      switch block {
      case .paragraph(let words): lines += DocText.wrap(words, first: "", rest: "")
      case .preformatted(let text): lines += text.map { "  " + $0 }
      }
    }
    let column = summaryColumn(spec)
    for (category, options) in categories(spec) {
      lines += ["", "\(category):"]
      for option in options {
        var words = option.summary.split(separator: " ").map(String.init)
        if case .choices(let values) = option.completion {
          words += ("[values: " + values.joined(separator: ", ") + "]").split(separator: " ").map(String.init)
        }
        if let value = option.defaultValue { words.append("[default: \(value)]") }
        lines += entry(names(option), words, column: column)
      }
    }
    if !spec.positionals.isEmpty {
      lines += ["", "Arguments:"]
      for positional in spec.positionals {
        lines += entry(positionalName(positional), positional.summary.split(separator: " ").map(String.init), column: column)
      }
    }
    if !spec.examples.isEmpty {
      lines += ["", "Examples:"]
      for example in spec.examples {
        lines += DocText.wrap(example.explanation.split(separator: " ").map(String.init), first: "  ", rest: "  ")
        lines.append("    $ \(example.command)")
      }
    }
    lines += ["", exitStatusLine]
    return lines.map(trimTrailingSpaces).joined(separator: "\n") + "\n"
  }

  /// The column where option and argument summaries start in this spec's help.
  package static func summaryColumn(_ spec: CommandSpec) -> Int {
    let widths = spec.options.filter { !$0.hidden }.map { names($0).count }
      + spec.positionals.map { positionalName($0).count }
    let widest = widths.filter { $0 <= maxNamesWidth }.max() ?? maxNamesWidth
    return 2 + widest + 2
  }

  /// `-f, --format FORMAT`, or `    --strict` (aligned with short forms).
  package static func names(_ option: OptionSpec) -> String {
    var text = option.short.map { "-\($0), " } ?? "    "
    text += "--\(option.long)"
    if let value = option.valueName { text += " \(value)" }
    return text
  }

  /// Visible options grouped by category, categories in order of first appearance.
  package static func categories(_ spec: CommandSpec) -> [(String, [OptionSpec])] {
    var groups: [(String, [OptionSpec])] = []
    for option in spec.options where !option.hidden {
      if let index = groups.firstIndex(where: { $0.0 == option.category }) {
        groups[index].1.append(option)
      } else {
        groups.append((option.category, [option]))
      }
    }
    return groups
  }

  static func positionalName(_ positional: PositionalSpec) -> String {
    positional.repeatable ? "\(positional.name)..." : positional.name
  }

  /// One option or argument: names, then the wrapped summary in `column`.
  private static func entry(_ names: String, _ words: [String], column: Int) -> [String] {
    let indent = String(repeating: " ", count: column)
    let head = "  " + names
    if head.count + 2 <= column {
      return DocText.wrap(words, first: DocText.pad(head, to: column), rest: indent)
    }
    return [head] + DocText.wrap(words, first: indent, rest: indent)
  }

  private static func trimTrailingSpaces(_ line: String) -> String {
    var line = Substring(line)
    while line.last == " " { line = line.dropLast() }
    return String(line)
  }
}
