/*
 logalert's run loop: window records in, alert events out. Bad lines
 (invalid JSON, no time field) are counted, reported and kept with
 --rejects, as in every command. Events are flushed as they are written,
 except with --all, where the input loop's idle tick and trickle flush keep
 the output live. With --inhibit or --group-by, events go through an
 AlertDispatcher, told when a time is complete (a record opens a later one,
 before a --state checkpoint can cover it), when input pauses, and at the end.
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
      for line in Self.describeNoiseControl(settings) { writeStdout(line + "\n", command: LogAlertCommand.spec.name) }
      return .success
    }
    let frame = try RunFrame(LogAlertCommand.spec, options)
    let sink = frame.sink
    let flushEach = !settings.config.emitAll
    let actions = settings.exec.map { ProgramActions(command: frame.name, argv: $0, policy: settings.actionPolicy) }
    let dispatcher = settings.dispatches ? makeDispatcher(sink: sink, flushEach: flushEach, actions: actions) : nil
    let engine = try makeEngine(sink: sink, flushEach: flushEach, actions: actions, dispatcher: dispatcher)
    let idleClock = IdleClock(idle: settings.idle)
    let keeper = settings.statePath.map { AlertStateKeeper(path: $0, every: settings.stateEvery, command: frame.name, archive: frame.archive) }
    try keeper?.load(into: engine)
    dispatcher?.restoreFiring(engine.firingInstances)
    return try frame.run(
      RunFrame.Hooks(
        onLine: { line in
          do throws(RecordReadFailure) { try engine.reader.read(line) } catch {
            try frame.reject(line, reason: error.description)
            return
          }
          // A new time completes the previous one: its held events and due groups go out first.
          if let dispatcher, engine.reader.time > engine.now, engine.now != Int64.min {
            try engine.closeTime()
            try dispatcher.advance(to: engine.reader.time)
          }
          if let keeper, try !keeper.admit(engine, sink: sink) { return }
          try engine.process()
          idleClock.recordArrived()
          actions?.lineRead()
        },
        onTick: { tick in
          actions?.tick()
          guard case .idle = tick else { return }
          if let t = idleClock.quiet(eventTime: engine.now) { try engine.advance(to: t) }
          if engine.now != Int64.min { try dispatcher?.quiet(now: engine.now) }
        },
        finish: {
          try engine.finish()
          try dispatcher?.finish(now: engine.now)
        },
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
            + (dispatcher.map { ", \($0.muted) inhibited, \($0.notifications) group notifications" } ?? "")
        }))
  }

  /// Events written (and flushed unless --all) and notified as they come, or through the dispatcher.
  private func makeEngine(sink: OutputSink, flushEach: Bool, actions: ProgramActions?, dispatcher: AlertDispatcher?) throws -> AlertEngine {
    do {
      return try AlertEngine(config: settings.config) { event in
        if let dispatcher { return try dispatcher.receive(event) }
        event.write(to: sink)
        try sink.endRecord()
        if flushEach { try sink.flush() }
        if let actions, event.notifies { LogAlertActions.submit(event, to: actions) }
      }
    } catch {
      throw UsageError("invalid rule: \(error)")
    }
  }

  /// --inhibit / --group-by: events written (and flushed) as without them, actions per event or per group.
  private func makeDispatcher(sink: OutputSink, flushEach: Bool, actions: ProgramActions?) -> AlertDispatcher {
    let writeNotifications = settings.writeNotifications
    return AlertDispatcher(
      inhibit: settings.inhibit, grouping: settings.grouping,
      outputs: AlertDispatcher.Outputs(
        write: { event in
          event.write(to: sink)
          try sink.endRecord()
          if flushEach { try sink.flush() }
        },
        notify: { event in
          if let actions { LogAlertActions.submit(event, to: actions) }
        },
        notifyGroup: { notification in
          if writeNotifications {
            notification.write(to: sink)
            try sink.endRecord()
            if flushEach { try sink.flush() }
          }
          if let actions { LogAlertActions.submitGroup(notification, to: actions) }
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

  /// --check: each --inhibit and --group-by as understood, with the timings that apply.
  static func describeNoiseControl(_ settings: LogAlertSettings) -> [String] {
    var lines: [String] = []
    for rule in settings.inhibit {
      let equal = rule.equal.isEmpty ? "" : " equal " + rule.equal.joined(separator: ",")
      lines.append("--inhibit \(rule.sources.joined(separator: ",")) => \(rule.targets.joined(separator: ","))\(equal)")
    }
    let grouping = settings.grouping
    for spec in grouping.specs {
      let rules = spec.rules.map { $0.joined(separator: ",") + ": " } ?? ""
      let fields = spec.fields?.joined(separator: ",") ?? "..."
      let wait = formatDuration(spec.wait ?? grouping.wait), interval = formatDuration(spec.interval ?? grouping.interval)
      lines.append("--group-by \(rules)\(fields) wait \(wait) interval \(interval)")
    }
    return lines
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
