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
      progress: !options.flag("no-progress") && isTerminal(2),
      follow: try Self.follow(options))
  }

  /// `--follow` and its companions (nil without --follow; commands without the options never follow).
  static func follow(_ options: ParsedOptions) throws(UsageError) -> FollowOptions? {
    guard options.declares("follow") else { return nil }
    let offsets = options.declares("offsets") ? options.value("offsets") : nil
    guard options.flag("follow") else {
      for name in ["from-start", "from-end"] where options.flag(name) { throw UsageError("--\(name) needs --follow") }
      if offsets != nil { throw UsageError("--offsets needs --follow") }
      return nil
    }
    if options.positionals.isEmpty { throw UsageError("--follow needs FILE arguments (files, FIFOs or quoted globs)") }
    if options.positionals.contains("-") { throw UsageError("--follow reads files, FIFOs and globs, not standard input (-)") }
    if options.flag("from-start") && options.flag("from-end") { throw UsageError("--from-start and --from-end exclude each other") }
    // Without saved offsets a live view starts at the end (tail -F); a shipper (--offsets) or a
    // resumable stage (--state, which keeps the positions) must not skip.
    let resumes = offsets != nil || (options.declares("state") && options.value("state") != nil)
    let fromStart = options.flag("from-start") || (resumes && !options.flag("from-end"))
    return FollowOptions(offsetsPath: offsets, fromStart: fromStart)
  }
}
