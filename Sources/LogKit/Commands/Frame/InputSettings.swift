/*
 StandardOptions.input turned into the IO layer's LineInputOptions.
*/

extension LineInputOptions {
  /// The input options of a command line; `paths` overrides the positional FILEs.
  package init(_ options: ParsedOptions, paths: [String]? = nil) throws(UsageError) {
    let maxLine = try options.size("max-line") ?? (1 << 20)
    guard maxLine > 0 else { throw UsageError("--max-line must be positive") }
    let maxErrors = try options.int("max-errors", min: 1)
    self.init(
      paths: paths ?? (options.positionals.isEmpty ? ["-"] : options.positionals),
      maxLine: maxLine, rejectsPath: options.value("rejects"),
      errorLimit: options.flag("strict") ? 1 : maxErrors,
      stats: options.flag("stats"),
      progress: !options.flag("no-progress") && isTerminal(2))
  }
}
