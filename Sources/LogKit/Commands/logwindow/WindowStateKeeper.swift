/*
 logwindow --state: restores the open windows (and, with --follow, the input
 positions, through the shared StateCheckpoint) at start, checkpoints between
 records at most every --state-every and at exit, after flushing the output.
 Without positions it skips re-read records the state already counted: those
 before its latest event time, and the first ones at it (as many as it had
 counted there). On SIGINT/SIGTERM the open windows stay in the state
 instead of being written.
*/

final class WindowStateKeeper {
  static let kind = "logwindow"
  static let version = 1

  let checkpoint: StateCheckpoint
  let signature: String
  let command: String
  /// Records before this time, and the first `coveredAtMax` at it, were counted before the restart.
  private var covered = EpochMicros.min
  private var coveredAtMax = 0
  private var skipping = false
  private(set) var skipped = 0
  /// (events, watermark) at the last save: an unchanged engine is not saved again.
  private var saved: (Int, EpochMicros)?
  private var sinceCheck = 0
  /// The merge whose producers are saved with the engine (--merge --state).
  private var merger: PartialMerger?

  init(path: String, every: Int64, signature: String, command: String) {
    checkpoint = StateCheckpoint(path: path, every: every, kind: Self.kind, version: Self.version)
    self.signature = signature
    self.command = command
  }

  var path: String { checkpoint.path }

  /// Restores a saved state into `engine`, or (merge mode, `engine` nil) into `merger`'s engine.
  func load(into frame: RunFrame, engine: WindowEngine?, merger: PartialMerger?) throws {
    self.merger = merger
    guard let (_, saved) = try checkpoint.load(into: frame) else { return }
    // A merge's checkpoint ends with its producers (ProducerWatermarks+Checkpoint).
    var payload: [UInt8] = []
    var producerLines: [ArraySlice<UInt8>] = []
    for line in saved.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
      if line.starts(with: ProducerWatermarks.checkpointKey.utf8) {
        producerLines.append(line)
      } else {
        payload += line
        payload.append(UInt8(ascii: "\n"))
      }
    }
    func corrupt(_ error: WindowError) -> RuntimeError { RuntimeError("state file \(path) is corrupt: \(error.message)") }
    let header: WindowCheckpointHeader
    do { header = try WindowEngine.checkpointHeader(payload) } catch { throw corrupt(error) }
    var target = engine
    if let merger {
      do { try merger.configure(from: header) } catch { throw corrupt(error) }
      target = merger.engine
    }
    guard let target else { return }
    guard header.signature == signature, header.kind == target.config.kind, header.keyNames == target.output.keyNames,
      header.specs == target.layout.specs
    else {
      throw RuntimeError(
        "state file \(path) was saved with other windows, --by, -a, --where or --time-field (\(header.signature)); "
          + "use the options it was saved with, or remove it to start fresh")
    }
    do { try target.restore(payload) } catch { throw corrupt(error) }
    do { for line in producerLines { try merger?.restoreProducer(line) } } catch { throw corrupt(error) }
    self.saved = (target.events, target.watermark)
    // With the producers' seen seqs restored, replayed partials are dropped by seq, exactly.
    if !checkpoint.resumesByPosition && producerLines.isEmpty {
      covered = target.maxEventTime
      coveredAtMax = target.atMaxEventTime
      skipping = covered != .min
    }
  }

  /// Before an event at `t` (a partial record's end) reaches the engine: false to skip it.
  func admit(_ t: EpochMicros) -> Bool {
    guard skipping else { return true }
    if t < covered || (t == covered && coveredAtMax > 0) {
      if t == covered { coveredAtMax -= 1 }
      skipped &+= 1
      return false
    }
    return true
  }

  /// `onLine` with a checkpoint before each line: it covers exactly the lines before it.
  func checkpointing(
    _ frame: RunFrame, _ engine: @escaping () -> WindowEngine?, _ onLine: @escaping (UnsafeRawBufferPointer) throws -> Void
  ) -> (UnsafeRawBufferPointer) throws -> Void {
    { line in
      try self.checkpointIfDue(frame, engine())
      try onLine(line)
    }
  }

  /// Between records (before the next one is handled) and on idle ticks (`idle`).
  func checkpointIfDue(_ frame: RunFrame, _ engine: WindowEngine?, idle: Bool = false) throws {
    // Between records the clock is read every 64th time: a save is due at most that much later.
    sinceCheck &+= 1
    guard idle || checkpoint.every == 0 || sinceCheck & 63 == 0, let engine, checkpoint.isDue else { return }
    try save(frame, engine)
  }

  /// Saves unless nothing changed since the last save (always after the output was flushed).
  func save(_ frame: RunFrame, _ engine: WindowEngine?) throws {
    guard let engine else { return }
    let now = (engine.events, engine.watermark)
    if let saved, saved == now, !(frame.archive?.needsCheckpoint ?? false) { return }
    var payload = engine.checkpoint(signature: signature)
    if let merger {
      let sink = OutputSink(fd: -1, capacity: 4096)
      merger.checkpointProducers(to: sink)
      payload += sink.contents
    }
    try checkpoint.save(frame, payload: payload)
    saved = now
  }

  func report(_ engine: WindowEngine?, interrupted: Bool) {
    if skipped > 0 {
      printError(command, "\(skipped) records up to \(formatRFC3339(covered)) skipped: already counted (--state \(path))")
    }
    if interrupted, let engine, engine.openWindowCount > 0 {
      printError(command, "\(engine.openWindowCount) open windows kept in --state \(path) for the next run")
    }
  }
}
