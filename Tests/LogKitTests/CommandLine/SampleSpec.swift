/*
 A small synthetic command spec with every kind of option the renderers and
 the parser handle: switches and values, short and long names, choices, files,
 directories, repeatable and hidden options, several categories, text that
 needs roff escaping, positionals, examples and environment variables.
*/
@testable import LogKit

enum SampleSpec {
  static let spec = CommandSpec(
    name: "sample",
    summary: "Exercise the command-line renderers",
    usage: ["[OPTIONS] [FILE...]", "--merge DIR"],
    description: """
      Reads records from each FILE (or standard input when there is none or FILE is `-`) \
      and writes them back. This sentence is long on purpose, so that the help text has to wrap it \
      over more than one line at seventy-nine columns.

      .A line that starts with a dot, and a backslash \\ and a 'quote'.

        sample --format json access.log | head -n 1
        'quoted start
      """,
    options: [
      OptionSpec(
        "format", short: "f", value: "FORMAT", category: "Input", summary: "Input format",
        discussion: "One of the formats below.\n\n.dot starts this paragraph", defaultValue: "combined",
        completion: .choices(["combined", "common", "json"])),
      OptionSpec("rejects", value: "FILE", category: "Input", summary: "Write rejected lines to FILE"),
      OptionSpec("strict", category: "Input", summary: "Exit with status 1 at the first bad line"),
      OptionSpec("window", short: "w", value: "DURATION", category: "Windows", summary: "Window length", defaultValue: "1m"),
      OptionSpec(
        "include", short: "i", value: "PATTERN", category: "Windows", summary: "Keep only matching paths [a-z]: see below",
        repeatable: true),
      OptionSpec("merge", value: "DIR", category: "Windows", summary: "Merge partial states from DIR", completion: .directory),
      OptionSpec("verbose", short: "v", category: "Output", summary: "Say more, with 'quotes' and \"double\" ones"),
      OptionSpec("quiet", short: "q", category: "Output", summary: "Say less"),
      OptionSpec("line-buffered", category: "Output", summary: "Flush output after every record"),
      OptionSpec("secret-hook", value: "X", category: "Output", summary: "A test hook nobody should see", hidden: true),
    ],
    positionals: [PositionalSpec("FILE", summary: "Input files; - is standard input", repeatable: true)],
    examples: [
      ExampleSpec("sample -f json access.log | head -n 1", "Print the first record of a JSON log."),
      ExampleSpec("sample --window=5m --include '/api/*' a.log b.log", "Five-minute windows over two logs."),
    ],
    environment: [("SAMPLE_COLOR", "Set to `never` to turn colour off.")],
    seeAlso: ["jq(1)"])
}
