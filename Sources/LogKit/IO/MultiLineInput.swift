/*
 Several inputs read at once (`logdash a.fifo b.fifo`, `logalert windows.fifo
 other.fifo`): files, `-` and named FIFOs, each with its own LineReader, each
 line handed over with the index of its input. The end of one input does not
 end the others; the run ends when all have ended (or on SIGINT/SIGTERM).

 FIFOs are opened with O_NONBLOCK, so a FIFO without a writer yet does not
 hold up the others, and are read only when poll(2) reports them ready: Linux
 reports neither data nor hang-up on such a FIFO until a writer came, so it
 waits for its writer as a blocking open would, and ends when its writers have
 all closed. Regular files are always ready; each round reads one chunk of
 every ready input, so a big file interleaves with a live FIFO chunk by chunk
 (64 KiB) instead of starving it. When no input had anything for the idle
 interval, `onTick(.idle)` runs. Over-long lines and bad lines go to BadInput
 with path and line number, as in LineInput. No progress meter: several inputs
 are live streams.
*/
import Glibc

package final class MultiLineInput {
  package let paths: [String]
  package let maxLine: Int
  package let badInput: BadInput
  /// Lines seen on all inputs, including rejected ones.
  package private(set) var lines = 0
  /// How long all inputs may be quiet before an `.idle` tick, in milliseconds.
  package var idleMilliseconds: Int32 = 50
  /// Output to keep live, as in LineInput: flushed on idle ticks and during a steady trickle.
  package var liveOutput: OutputSink? {
    get { live.sink }
    set { live.sink = newValue }
  }
  private var live = LiveOutput()
  /// Index in `paths` of the input whose line (or end) is being delivered.
  package private(set) var source = 0
  private var readers: [LineReader] = []
  private var descriptors: [Int32] = []
  private var regular: [Bool] = []
  /// Bytes read from one input per round: what a file may take before a FIFO's turn.
  private static let chunk = 64 * 1024

  /// - Parameters:
  ///   - paths: files, named FIFOs, or `-` for stdin.
  ///   - errorLimit: stop after this many bad lines (1 for `--strict`), nil for never.
  package init(command: String, paths: [String], maxLine: Int = 1 << 20, rejectsPath: String? = nil, errorLimit: Int? = nil) throws(IOError) {
    self.paths = paths
    self.maxLine = max(maxLine, 1)
    badInput = try BadInput(command: command, rejectsPath: rejectsPath, limit: errorLimit)
  }

  package convenience init(command: String, options: LineInputOptions) throws(IOError) {
    try self.init(command: command, paths: options.paths, maxLine: options.maxLine, rejectsPath: options.rejectsPath, errorLimit: options.errorLimit)
  }

  /// The input of the line being delivered, as shown in messages ("<stdin>" for `-`).
  package var path: String { readers.indices.contains(source) ? readers[source].path : "-" }
  /// Its 1-based line number.
  package var lineNumber: Int { readers.indices.contains(source) ? readers[source].lineNumber : 0 }
  /// Bytes read from all inputs so far.
  package var bytesRead: Int { readers.reduce(0) { $0 &+ $1.bytesRead } }

  /// Reads every input to its end. `onLine` gets the input's index and the line (valid
  /// during the call); `onTick` gets idle ticks and each input's end. Returns false when
  /// interrupted by a signal.
  @discardableResult
  package func run(
    onLine: (_ source: Int, _ line: UnsafeRawBufferPointer) throws -> Void,
    onTick: (InputTick) throws -> Void
  ) throws -> Bool {
    try openAll()
    defer { closeAll() }
    live.start()
    var pollSet: [pollfd] = []
    var owners: [Int] = []
    while descriptors.contains(where: { $0 >= 0 }) {
      if Signals.interrupted { return false }
      // Files always have data: look at the others without waiting while a file is open.
      let fileOpen = descriptors.indices.contains { descriptors[$0] >= 0 && regular[$0] }
      pollSet.removeAll(keepingCapacity: true)
      owners.removeAll(keepingCapacity: true)
      for index in descriptors.indices where descriptors[index] >= 0 && !regular[index] {
        pollSet.append(pollfd(fd: descriptors[index], events: Int16(POLLIN), revents: 0))
        owners.append(index)
      }
      var ready: [Int] = descriptors.indices.filter { descriptors[$0] >= 0 && regular[$0] }
      if !pollSet.isEmpty {
        let count = Glibc.poll(&pollSet, nfds_t(pollSet.count), fileOpen ? 0 : idleMilliseconds)
        if count < 0 {
          if errno == EINTR { continue }
          throw IOError.readFailed(path: readers[owners[0]].path, errno: errno)
        }
        for (slot, entry) in pollSet.enumerated() where entry.revents != 0 { ready.append(owners[slot]) }
      }
      if ready.isEmpty {
        try idleTick(onTick)
        continue
      }
      for index in ready where descriptors[index] >= 0 {
        if try !service(index, onLine: onLine, onTick: onTick) { return false }
      }
    }
    return true
  }

  /// Rejects the line being delivered (bad content found by the caller).
  package func reject(_ line: UnsafeRawBufferPointer, reason: String) throws {
    try badInput.reject(path: path, line: lineNumber, reason: reason, raw: line)
  }

  /// One read of input `index`, then every line it completed. False when interrupted.
  private func service(
    _ index: Int, onLine: (Int, UnsafeRawBufferPointer) throws -> Void, onTick: (InputTick) throws -> Void
  ) throws -> Bool {
    let reader = readers[index]
    switch try reader.readOnce(limit: Self.chunk) {
    case .interrupted: return !Signals.interrupted
    case .wouldBlock: return true
    case .read: try live.flushIfTrickling(idleMilliseconds: idleMilliseconds)
    }
    source = index
    badInput.currentInput = index
    while let event = reader.nextBuffered() {
      switch event {
      case .line(let bytes):
        lines &+= 1
        if !bytes.isEmpty { badInput.countLine() }
        try onLine(index, bytes)
      case .tooLong(let length, let head):
        lines &+= 1
        badInput.countLine()
        try badInput.reject(
          path: reader.path, line: reader.lineNumber,
          reason: "line of \(length) bytes is longer than --max-line \(maxLine)", raw: head)
      case .end:
        closeInput(index)
        try onTick(.endOfFile(path: paths[index]))
        return true
      case .idle, .interrupted:
        return true
      }
    }
    return true
  }

  private func idleTick(_ onTick: (InputTick) throws -> Void) throws {
    try badInput.flush()
    try onTick(.idle)
    try live.flushOnIdle()
  }

  private func openAll() throws(IOError) {
    closeAll()
    for path in paths {
      let fd: Int32
      if path == "-" {
        fd = 0
      } else {
        // O_NONBLOCK: opening a FIFO without a writer must not block (the flag stays; EAGAIN is handled).
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
          let code = errno
          closeAll()
          throw .openFailed(path: path, errno: code)
        }
      }
      var info = stat()
      let isRegular = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
      let reader = LineReader(maxLine: maxLine, chunk: Self.chunk)
      reader.attach(fd: fd, path: path == "-" ? "<stdin>" : path)
      badInput.beginInput(readers.count, path: reader.path)
      readers.append(reader)
      descriptors.append(fd)
      regular.append(isRegular)
    }
  }

  private func closeInput(_ index: Int) {
    if descriptors[index] > 0 { close(descriptors[index]) }
    descriptors[index] = -1
  }

  private func closeAll() {
    for index in descriptors.indices { closeInput(index) }
    descriptors.removeAll()
    regular.removeAll()
    readers.removeAll()
  }
}
