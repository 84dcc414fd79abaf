/*
 logwindow's run: lines in, window records out, on the shared RunFrame.
 Normal mode evaluates each record and feeds the engine; --merge feeds it
 partial records.
*/

import Glibc

package struct LogWindowRun {
  let options: ParsedOptions
  let settings: LogWindowSettings

  package init(_ options: ParsedOptions) throws(UsageError) {
    self.options = options
    settings = try LogWindowSettings(options)
  }

  package func run() throws -> ExitStatus {
    let frame = try RunFrame(LogWindowCommand.spec, options)
    let latePath = options.value("late")
    let lateSink = try latePath.map { path throws(IOError) in try OutputSink.create(path: path) }
    let state = settings.statePath.map {
      WindowStateKeeper(path: $0, every: settings.stateEvery, signature: settings.stateSignature, command: frame.name)
    }
    let parts = try makeParts(frame: frame, lateSink: lateSink, state: state)
    let (merger, lanes, reader, skipped) = (parts.merger, parts.lanes, parts.reader, parts.skipped)
    var onLine = parts.onLine
    var engine: WindowEngine? { parts.engine }
    if let state { onLine = state.checkpointing(frame, { engine }, onLine) }
    // On SIGINT/SIGTERM with --state the open windows stay in the state, for the next run.
    var keepOpen: Bool { state != nil && Signals.interrupted }
    return try frame.run(
      RunFrame.Hooks(
        onLine: onLine,
        onTick: { tick in
          guard case .idle = tick else { return }
          if let merger { try merger.idleTick() } else if lanes != nil { try frame.sink.flush() } else { try engine?.idleTick() }
          try state?.checkpointIfDue(frame, engine, idle: true)
        },
        finish: { if !keepOpen { try engine?.finish() } },
        close: {
          try lateSink?.close()
          try state?.save(frame, engine)
        },
        report: {
          state?.report(engine, interrupted: keepOpen)
          Self.report(lanes, skipped: skipped.count, name: frame.name, late: latePath)
          for warning in reader?.unseenFieldWarnings ?? [] { printError(frame.name, warning) }
          report(engine, merger: merger, name: frame.name, late: latePath)
        },
        statsCounts: {
          let written = lanes?.engines.reduce(0) { $0 + $1.output.records } ?? engine?.output.records ?? 0
          return "\(frame.lines) lines, \(frame.rejected) rejected, \(written) records written"
        },
        expects: settings.merge ? .partialRecords : .records))
  }

  /// What one run's mode (--merge, --producer-by, or plain) plugs into the frame.
  final class Parts {
    var engine: WindowEngine?
    var reader: RecordReader?
    var lanes: ProducerLanes?
    var merger: PartialMerger?
    let skipped = SkipCount()
    var onLine: (UnsafeRawBufferPointer) throws -> Void = { _ in }
  }

  private func makeParts(frame: RunFrame, lateSink: OutputSink?, state: WindowStateKeeper?) throws -> Parts {
    let parts = Parts()
    if settings.merge {
      let merger = PartialMerger(
        config: settings.config, partial: settings.partial, sink: frame.sink, lateSink: lateSink,
        expectedProducers: settings.expectedProducers, stamp: producerStamp())
      parts.merger = merger
      try state?.load(into: frame, engine: nil, merger: merger)
      if let state { merger.admit = state.admit }
      parts.engine = merger.engine
      let untilEnded = settings.untilEnded
      parts.onLine = { [unowned parts] line in
        if let reason = try merger.add(line) { try frame.reject(line, reason: reason) }
        parts.engine = merger.engine
        if untilEnded && merger.allEnded { throw RunFrame.Stop() }
      }
    } else if settings.producerBy != nil {
      let split = try makeLanes(sink: frame.sink, lateSink: lateSink)
      (parts.lanes, parts.reader, parts.onLine) = (split.lanes, split.reader, split.onLine(frame))
    } else {
      let windows = try makeEngine(sink: frame.sink, lateSink: lateSink, state: state)
      (parts.engine, parts.reader) = (windows.engine, windows.reader)
      try state?.load(into: frame, engine: windows.engine, merger: nil)
      parts.onLine = windows.onLine(frame)
      if let names = settings.inputPrefix {
        parts.onLine = Self.stripping(InputPrefix(names: names, producerBy: nil), frame, parts.skipped, parts.onLine)
      }
    }
    return parts
  }

  /// Notes on stderr at exit: duplicates, --max-groups and --max-windows, late events.
  private func report(_ engine: WindowEngine?, merger: PartialMerger?, name: String, late latePath: String?) {
    if let duplicates = merger?.producers.duplicates, duplicates > 0 {
      printError(name, "\(duplicates) partial records delivered again (same producer, run and seq) were dropped")
    }
    let noun = settings.merge ? "partial records" : "events"
    if let engine { Self.reportBounds(engine, name: name, noun: noun) }
    guard let summary = engine?.lateSummary(noun: noun, writtenTo: latePath) else { return }
    let remedy = "use --lateness DUR (or --lateness end for files out of time order)\(latePath == nil ? " or --late FILE" : "")"
    printError(name, "\(summary); \(remedy)")
  }

  /// The window engine and the per-line step of normal (not --merge) mode.
  private func makeEngine(sink: OutputSink, lateSink: OutputSink?, state: WindowStateKeeper?) throws
    -> (engine: WindowEngine, reader: RecordReader, onLine: (RunFrame) -> (UnsafeRawBufferPointer) throws -> Void)
  {
    let layout = AccumulatorLayout(settings.aggregates)
    let evaluator: RecordEvaluator
    do {
      evaluator = try RecordEvaluator(
        timeField: settings.timeField, filter: settings.filter, keys: settings.keys, layout: layout)
    } catch {
      throw UsageError(error)
    }
    let output = WindowOutput(
      sink: sink, keyNames: settings.keys.map(\.name), window: WindowDescription(kind: settings.config.kind),
      partial: settings.partial, markFinal: settings.config.earlyEvery != nil, producer: producerStamp())
    let windows = WindowEngine(config: settings.config, layout: layout, output: output, lateSink: lateSink)
    return (windows, evaluator.reader, { frame in
      { line in
        switch evaluator.evaluate(line) {
        case .ok:
          if let state, !state.admit(evaluator.time) { return }
          try windows.add(
            time: evaluator.time, key: evaluator.keyBuffer.contents, hash: evaluator.keyHash,
            inputs: evaluator.inputs, line: line)
        case .filtered: break
        case .invalid(let reason): try frame.reject(line, reason: reason)
        }
      }
    })
  }

  /// Notes on stderr when --max-groups or --max-windows changed the output.
  static func reportBounds(_ engine: WindowEngine, name: String, noun: String) {
    let folded = engine.groupOverflow
    if folded.events > 0 {
      let config = engine.config
      let place = folded.windows > 0 ? "in \(folded.windows) windows " : ""
      var what = "groups were in one window"
      if case .session = config.kind { what = "sessions were open" }
      printError(name, "\(folded.events) \(noun) \(place)went to the \"_other\" group: more than --max-groups \(config.maxGroups) \(what) (raise --max-groups)")
    }
    if engine.windowsClosedEarly > 0 {
      printError(name, "\(engine.windowsClosedEarly) windows were closed before the watermark passed them: more than --max-windows \(engine.config.maxWindows) were open at once (raise --max-windows)")
    }
  }

  /// The identity partial records carry (nil when this run writes final records).
  private func producerStamp() -> ProducerStamp? {
    guard settings.partial else { return nil }
    let identity = ProducerIdentity(name: settings.producerName ?? defaultProducerName(), run: settings.producerRun ?? wallClockMicros())
    return ProducerStamp(identity, now: monotonicMicros())
  }
}

/// `host:pid`, unique among live processes of a fleet whose hosts have distinct names.
func defaultProducerName() -> String {
  var name = [CChar](repeating: 0, count: 256)
  let host = gethostname(&name, name.count - 1) == 0 ? String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "host"
  return "\(host):\(getpid())"
}
