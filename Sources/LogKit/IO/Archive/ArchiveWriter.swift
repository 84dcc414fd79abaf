/*
 `--split-by-time`: the command's output, split into one file per period of
 event time (TimePattern), instead of standard output.

 The OutputSink hands its buffer to `consume` where it would write(2); lines
 are cut at newlines (a line cut by a full buffer is carried over), each goes
 to the file of its record's time (archiveRecordTime) or, without one, to
 `ROOT/_no_time.ndjson`. A period's file is `NAME.partial` while records may
 still come: it is closed (flushed, fsync'ed, renamed to NAME, the directory
 fsync'ed) once the watermark, the largest event time seen, passes the
 period's end plus the lateness, and at the end of the run. A record for a
 closed period, or for one whose NAME an earlier run wrote, goes to a part file
 `NAME.N.ext`; nothing is appended to a closed file or written over.

 Checkpointed mode (logparse --follow --offsets, logwindow --state): the
 checkpoint holds the open files and their lengths, so a restart can cut them
 back to exactly what it covers (ArchiveRecovery). A due file is first listed
 as closing in one checkpoint (parked, no more records: later ones for its
 period go to a part file) and renamed only after that checkpoint is written,
 in the next `checkpointSection` or at the end of the run: a crash in between
 leaves a file either listed or complete, never closed and unlisted. Without a
 checkpoint, due files close as soon as they are due.
*/
import Glibc

/// Where an OutputSink writes instead of its descriptor.
package protocol SinkDownstream: AnyObject {
  func consume(_ bytes: UnsafeRawBufferPointer) throws(IOError)
}

package final class ArchiveWriter: SinkDownstream {
  package let pattern: TimePattern
  /// How far past a period's end the watermark must be before its file closes.
  package let lateness: Int64
  /// Open descriptors at most; the least recently written file is closed (parked) first.
  package let maxOpen: Int
  let command: String
  /// Files close only at checkpoints (set by `start`).
  package private(set) var checkpointed = false
  var files: [EpochMicros: ArchiveFile] = [:]
  var noTime: ArchiveFile?
  private var current: ArchiveFile?
  /// Due at the last checkpoint, which lists them as closing: renamed at the next one.
  private var closing: [ArchiveFile] = []
  private var watermark = EpochMicros.min
  /// The earliest `end + lateness` of the open files: nothing is due before it.
  private var nextDue = EpochMicros.max
  private var carry: [UInt8] = []
  private var uses = 0
  private var openCount = 0
  private var finishing = false
  /// Bytes or closes since the last checkpoint section.
  private var changed = false
  package private(set) var started = false
  // For the report at exit.
  var noTimeRecords = 0
  var partRecords = 0
  var partExample: String?
  package private(set) var records = 0
  package private(set) var filesClosed = 0
  var notes: [String] = []

  /// --compress gzip (files get `.gz` after the pattern's name).
  let gzip: Gzip?
  /// How a line's event time is found (NDJSON records; loggen's raw lines).
  package var timeSource = ArchiveTimeSource.json
  private let timeCache = ParsedTimeCache()

  package init(command: String, pattern: TimePattern, lateness: Int64, maxOpen: Int = 64, gzip: Gzip? = nil) {
    self.command = command
    self.pattern = pattern
    self.lateness = max(0, lateness)
    self.maxOpen = max(1, maxOpen)
    self.gzip = gzip
  }

  /// The archive's root, where `_no_time.ndjson` goes and leftovers are looked for.
  package var root: String { pattern.staticPrefix }
  /// What compression adds to every name.
  package var suffix: String { gzip == nil ? "" : ".gz" }
  var noTimeName: String { root + "_no_time.ndjson" }
  package var noTimePath: String { noTimeName + suffix }

  // MARK: Lines in

  package func consume(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    var offset = 0
    while offset < bytes.count {
      guard let nl = memchr(base + offset, 0x0A, bytes.count - offset) else {
        carry.append(contentsOf: UnsafeRawBufferPointer(start: base + offset, count: bytes.count - offset))
        break
      }
      let end = UnsafeRawPointer(nl) - base
      let piece = UnsafeRawBufferPointer(start: base + offset, count: end - offset)
      if carry.isEmpty {
        try route(piece)
      } else {
        carry.append(contentsOf: piece)
        let line = carry
        carry.removeAll(keepingCapacity: true)
        try route(copy: line)
      }
      offset = end + 1
    }
    try flushBuffers()
  }

  private func route(copy line: [UInt8]) throws(IOError) {
    var failure: IOError?
    line.withUnsafeBytes { whole in
      do throws(IOError) { try route(whole) } catch { failure = error }
    }
    if let failure { throw failure }
  }

  private func route(_ line: UnsafeRawBufferPointer) throws(IOError) {
    if line.isEmpty { return }
    records &+= 1
    changed = true
    guard let t = timeSource.time(of: line, cache: timeCache) else {
      noTimeRecords &+= 1
      try use(try noTimeFile()).append(line)
      return
    }
    let file: ArchiveFile
    if let c = current, let s = c.start, t >= s, t < c.end {
      file = c
    } else {
      file = try fileFor(t)
      current = file
    }
    if file.isPart { partRecords &+= 1 }
    try use(file).append(line)
    if file.buffer.count >= 1 << 16 { try file.flush() }
    if t > watermark {
      watermark = t
      if !checkpointed && watermark >= nextDue { try closeDue() }
    }
  }

  /// Marks `file` as just used, opening (reopening) its descriptor within the bound.
  private func use(_ file: ArchiveFile) throws(IOError) -> ArchiveFile {
    uses &+= 1
    file.lastUse = uses
    if file.fd < 0 {
      if openCount >= maxOpen { try evictOne(keeping: file) }
      if fileExists(file.partialPath) { try file.reopen() } else { try file.create() }
      openCount += 1
    }
    return file
  }

  private func fileFor(_ t: EpochMicros) throws(IOError) -> ArchiveFile {
    let (start, end) = pattern.period(of: t)
    if let file = files[start] { return file }
    let file = newFile(start: start, end: end, name: pattern.expand(start))
    files[start] = file
    nextDue = min(nextDue, dueTime(file))
    return file
  }

  private func noTimeFile() throws(IOError) -> ArchiveFile {
    if let noTime { return noTime }
    let file = newFile(start: nil, end: .max, name: noTimeName)
    noTime = file
    return file
  }

  /// A file for `name` (+ suffix), or its first free part name when that is taken (closed, or left by an earlier run).
  private func newFile(start: EpochMicros?, end: EpochMicros, name: String) -> ArchiveFile {
    let whole = name + suffix
    guard fileExists(whole) || fileExists(whole + ".partial") else {
      return ArchiveFile(start: start, end: end, finalPath: whole, isPart: false, gzip: gzip)
    }
    let path = freePartName(name)
    if partExample == nil { partExample = path }
    return ArchiveFile(start: start, end: end, finalPath: path, isPart: true, gzip: gzip)
  }

  /// `NAME.N.ext` + suffix for the first N that neither a final nor a .partial file has.
  func freePartName(_ name: String) -> String {
    var n = 1
    while fileExists(archivePartName(name, n) + suffix) || fileExists(archivePartName(name, n) + suffix + ".partial") { n += 1 }
    return archivePartName(name, n) + suffix
  }

  private func dueTime(_ file: ArchiveFile) -> EpochMicros {
    file.end == .max ? .max : file.end.addingReportingOverflow(lateness).overflow ? .max : file.end + lateness
  }

  private func flushBuffers() throws(IOError) {
    for file in files.values where !file.buffer.isEmpty { try file.flush() }
    try noTime?.flush()
  }

  func markStarted(checkpointed: Bool) {
    started = true
    self.checkpointed = checkpointed
  }

  /// A file restored from a checkpoint (parked: it is reopened on its next record).
  func adopt(_ file: ArchiveFile) {
    guard let start = file.start else { noTime = file; return }
    files[start] = file
    nextDue = min(nextDue, dueTime(file))
  }

  /// The end-of-run messages: leftovers dealt with, records without time, part files.
  package func report() {
    for note in notes { printError(command, note) }
    if noTimeRecords > 0 {
      printError(command, "\(noTimeRecords) records had no time; written to \(noTimePath) (or a part of it)")
    }
    if partRecords > 0 {
      printError(
        command,
        "\(partRecords) records came for a period whose file was already closed; written to part files (such as \(partExample ?? "NAME.1.ndjson"))")
    }
  }

  // MARK: Closing

  /// Closes (parks, in checkpointed mode) the least recently written open file but `keeping`.
  private func evictOne(keeping: ArchiveFile) throws(IOError) {
    var oldest: ArchiveFile?
    for file in files.values + (noTime.map { [$0] } ?? []) where file.fd >= 0 && file !== keeping {
      if let o = oldest, o.lastUse <= file.lastUse { continue }
      oldest = file
    }
    guard let oldest else { return }
    if checkpointed || oldest.start == nil {
      try oldest.park()
      openCount -= 1
    } else {
      try close(oldest)
    }
  }

  private func close(_ file: ArchiveFile) throws(IOError) {
    detach(file)
    // Never over a file that appeared meanwhile (copied in, another writer): a part name instead.
    if fileExists(file.finalPath) { file.finalPath = freePartName(String(file.finalPath.dropLast(suffix.count))) }
    try file.close()
    filesClosed += 1
    changed = true
  }

  /// Takes `file` out of the open set: records for its period go to a new (part) file from now on.
  private func detach(_ file: ArchiveFile) {
    if file.fd >= 0 { openCount -= 1 }
    if let start = file.start {
      if files[start] === file { files[start] = nil }
    } else if noTime === file {
      noTime = nil
    }
    if current === file { current = nil }
  }

  /// Closes every file whose period the watermark has passed (all of them when finishing).
  private func closeDue() throws(IOError) {
    for file in takeDue() { try close(file) }
  }

  /// The open files whose period the watermark has passed (all of them when finishing).
  private func takeDue() -> [ArchiveFile] {
    nextDue = .max
    var due: [ArchiveFile] = []
    for file in files.values {
      let time = dueTime(file)
      if finishing || watermark >= time { due.append(file) } else { nextDue = min(nextDue, time) }
    }
    if finishing, let noTime { due.append(noTime) }
    return due.sorted { ($0.start ?? .max) < ($1.start ?? .max) }
  }

  /// The files the last (written) checkpoint lists as closing: renamed now.
  private func closeClosing() throws(IOError) {
    let due = closing
    closing = []
    for file in due { try close(file) }
  }

  /// The input ended: every file is due (at the next checkpoint, or now without one).
  package func endOfInput() throws(IOError) {
    finishing = true
    if !checkpointed { try closeAll() }
  }

  /// Closes every file now (the end of the run).
  package func closeAll() throws(IOError) {
    try flushCarry()
    finishing = true
    try closeClosing()
    try closeDue()
  }

  /// A last line without newline (the output ended mid-record) still goes to its file.
  private func flushCarry() throws(IOError) {
    guard !carry.isEmpty else { return }
    let line = carry
    carry = []
    try route(copy: line)
    try flushBuffers()
  }

  /// True when a checkpoint would differ from the last one (records written, files to close).
  package var needsCheckpoint: Bool {
    changed || !closing.isEmpty || (finishing && (!files.isEmpty || noTime != nil))
  }

  /// Right before a checkpoint is written (after the output was flushed): renames the files
  /// the last checkpoint listed as closing, parks the due ones as closing, fsyncs the open
  /// ones and returns the manifest the checkpoint must hold.
  package func checkpointSection() throws(IOError) -> [UInt8] {
    try closeClosing()
    if watermark >= nextDue || finishing {
      for file in takeDue() {
        detach(file)
        try file.park()
        closing.append(file)
      }
    }
    var entries: [ArchiveManifest.Entry] = []
    for file in files.values.sorted(by: { ($0.start ?? .min) < ($1.start ?? .min) }) + (noTime.map { [$0] } ?? []) {
      try file.flush()
      try file.sync()
      entries.append(.init(path: file.partialPath, start: file.start, length: file.length))
    }
    for file in closing { entries.append(.init(path: file.partialPath, start: file.start, length: file.length, closing: true)) }
    changed = false
    return ArchiveManifest(entries: entries).encode()
  }
}
