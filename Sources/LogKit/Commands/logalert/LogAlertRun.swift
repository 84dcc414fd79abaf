/*
 logalert's run loop: window records in, alert events out. Bad lines
 (invalid JSON, no time field) are counted, reported and kept with
 --rejects, as in every command. Events are flushed as they are written,
 except with --all, where the input loop's idle tick and trickle flush keep
 the output live.
*/

package struct LogAlertRun {
  let options: ParsedOptions
  let settings: LogAlertSettings

  package init(_ options: ParsedOptions) throws(UsageError) {
    self.options = options
    settings = try LogAlertSettings(options)
  }

  package func run() throws -> ExitStatus {
    if settings.check {
      for rule in settings.config.rules { writeStdout(Self.describe(rule) + "\n") }
      return .success
    }
    let input = try LineInput(command: "logalert", options: LineInputOptions(options))
    let sink = OutputSink(fd: 1, lineBuffered: options.flag("line-buffered") || isTerminal(1))
    input.liveOutput = sink
    let flushEach = !settings.config.emitAll
    let started = monotonicMicros()
    let engine: AlertEngine
    do {
      engine = try AlertEngine(config: settings.config) { event in
        event.write(to: sink)
        try sink.endRecord()
        if flushEach { try sink.flush() }
      }
    } catch {
      throw UsageError("invalid rule: \(error)")
    }
    try input.run(
      onLine: { line in
        do throws(RecordReadFailure) { try engine.reader.read(line) } catch {
          try input.reject(line, reason: error.description)
          return
        }
        try engine.process()
      },
      onTick: { tick in
        if case .idle = tick { try sink.flush() }
      })
    try engine.finish()
    try sink.flush()
    try input.badInput.finish()
    input.badInput.summary(of: input.lines)
    for missing in engine.neverSeenFields {
      if missing.suggestion == missing.field {
        printError("logalert", "rule '\(missing.rule)': field '\(missing.field)' was null in every input record")
      } else {
        let hint = missing.suggestion.map { "; did you mean '\($0)'?" } ?? ""
        printError("logalert", "rule '\(missing.rule)': field '\(missing.field)' was in no input record\(hint)")
      }
    }
    let keys = engine.keyCounts
    if keys.dropped > 0 {
      printError("logalert", "\(keys.dropped) evaluations of new keys dropped: every tracked instance was pending or firing (--max-keys)")
    }
    if input.options.stats {
      RunStats.print(
        "logalert",
        counts: "\(input.lines) lines, \(input.badInput.count) rejected, \(engine.evaluations) evaluations, \(engine.events) events, \(keys.tracked) keys (\(keys.evicted) evicted)",
        lines: input.lines, bytes: input.reader.bytesRead, micros: monotonicMicros() - started)
    }
    return .success
  }

  /// One line per rule for --check: the parsed form.
  static func describe(_ rule: AlertRule) -> String {
    var text = "\(rule.name): \(rule.conditionText)"
    if rule.forDuration > 0 { text += " for \(formatDuration(rule.forDuration))" }
    if rule.keep > 0 { text += " keep \(formatDuration(rule.keep))" }
    text += " by " + (rule.by.map { $0.map { $0.joined(separator: ".") }.joined(separator: ",") } ?? "(string fields)")
    if let resolve = rule.resolveText { text += " resolve \(resolve)" }
    if let summary = rule.summary { text += " summary \"\(summary)\"" }
    if !rule.detectors.isEmpty { text += "  [detectors: \(rule.detectors.map(\.text).joined(separator: ", "))]" }
    return text
  }
}
