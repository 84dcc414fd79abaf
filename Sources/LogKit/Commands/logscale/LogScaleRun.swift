/*
 logscale's run loop: window records in, decisions out. Records with the
 same time are one evaluation, made when a later record arrives, when input
 has been quiet for --idle, and at end of input (also after SIGINT/SIGTERM,
 so nothing read is left unevaluated).
*/

package final class LogScaleRun {
  let options: ParsedOptions
  let settings: LogScaleSettings
  let engine: ScaleEngine
  let sink: OutputSink
  private var simulator: FleetSimulator?
  /// The replica count known outside --simulate: --replicas, then the last decision.
  private var current: Int
  private var changes = 0
  private var written = 0

  package init(_ options: ParsedOptions) throws(UsageError) {
    self.options = options
    settings = try LogScaleSettings(options)
    do {
      engine = try ScaleEngine(config: settings.config, definitions: settings.definitions, timeField: settings.timeField)
    } catch {
      throw UsageError("invalid --metric: \(error)")
    }
    sink = OutputSink(fd: 1, lineBuffered: options.flag("line-buffered") || isTerminal(1))
    current = settings.replicas
    if settings.simulate { simulator = FleetSimulator(replicas: settings.replicas, startupDelay: settings.startupDelay) }
  }

  package func run() throws -> ExitStatus {
    let input = try LineInput(command: "logscale", options: LineInputOptions(options))
    input.liveOutput = sink
    let started = monotonicMicros()
    // Idle ticks since the last line (a tick is input.idleMilliseconds of quiet; no clock read per line).
    var quietTicks: Int64 = 0
    let ticksForIdle = Swift.max(1, settings.idle / (Int64(input.idleMilliseconds) * 1000))
    try input.run(
      onLine: { line in
        quietTicks = 0
        let place: ScaleRecordPlace
        do { place = try engine.read(line) } catch {
          try input.reject(line, reason: "\(error)")
          return
        }
        switch place {
        case .late(let reason): try input.reject(line, reason: reason)
        case .newGroup:
          try evaluate()
          engine.addRecord()
        case .sameGroup: engine.addRecord()
        }
      },
      onTick: { tick in
        guard case .idle = tick else { return }
        quietTicks += 1
        if engine.hasOpenGroup, quietTicks >= ticksForIdle { try evaluate() }
      })
    try evaluate()
    try sink.flush()
    try input.badInput.finish()
    input.badInput.summary(of: input.lines)
    if input.options.stats {
      RunStats.print(
        "logscale",
        counts: "\(input.lines) lines, \(input.badInput.count) rejected, \(engine.evaluations) evaluations, \(changes) changes, \(written) decisions written",
        lines: input.lines, bytes: input.reader.bytesRead, micros: monotonicMicros() - started)
    }
    return .success
  }

  /// Evaluates the open group (if any), writes the decision and applies it.
  private func evaluate() throws {
    guard let time = engine.groupTime else { return }
    var ready = current
    if simulator != nil {
      simulator?.advance(to: time)  // in place: a copy would copy the starting list
      current = simulator?.total ?? current
      ready = simulator?.ready ?? current
    }
    guard let decision = engine.evaluate(current: current, ready: ready) else { return }
    if decision.changed { changes += 1 }
    if decision.changed || settings.all {
      try decision.write(to: sink, config: engine.config, includeReady: settings.simulate)
      written += 1
    }
    current = decision.to
    simulator?.scale(to: decision.to, at: decision.time)
  }
}
