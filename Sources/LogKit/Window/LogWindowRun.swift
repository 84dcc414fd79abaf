/*
 logwindow's run loop: lines in, window records out. Normal mode evaluates
 each record and feeds the engine; --merge feeds it partial records.
*/

package struct LogWindowRun {
  let options: ParsedOptions
  let settings: LogWindowSettings

  package init(_ options: ParsedOptions) throws(UsageError) {
    self.options = options
    settings = try LogWindowSettings(options)
  }

  package func run() throws -> ExitStatus {
    let input = try LineInput(command: "logwindow", options: LineInputOptions(options))
    let sink = OutputSink(fd: 1, lineBuffered: options.flag("line-buffered") || isTerminal(1))
    let lateSink = try options.value("late").map { path throws(IOError) in try OutputSink.create(path: path) }
    let started = monotonicMicros()
    let engine: WindowEngine?
    if settings.merge {
      let merger = PartialMerger(settings: settings, sink: sink, lateSink: lateSink)
      try input.run(
        onLine: { line in
          if let reason = try merger.add(line) { try input.reject(line, reason: reason) }
        },
        onTick: { tick in
          if case .idle = tick { try merger.engine?.idleTick() ?? sink.flush() }
        })
      engine = merger.engine
    } else {
      let layout = AccumulatorLayout(settings.aggregates)
      let evaluator = try RecordEvaluator(
        timeField: settings.timeField, filter: settings.filter, keys: settings.keys, layout: layout)
      let output = WindowOutput(
        sink: sink, keyNames: settings.keys.map(\.name), window: WindowDescription(kind: settings.config.kind),
        partial: settings.partial, markFinal: settings.config.earlyEvery != nil)
      let windows = WindowEngine(config: settings.config, layout: layout, output: output, lateSink: lateSink)
      try input.run(
        onLine: { line in
          switch evaluator.evaluate(line) {
          case .ok:
            try windows.add(
              time: evaluator.time, key: evaluator.keyBuffer.contents, hash: evaluator.keyHash,
              inputs: evaluator.inputs, line: line)
          case .filtered: break
          case .invalid(let reason): try input.reject(line, reason: reason)
          }
        },
        onTick: { tick in
          if case .idle = tick { try windows.idleTick() }
        })
      engine = windows
    }
    try engine?.finish()
    try sink.flush()
    try lateSink?.close()
    try input.badInput.finish()
    input.badInput.summary(of: input.lines)
    if let engine, engine.lateEvents > 0 {
      printError("logwindow", "\(engine.lateEvents) late events \(lateSink == nil ? "dropped" : "written to \(options.value("late") ?? "")")")
    }
    if input.options.stats {
      RunStats.print(
        "logwindow",
        counts: "\(input.lines) lines, \(input.badInput.count) rejected, \(engine?.output.records ?? 0) records written",
        lines: input.lines, bytes: input.reader.bytesRead, micros: monotonicMicros() - started)
    }
    return .success
  }
}
