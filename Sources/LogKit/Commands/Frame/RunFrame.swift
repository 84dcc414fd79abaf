/*
 The run frame every command that reads lines or records shares: the output
 sink (block-buffered, or line-buffered on a terminal or with
 --line-buffered), the inputs with idle ticks, bad-input accounting with
 --strict/--max-errors, and one finish order:

   1. the command's `finish` (emit what is still open),
   2. flush the output,
   3. the command's `close` (other outputs: --late, state files),
   4. close the rejects file, print the bad-input summary and, for an input
      whose every non-empty line was rejected, what it looks like (exit 1),
   5. the command's `report` (late events, unseen fields...),
   6. --stats.

 The finish runs too when --strict or --max-errors stops the input, so what
 was computed before the bad line is written before exit 1. A command is its
 hooks; it has no loop of its own.
*/

package final class RunFrame {
  package let name: String
  package let sink: OutputSink
  package let input: any LineSource
  package let inputOptions: LineInputOptions
  /// `--split-by-time`: the sink's lines go into it instead of standard output.
  package let archive: ArchiveWriter?
  private let started = monotonicMicros()
  private var inputEnded: Int64?
  /// True when a hook ended the input early by throwing `Stop` (a user's `q`).
  package private(set) var stopped = false

  /// Thrown by a hook to end the input early; the finish order runs as at end of input.
  package struct Stop: Error {
    package init() {}
  }

  /// What a command plugs into the frame.
  package struct Hooks {
    /// One input line (without its newline).
    package var onLine: (UnsafeRawBufferPointer) throws -> Void
    /// Idle input and end of each input file.
    package var onTick: (InputTick) throws -> Void = { _ in }
    /// End of input: emit what is still open (the input's throughput for --stats is measured before it).
    package var finish: () throws -> Void = {}
    /// After the output is flushed: close other outputs.
    package var close: () throws -> Void = {}
    /// After the bad-input summary: the command's own end-of-run messages.
    package var report: () -> Void = {}
    /// The counts --stats prints before the throughput ("N lines, M records written").
    package var statsCounts: () -> String
    /// What the input should be, for the hint when an input is rejected entirely.
    package var expects: ExpectedInput

    package init(
      onLine: @escaping (UnsafeRawBufferPointer) throws -> Void,
      onTick: @escaping (InputTick) throws -> Void = { _ in },
      finish: @escaping () throws -> Void = {},
      close: @escaping () throws -> Void = {},
      report: @escaping () -> Void = {},
      statsCounts: @escaping () -> String,
      expects: ExpectedInput = .records
    ) {
      self.onLine = onLine
      self.onTick = onTick
      self.finish = finish
      self.close = close
      self.report = report
      self.statsCounts = statsCounts
      self.expects = expects
    }
  }

  /// Opens the inputs (the positional FILEs, or `paths`) and the output.
  /// `showProgress` false keeps the progress line off (a full-screen terminal display).
  package init(_ spec: CommandSpec, _ options: ParsedOptions, paths: [String]? = nil, showProgress: Bool = true) throws {
    name = spec.name
    var inputOptions = try LineInputOptions(options, paths: paths)
    inputOptions.progress = inputOptions.progress && showProgress
    self.inputOptions = inputOptions
    let lineBuffered = options.declares("line-buffered") && options.flag("line-buffered")
    archive = try ArchiveOptions.writer(command: spec.name, options)
    if let archive {
      sink = OutputSink(fd: -1, path: archive.root.isEmpty ? "." : archive.root, lineBuffered: lineBuffered)
      sink.downstream = archive
    } else {
      sink = try Self.output(path: nil, lineBuffered: lineBuffered)
    }
    if let follow = inputOptions.follow {
      input = try FollowInput(
        command: spec.name, patterns: inputOptions.paths, options: follow, maxLine: inputOptions.maxLine,
        rejectsPath: inputOptions.rejectsPath, errorLimit: inputOptions.errorLimit)
    } else if wantsConcurrentInputs(inputOptions.paths) {
      input = try MultiLineInput(command: spec.name, options: inputOptions)
    } else {
      input = try LineInput(command: spec.name, options: inputOptions)
    }
    input.liveOutput = sink
    if let archive, let follow = input as? FollowInput, follow.options.offsetsPath != nil {
      // The archive's open files go into the offsets file, taken at its checkpoints.
      follow.archiveSection = { try archive.checkpointSection() }
      try archive.start(manifest: follow.savedArchive ?? ArchiveManifest(entries: []))
    }
    // A resuming run (--offsets, --state) killed mid-record left a partial line: keep the next record off it.
    let resumes = inputOptions.follow?.offsetsPath != nil || (options.declares("state") && options.value("state") != nil)
    if resumes && endsMidLine(fd: sink.fd) { sink.append(0x0A) }
  }

  /// The command's output: standard output (line-buffered on a terminal) or a file.
  package static func output(path: String?, lineBuffered: Bool) throws(IOError) -> OutputSink {
    guard let path else { return OutputSink(fd: 1, lineBuffered: lineBuffered || isTerminal(1)) }
    let sink = try OutputSink.create(path: path)
    sink.lineBuffered = lineBuffered
    return sink
  }

  /// Lines read so far, rejected ones included.
  package var lines: Int { input.lines }
  /// Index among the inputs of the one the current line came from.
  package var source: Int { input.source }
  /// Bad input lines so far.
  package var rejected: Int { input.badInput.count }

  /// Rejects the current line: counted, reported with its file and line, kept with --rejects.
  package func reject(_ line: UnsafeRawBufferPointer, reason: String) throws {
    try input.reject(line, reason: reason)
  }

  /// Runs the input loop and the finish order; returns the exit status.
  package func run(_ hooks: Hooks) throws -> ExitStatus {
    // Without a checkpoint (--offsets, --state) the archive recovers what an earlier run left.
    try archive?.start(manifest: nil)
    do {
      try input.run(onLine: hooks.onLine, onTick: hooks.onTick)
    } catch is Stop {
      stopped = true
    } catch let limit as BadInputLimit {
      inputEnded = monotonicMicros()
      try finish(hooks)
      throw limit
    }
    inputEnded = monotonicMicros()
    return try finish(hooks) ? .failure : .success
  }

  /// The finish order; true when an input was rejected entirely (exit 1).
  @discardableResult
  private func finish(_ hooks: Hooks) throws -> Bool {
    try hooks.finish()
    try sink.flush()
    // Every archive file is due now: closed at the exit checkpoint, or here without one.
    try archive?.endOfInput()
    // Offsets of --follow cover only what was written out: saved after the flush.
    try (input as? FollowInput)?.writeOffsets()
    try hooks.close()
    try archive?.closeAll()
    try input.badInput.finish()
    input.badInput.summary(of: input.lines)
    let whollyRejected = reportWhollyRejected(expects: hooks.expects)
    archive?.report()
    hooks.report()
    if inputOptions.stats {
      RunStats.print(
        name, counts: hooks.statsCounts(), lines: input.lines, bytes: input.bytesRead,
        micros: (inputEnded ?? monotonicMicros()) - started)
    }
    return whollyRejected
  }
}
