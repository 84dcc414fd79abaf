/*
 logscale's run, on the shared RunFrame: window records in, decisions out.
 Records with the same time are one evaluation, made when a later record
 arrives, when input has been quiet for --idle, and at end of input (also
 after SIGINT/SIGTERM, so nothing read is left unevaluated).
*/

package final class LogScaleRun {
  let options: ParsedOptions
  let settings: LogScaleSettings
  let engine: ScaleEngine
  private var sink: OutputSink?
  /// The run's frame (its archive's manifest goes into --state).
  private var frame: RunFrame?
  private var simulator: FleetSimulator?
  /// The replica count known outside --simulate: --replicas, then the last decision.
  private var current: Int
  private var changes = 0
  private var written = 0
  /// When --state was last written (monotonic), and whether decisions came since.
  private var stateSaved: Int64 = 0
  private var stateDirty = false
  private let actuation: ScaleActuation
  static let stateKind = "logscale"
  static let stateVersion = 1

  package init(_ options: ParsedOptions) throws(UsageError) {
    self.options = options
    settings = try LogScaleSettings(options)
    do {
      engine = try ScaleEngine(config: settings.config, definitions: settings.definitions, timeField: settings.timeField)
    } catch {
      throw UsageError("invalid --metric: \(error)")
    }
    current = settings.replicas
    actuation = ScaleActuation(command: LogScaleCommand.spec.name, settings: settings)
    if settings.simulate { simulator = FleetSimulator(replicas: settings.replicas, startupDelay: settings.startupDelay) }
  }

  package func run() throws -> ExitStatus {
    let frame = try RunFrame(LogScaleCommand.spec, options)
    self.frame = frame
    sink = frame.sink
    try loadState()
    actuation.revert = { [unowned self] from, to, time in
      self.current = from
      self.engine.forgetScale(from: from, to: to, at: time)
      self.stateDirty = self.settings.statePath != nil
    }
    // Idle ticks since the last line (a tick is input.idleMilliseconds of quiet; no clock read per line).
    var quietTicks: Int64 = 0
    let ticksForIdle = Swift.max(1, settings.idle / (Int64(frame.input.idleMilliseconds) * 1000))
    return try frame.run(
      RunFrame.Hooks(
        onLine: { [engine, actuation] line in
          quietTicks = 0
          actuation.lineRead()
          let place: ScaleRecordPlace
          do { place = try engine.read(line) } catch {
            try frame.reject(line, reason: "\(error)")
            return
          }
          switch place {
          case .late(let reason): try frame.reject(line, reason: reason)
          case .newGroup:
            try self.evaluate()
            engine.addRecord()
          case .sameGroup: engine.addRecord()
          }
        },
        onTick: { tick in
          self.actuation.tick()
          guard case .idle = tick else { return }
          quietTicks += 1
          if self.engine.hasOpenGroup, quietTicks >= ticksForIdle { try self.evaluate() }
        },
        finish: { try self.evaluate() },
        close: {
          self.actuation.finish()
          if self.stateDirty || (self.settings.statePath != nil && frame.archive?.needsCheckpoint == true) { try self.saveState() }
        },
        statsCounts: {
          "\(frame.lines) lines, \(frame.rejected) rejected, \(self.engine.evaluations) evaluations, \(self.changes) changes, \(self.written) decisions written"
        }))
  }

  /// Evaluates the open group (if any), writes the decision and applies it.
  private func evaluate() throws {
    guard let time = engine.groupTime else { return }
    var ready = current
    if simulator != nil {
      simulator?.advance(to: time)  // in place: a copy would copy the starting list
      current = simulator?.total ?? current
      ready = simulator?.ready ?? current
    } else if let read = actuation.readCurrent(known: current) {
      current = read
      ready = read
    }
    guard let decision = engine.evaluate(current: current, ready: ready) else { return }
    if decision.changed { changes += 1 }
    if let sink, decision.changed || settings.all {
      try decision.write(to: sink, config: engine.config, includeReady: settings.simulate)
      written += 1
    }
    current = decision.to
    simulator?.scale(to: decision.to, at: decision.time)
    if decision.changed && settings.exec != nil && !settings.dryRun {
      let json = OutputSink(fd: -1)
      try decision.write(to: json, config: engine.config, includeReady: false)
      actuation.apply(decision, json: json.withPendingBytes { Array($0) })
    }
    stateDirty = settings.statePath != nil
    if stateDirty, monotonicMicros() - stateSaved >= settings.stateEvery {
      try sink?.flush()  // the state never covers a decision that is not yet written
      try saveState()
    }
  }

  /// --state: continue from the saved replicas and history (a missing file starts fresh).
  private func loadState() throws {
    guard let path = settings.statePath else { return }
    let saved: (version: Int, payload: [UInt8])?
    let archive = frame?.archive
    do { saved = try StateFile.read(path: path, kind: Self.stateKind, maxVersion: ArchiveState.version(Self.stateVersion, archive)) } catch {
      throw RuntimeError("\(error)")
    }
    guard let payload = try ArchiveState.resume(archive, payload: saved?.payload, path: path) else { return }
    let state: ScaleState
    do { state = try ScaleState.decode(payload) } catch { throw RuntimeError("state file \(path) is corrupt: \(error)") }
    engine.restore(history: state.history, lastEvaluation: state.lastEvaluation)
    current = state.current
    if settings.simulate { simulator = FleetSimulator(replicas: state.current, startupDelay: settings.startupDelay) }
  }

  private func saveState() throws {
    guard let path = settings.statePath else { return }
    // Due archive files are closed right before the state that no longer lists them is written.
    let archive = frame?.archive
    let section = try ArchiveState.section(archive)
    do {
      try StateFile.write(
        path: path, kind: Self.stateKind, version: ArchiveState.version(Self.stateVersion, archive),
        payload: section + engine.state(current: current).encoded())
    } catch {
      throw RuntimeError("cannot save --state: \(error)")
    }
    stateSaved = monotonicMicros()
    stateDirty = false
  }
}
