/*
 `--follow`: the inputs as `tail -F` reads them, until SIGINT or SIGTERM.

 Each FILE is a path or a glob(3) pattern (re-expanded at every check, so new
 files are picked up). A followed file is read as it grows; when its path
 comes to name another file (rotation by rename, delete and re-create) the old
 descriptor is read on until it has stayed at its end for a grace period
 (a server may write a little more before it reopens), its last line without
 newline is then delivered as a line, and it is closed; the new file is read
 from its start. A file smaller than what was read, or whose first bytes
 changed, was truncated (copytruncate): the rest of the lines past the last
 delivered one are read from the copy when a file in the same directory starts
 with the same bytes, then the file is read again from its start. A missing
 path is waited for. A FIFO survives its writers: when the last one closes it
 is reopened and waits for the next.

 Wake-ups: inotify on the directories (FollowWatcher), a check of every path
 (stat, fingerprint) at least every `checkMilliseconds` regardless, and the
 idle interval, so commands get `.idle` ticks as from the other inputs; with
 nothing to read the loop sleeps in poll(2).

 With an offsets file (FollowOffsets), the position of every file is saved at
 most every `checkpointMilliseconds` and at exit, each time after the output
 was flushed, so it only ever covers lines written out.
*/
import Glibc

/// How `--follow` reads (the command layer fills it from its options).
package struct FollowOptions: Sendable {
  /// `--offsets FILE`.
  package var offsetsPath: String?
  /// Read files found at start-up without a saved offset from their start (else from their end).
  package var fromStart: Bool
  package var checkMilliseconds: Int = 250
  package var checkpointMilliseconds: Int = 1000
  /// Save also after this many lines, which bounds the lines a kill -9 repeats.
  package var checkpointLines: Int = 10_000
  /// How long a rotated-away file must stay at its end before it is closed.
  package var retireMilliseconds: Int = 1000
  package var useInotify = true
  /// At most this many files followed at once.
  package var maxFiles = 1024

  package init(offsetsPath: String? = nil, fromStart: Bool = false) {
    self.offsetsPath = offsetsPath
    self.fromStart = fromStart
  }
}

package final class FollowInput {
  package let patterns: [String]
  package let options: FollowOptions
  package let maxLine: Int
  package let badInput: BadInput
  package private(set) var lines = 0
  package var idleMilliseconds: Int32 = 50
  package var liveOutput: OutputSink? {
    get { live.sink }
    set { live.sink = newValue }
  }
  package private(set) var source = 0
  private var live = LiveOutput()
  var files: [FollowedFile] = []
  private var current: FollowedFile?
  private var closedBytes = 0
  let watcher: FollowWatcher
  /// Saved offsets not yet matched to a file (start-up only).
  var saved: [FollowOffset] = []
  /// The archive manifest the offsets file held (--split-by-time).
  package private(set) var savedArchive: ArchiveManifest?
  /// Called right before each save: the archive's section of the offsets file.
  package var archiveSection: (() throws -> [UInt8])?
  private var dirty = false
  private var linesSinceCheckpoint = 0
  private var lastCheckpoint: Int64 = 0
  private var lastLine: Int64 = 0
  private var lastIdle: Int64 = 0
  var warnedFull = false
  private var warnedPaths: Set<String> = []
  let command: String
  static let chunk = 64 * 1024

  package init(command: String, patterns: [String], options: FollowOptions, maxLine: Int = 1 << 20,
               rejectsPath: String? = nil, errorLimit: Int? = nil) throws {
    self.command = command
    self.patterns = patterns
    self.options = options
    self.maxLine = max(maxLine, 1)
    watcher = FollowWatcher(useInotify: options.useInotify)
    badInput = try BadInput(command: command, rejectsPath: rejectsPath, limit: errorLimit)
    if let path = options.offsetsPath { (saved, savedArchive) = try FollowOffsetsFile.readWithArchive(path: path) }
  }

  package var bytesRead: Int { files.reduce(closedBytes) { $0 &+ $1.reader.bytesRead } }
  /// The file of the line being delivered.
  package var path: String { current?.path ?? patterns.first ?? "-" }
  package var lineNumber: Int { current?.reader.lineNumber ?? 0 }
  /// What the offsets file would hold now.
  package var offsets: [FollowOffset] { files.filter { !$0.isFIFO }.map(\.entry) }

  package func reject(_ line: UnsafeRawBufferPointer, reason: String) throws {
    try badInput.reject(path: path, line: lineNumber, reason: reason, raw: line)
  }

  /// Follows until SIGINT/SIGTERM (returns false) or a hook throws.
  @discardableResult
  package func run(onLine: (UnsafeRawBufferPointer) throws -> Void, onTick: (InputTick) throws -> Void) throws -> Bool {
    scan(startUp: true)
    live.start()
    var nextCheck = monotonicMicros() + Int64(options.checkMilliseconds) * 1000
    lastLine = monotonicMicros()
    while true {
      if Signals.interrupted { return false }
      var progressed = false
      // Rotated-away files first: their rest comes before the new file's lines.
      for file in files where file.retiredSince != nil && !file.isFIFO { progressed = try service(file, onLine) || progressed }
      for file in files where file.retiredSince == nil && !file.isFIFO { progressed = try service(file, onLine) || progressed }
      try closeRetired(onLine)
      var now = monotonicMicros()
      if now >= nextCheck {
        try check(onLine)
        nextCheck = now + Int64(options.checkMilliseconds) * 1000
      }
      try checkpointIfDue(now: now)
      // While files have data, only a look at the FIFOs (and inotify) without waiting.
      let wait = progressed ? 0 : max(0, min(Int64(idleMilliseconds), (nextCheck - now) / 1000 + 1))
      let (wake, ready) = try waitForInput(timeout: Int32(clamping: wait))
      for file in ready { progressed = try service(file, onLine) || progressed }
      if progressed { try live.flushIfTrickling(idleMilliseconds: idleMilliseconds) }
      if wake.contains(.structure) { try check(onLine); nextCheck = monotonicMicros() + Int64(options.checkMilliseconds) * 1000 }
      // Idle is measured by data, not wake-ups: writes to other files in a watched directory keep waking the loop.
      now = monotonicMicros()
      if !progressed && now - lastLine >= Int64(idleMilliseconds) * 1000 && now - lastIdle >= Int64(idleMilliseconds) * 1000 {
        lastIdle = now
        try badInput.flush()
        try onTick(.idle)
        try live.flushOnIdle()
      }
    }
  }

  /// Saves the offsets now (the frame calls it at exit, after flushing the output).
  package func writeOffsets() throws {
    guard let path = options.offsetsPath else { return }
    let archive = try archiveSection?() ?? []
    try FollowOffsetsFile.write(path: path, entries: offsets, archive: archive)
    for file in files { file.savedIdentity = file.identity }
    dirty = false
    linesSinceCheckpoint = 0
    lastCheckpoint = monotonicMicros()
  }

  private func checkpointIfDue(now: Int64) throws {
    guard dirty, options.offsetsPath != nil,
      now - lastCheckpoint >= Int64(options.checkpointMilliseconds) * 1000 || linesSinceCheckpoint >= options.checkpointLines
    else { return }
    // Only what has been written out may be recorded as done.
    try live.sink?.flush()
    try writeOffsets()
  }

  /// One chunk of `file`, and every line it completed. True when bytes came.
  func service(_ file: FollowedFile, _ onLine: (UnsafeRawBufferPointer) throws -> Void) throws -> Bool {
    guard file.fd >= 0 else { return false }
    // Caught before the writer fills the file past the old position again.
    if file.atEnd && !file.isFIFO, let size = file.size, size < file.readPosition {
      try restartTruncated(file, onLine)
      return true  // next round: the copy's rest (a retired file) is read first
    }
    let before = file.reader.bytesRead
    switch try file.reader.readOnce(limit: Self.chunk) {
    case .interrupted, .wouldBlock: return false
    case .read: break
    }
    let got = file.reader.bytesRead != before
    if got {
      file.lastData = monotonicMicros()
      lastLine = file.lastData
      file.atEnd = false
      // The fingerprint grows with a new file's first KiB (and finds a rewrite of it).
      if !file.isFIFO && file.identity.fingerprintLength < FileIdentity.fingerprintLimit && file.wasTruncated() {
        try restartTruncated(file, onLine)
        return true
      }
    }
    try deliverBuffered(file, onLine)
    if file.isFIFO && !got && file.atEnd {
      // Every writer closed: its last line is complete, wait for the next writer.
      try deliverPartial(file, onLine)
      if !file.reopenFIFO() { retire(file) }
    }
    return got
  }

  /// Hands out the complete lines in `file`'s buffer.
  func deliverBuffered(_ file: FollowedFile, _ onLine: (UnsafeRawBufferPointer) throws -> Void) throws {
    // No output from a file before the offsets know it as it is now (a new file, a longer
    // fingerprint): else a restart could not tell it was rewritten meanwhile, and lose its copy.
    if options.offsetsPath != nil && !file.isFIFO && file.savedIdentity != file.identity && file.reader.unconsumed > 0 {
      try live.sink?.flush()
      try writeOffsets()
    }
    while let event = file.reader.nextBuffered() {
      switch event {
      case .line(let bytes):
        lines &+= 1
        current = file
        source = file.pattern
        try onLine(bytes)
        file.noteDelivered()
        dirty = true
        linesSinceCheckpoint &+= 1
        if linesSinceCheckpoint >= options.checkpointLines { try checkpointIfDue(now: lastLine) }
      case .tooLong(let length, let head):
        lines &+= 1
        badInput.countLine()
        current = file
        try badInput.reject(
          path: file.path, line: file.reader.lineNumber,
          reason: "line of \(length) bytes is longer than --max-line \(maxLine)", raw: head)
        file.noteDelivered()
        dirty = true
        linesSinceCheckpoint &+= 1
      case .end:
        file.atEnd = true
        file.reader.resumeAfterEnd()
        return
      case .idle, .interrupted:
        return
      }
    }
  }

  /// Delivers a last line without newline (the file is being left). `readFirst`: read
  /// a regular file to its end first, so nothing written before the switch stays behind.
  func deliverPartial(_ file: FollowedFile, _ onLine: (UnsafeRawBufferPointer) throws -> Void, readFirst: Bool = true) throws {
    guard file.fd >= 0 else { return }
    if readFirst && !file.isFIFO { while try service(file, onLine) {} }
    file.reader.keepsPartialLine = false
    file.reader.markEnd()
    try deliverBuffered(file, onLine)
    file.reader.keepsPartialLine = true
  }

  /// Closes rotated-away files that stayed at their end for the grace period.
  private func closeRetired(_ onLine: (UnsafeRawBufferPointer) throws -> Void) throws {
    let now = monotonicMicros()
    let grace = Int64(options.retireMilliseconds) * 1000
    for file in files {
      guard let since = file.retiredSince, file.atEnd, now - max(since, file.lastData) >= grace else { continue }
      try deliverPartial(file, onLine)
      close(file)
    }
  }

  func retire(_ file: FollowedFile) {
    if file.retiredSince == nil { file.retiredSince = monotonicMicros() }
  }

  func close(_ file: FollowedFile) {
    closedBytes &+= file.reader.bytesRead
    file.closeDescriptor()
    files.removeAll { $0 === file }
    if current === file { current = nil }
    dirty = true
  }

  /// Sleeps in poll(2) on inotify and the FIFOs; what woke it and which FIFOs are ready.
  private func waitForInput(timeout: Int32) throws -> (FollowWake, [FollowedFile]) {
    var set: [pollfd] = []
    var owners: [FollowedFile] = []
    if watcher.fd >= 0 { set.append(pollfd(fd: watcher.fd, events: Int16(POLLIN), revents: 0)) }
    for file in files where file.isFIFO && file.fd >= 0 {
      set.append(pollfd(fd: file.fd, events: Int16(POLLIN), revents: 0))
      owners.append(file)
    }
    let count = set.isEmpty ? poll(nil, 0, timeout) : poll(&set, nfds_t(set.count), timeout)
    if count <= 0 { return ([], []) }
    let base = watcher.fd >= 0 ? 1 : 0
    let wake = watcher.fd >= 0 && set[0].revents != 0 ? watcher.drain() : []
    var ready: [FollowedFile] = []
    for (slot, file) in owners.enumerated() where set[base + slot].revents != 0 { ready.append(file) }
    return (wake, ready)
  }

  func warn(_ message: String) { printError(command, message) }

  /// Warns about `path` once per run (a path that cannot be followed is tried again at every check).
  func warnOnce(_ path: String, _ message: String) {
    guard !warnedPaths.contains(path) else { return }
    warnedPaths.insert(path)
    warn(message)
  }
}
