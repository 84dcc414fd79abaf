/*
 A command's --state FILE on the run frame, with the input positions beside
 the command's own payload, so both are taken at the same moment:

   positions N            (or "positions none": the run did not --follow)
   N lines, one per followed file, as in --offsets files (FollowOffsets)
   the command's payload

 The whole is one StateFile (atomic replace). With --follow the saved
 positions are given to the FollowInput before it starts, and a restart reads
 each file on from just after the last line the command's state covers: no
 line is read twice or skipped. Without them (standard input, plain FILEs)
 `resumesByPosition` is false and the command must tell re-read records from
 new ones itself (logwindow: by event time).

 Checkpoints are taken between lines (in onLine before the line is handled,
 or on an idle tick), always after flushing the output, so the state never
 covers a record whose output was not written.
*/

package final class StateCheckpoint {
  package let path: String
  /// Longest wall time between checkpoints (microseconds; 0: at every chance).
  package let every: Int64
  let kind: String
  let version: Int
  private var lastSaved: Int64 = 0
  /// True when the loaded state held positions and this run follows files.
  package private(set) var resumesByPosition = false

  package init(path: String, every: Int64, kind: String, version: Int) {
    self.path = path
    self.every = every
    self.kind = kind
    self.version = version
    lastSaved = monotonicMicros()
  }

  /// Reads FILE: gives the saved positions to the frame's --follow input and
  /// returns the command's payload and its version (nil: no FILE, start fresh).
  package func load(into frame: RunFrame) throws -> (version: Int, payload: [UInt8])? {
    let saved: (version: Int, payload: [UInt8])?
    do { saved = try StateFile.read(path: path, kind: kind, maxVersion: version) } catch {
      throw RuntimeError("\(error)")
    }
    guard let saved else {
      try startArchive(frame, nil)
      return nil
    }
    let (positions, manifest, payload) = try Self.splitWithArchive(saved.payload, path: path)
    if let positions, let follow = frame.input as? FollowInput {
      follow.saved = positions
      resumesByPosition = true
    }
    try startArchive(frame, manifest)
    return (saved.version, payload)
  }

  /// The archive (--split-by-time) resumes at the manifest this state holds (none: a fresh start).
  private func startArchive(_ frame: RunFrame, _ manifest: ArchiveManifest?) throws {
    do { try frame.archive?.start(manifest: manifest ?? ArchiveManifest(entries: [])) } catch {
      throw RuntimeError("cannot resume the archive: \(error)")
    }
  }

  /// True when --state-every has passed since the last save.
  package var isDue: Bool { monotonicMicros() - lastSaved >= every }

  /// Flushes the frame's output, then replaces FILE with `payload` and the input positions.
  package func save(_ frame: RunFrame, payload: [UInt8]) throws {
    try frame.sink.flush()
    var bytes: [UInt8]
    if let follow = frame.input as? FollowInput {
      let positions = follow.offsets
      bytes = Array("positions \(positions.count)\n".utf8) + FollowOffsetsFile.encode(positions)
    } else {
      bytes = Array("positions none\n".utf8)
    }
    // Due archive files are closed right before the state that no longer lists them is written.
    if let archive = frame.archive { bytes += try archive.checkpointSection() }
    bytes += payload
    do { try StateFile.write(path: path, kind: kind, version: version, payload: bytes) } catch {
      throw RuntimeError("cannot save --state: \(error)")
    }
    lastSaved = monotonicMicros()
  }

  /// The positions section (nil: "positions none"), the archive manifest and the command's payload.
  static func splitWithArchive(_ bytes: [UInt8], path: String) throws -> ([FollowOffset]?, ArchiveManifest?, [UInt8]) {
    let (positions, rest) = try split(bytes, path: path)
    let (manifest, payload) = try ArchiveState.splitManifest(rest, path: path)
    return (positions, manifest, payload)
  }

  /// The positions section and the rest.
  static func split(_ bytes: [UInt8], path: String) throws -> ([FollowOffset]?, [UInt8]) {
    func corrupt(_ reason: String) -> RuntimeError { RuntimeError("state file \(path) is corrupt: \(reason)") }
    guard let newline = bytes.firstIndex(of: 0x0A) else { throw corrupt("no positions line") }
    let first = String(decoding: bytes[..<newline], as: UTF8.self)
    guard first.hasPrefix("positions ") else { throw corrupt("no positions line") }
    let count = first.dropFirst("positions ".count)
    if count == "none" { return (nil, Array(bytes[(newline + 1)...])) }
    guard let n = Int(count), n >= 0, n <= 1 << 20 else { throw corrupt("invalid positions line '\(excerpt(first))'") }
    var end = newline + 1
    for _ in 0..<n {
      guard let next = bytes[end...].firstIndex(of: 0x0A) else { throw corrupt("the positions are cut short") }
      end = next + 1
    }
    let positions: [FollowOffset]
    do { positions = try FollowOffsetsFile.decode(Array(bytes[(newline + 1)..<end]), path: path) } catch {
      throw RuntimeError("\(error)")
    }
    return (positions, Array(bytes[end...]))
  }
}
