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

  package init(_ options: ParsedOptions) throws {
    self.options = options
    settings = try LogAlertSettings(options)
  }

  package func run() throws -> ExitStatus {
    if settings.check {
      for rule in settings.config.rules { writeStdout(Self.describe(rule) + "\n", command: LogAlertCommand.spec.name) }
      return .success
    }
    let frame = try RunFrame(LogAlertCommand.spec, options)
    let sink = frame.sink
    let flushEach = !settings.config.emitAll
    let actions = settings.exec.map { ProgramActions(command: frame.name, argv: $0, policy: settings.actionPolicy) }
    let engine: AlertEngine
    do {
      engine = try AlertEngine(config: settings.config) { event in
        event.write(to: sink)
        try sink.endRecord()
        if flushEach { try sink.flush() }
        if let actions, event.notifies { LogAlertActions.submit(event, to: actions) }
      }
    } catch {
      throw UsageError("invalid rule: \(error)")
    }
    let idleClock = IdleClock(idle: settings.idle)
    let keeper = settings.statePath.map { AlertStateKeeper(path: $0, every: settings.stateEvery, command: frame.name) }
    try keeper?.load(into: engine)
    return try frame.run(
      RunFrame.Hooks(
        onLine: { line in
          do throws(RecordReadFailure) { try engine.reader.read(line) } catch {
            try frame.reject(line, reason: error.description)
            return
          }
          if let keeper, try !keeper.admit(engine, sink: sink) { return }
          try engine.process()
          idleClock.recordArrived()
          actions?.lineRead()
        },
        onTick: { tick in
          actions?.tick()
          if case .idle = tick, let t = idleClock.quiet(eventTime: engine.now) { try engine.advance(to: t) }
        },
        finish: { try engine.finish() },
        close: {
          try keeper?.save(engine)
          actions?.finish()
        },
        report: {
          keeper?.report()
          Self.reportUnused(engine, name: frame.name)
        },
        statsCounts: {
          let keys = engine.keyCounts
          return "\(frame.lines) lines, \(frame.rejected) rejected, \(engine.evaluations) evaluations, "
            + "\(engine.events) events, \(keys.tracked) keys (\(keys.evicted) evicted)"
        }))
  }

  /// Fields the rules read that no record had, and keys dropped for --max-keys.
  private static func reportUnused(_ engine: AlertEngine, name: String) {
    for missing in engine.neverSeenFields {
      if missing.suggestion == missing.field {
        printError(name, "rule '\(missing.rule)': field '\(missing.field)' was null in every input record")
      } else {
        let hint = missing.suggestion.map { "; did you mean '\($0)'?" } ?? ""
        printError(name, "rule '\(missing.rule)': field '\(missing.field)' was in no input record\(hint)")
      }
    }
    let counts = engine.keyCounts, limit = engine.config.maxKeys
    if counts.evicted > 0 {
      printError(name, "\(counts.evicted) inactive keys evicted, losing their detector baselines: more than --max-keys \(limit) keys in a rule (raise --max-keys)")
    }
    if counts.dropped > 0 {
      printError(name, "\(counts.dropped) evaluations of new keys dropped: every tracked instance was pending or firing (--max-keys \(limit); raise --max-keys)")
    }
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
