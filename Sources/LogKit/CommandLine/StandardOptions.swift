/*
 Options that several commands share, declared once.
*/

package enum StandardOptions {
  /// Present on every command.
  package static let always: [OptionSpec] = [
    OptionSpec("help", short: "h", category: "General", summary: "Print help and exit"),
    OptionSpec("version", short: "V", category: "General", summary: "Print the version and exit"),
    OptionSpec(
      "generate", value: "WHAT", category: "General",
      summary: "Print the man page or a completion script (man, complete-bash, complete-zsh, complete-fish)",
      hidden: true, completion: .choices(["man", "complete-bash", "complete-zsh", "complete-fish"])),
  ]

  /// Line-oriented input handling.
  package static let input: [OptionSpec] = [
    OptionSpec(
      "max-line", value: "SIZE", category: "Input",
      summary: "Reject input lines longer than SIZE bytes",
      discussion: "A longer line is skipped in constant memory and counted as bad input; --rejects keeps its first SIZE bytes. Sizes accept k, M and G suffixes.",
      defaultValue: "1M"),
    OptionSpec(
      "rejects", value: "FILE", category: "Input",
      summary: "Write every rejected input line, verbatim, to FILE",
      discussion: "One line per rejected line, in input order. A line rejected for exceeding --max-line is kept as its first --max-line bytes (the rest is not stored)."),
    OptionSpec(
      "strict", category: "Input",
      summary: "Exit with status 1 at the first bad input line"),
    OptionSpec(
      "max-errors", value: "N", category: "Input",
      summary: "Exit with status 1 after N bad input lines"),
    OptionSpec(
      "stats", category: "Input",
      summary: "Print counts and throughput on stderr at exit"),
    OptionSpec(
      "no-progress", category: "Input",
      summary: "Do not show progress on a terminal during long runs"),
  ]

  /// Output buffering.
  package static let output: [OptionSpec] = [
    OptionSpec(
      "line-buffered", category: "Output",
      summary: "Flush output after every record",
      discussion: "Output is otherwise block-buffered and flushed when input has been idle for about 50 ms, so `tail -f access.log | logparse | ...` stays live either way. Use this when a consumer needs every record as soon as it is written."),
  ]

  /// Output buffering of a command that reads no input (loggen).
  package static let generatorOutput: [OptionSpec] = [
    OptionSpec(
      "line-buffered", category: "Output",
      summary: "Flush output after every line",
      discussion: "Output is otherwise block-buffered: a paced run (the real clock at a --rate, or --speedup) flushes whenever it waits for the next line's time, so it stays live; an unpaced run (--rate max, or --start without --speedup) writes large blocks. Use this when a consumer needs every line as soon as it is written."),
  ]
}
