/*
 logalert --state: loads the saved alerts and baselines into the engine at
 start, skips records the state already covers, and checkpoints between
 evaluation times (when a record's time closes the previous one) at most
 every --state-every, and at exit: always after flushing the output, so the
 state never covers an event that was not written.
*/

final class AlertStateKeeper {
  static let kind = "logalert"
  static let version = 1

  let path: String
  let every: Int64
  let command: String
  /// Records before this time were evaluated before the restart (at it: per instance, see AlertEngine).
  private var covered = Int64.min
  private(set) var skipped = 0
  private var lastSaved: Int64 = 0
  private var savedNow = Int64.min
  /// --split-by-time: its open files are saved with the state (ArchiveState).
  let archive: ArchiveWriter?

  init(path: String, every: Int64, command: String, archive: ArchiveWriter? = nil) {
    self.path = path
    self.every = every
    self.command = command
    self.archive = archive
  }

  /// Restores a saved state (a missing file starts fresh).
  func load(into engine: AlertEngine) throws {
    let saved: (version: Int, payload: [UInt8])?
    do { saved = try StateFile.read(path: path, kind: Self.kind, maxVersion: ArchiveState.version(Self.version, archive)) } catch {
      throw RuntimeError("\(error)")
    }
    guard let payload = try ArchiveState.resume(archive, payload: saved?.payload, path: path) else { return }
    let restore: AlertRestore
    do { restore = try engine.restoreState(payload) } catch { throw RuntimeError("state file \(path) is corrupt: \(error)") }
    covered = restore.now
    savedNow = restore.now
    for name in restore.changedRules {
      printError(command, "--state \(path): rule '\(name)' is not defined as it was when the state was saved; it starts fresh")
    }
    lastSaved = monotonicMicros()
  }

  /// Before the engine sees the record just read: false to skip it (the state covers it).
  /// A record that opens a new time closes the previous one and may checkpoint.
  func admit(_ engine: AlertEngine, sink: OutputSink) throws -> Bool {
    let t = engine.reader.time
    if t < covered {
      skipped &+= 1
      return false
    }
    guard t > engine.now, engine.now != Int64.min else { return true }
    try engine.closeTime()
    if monotonicMicros() - lastSaved >= every {
      try sink.flush()
      try save(engine)
    }
    return true
  }

  /// At exit, after the output was flushed.
  func save(_ engine: AlertEngine) throws {
    guard engine.now != savedNow || (archive?.needsCheckpoint ?? false) else { return }
    // Due archive files are closed right before the state that no longer lists them is written.
    let section = try ArchiveState.section(archive)
    do {
      try StateFile.write(path: path, kind: Self.kind, version: ArchiveState.version(Self.version, archive), payload: section + engine.encodeState())
    } catch {
      throw RuntimeError("cannot save --state: \(error)")
    }
    savedNow = engine.now
    lastSaved = monotonicMicros()
  }

  func report() {
    guard skipped > 0 else { return }
    printError(command, "\(skipped) records before \(formatRFC3339(covered)) skipped: already evaluated (--state \(path))")
  }
}
