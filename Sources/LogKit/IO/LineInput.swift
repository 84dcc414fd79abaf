/*
 The input loop every line-oriented command runs: inputs in order (files,
 `-` for stdin, named FIFOs), one LineReader, idle ticks, over-long lines
 routed to BadInput, SIGINT/SIGTERM ending the loop cleanly.
*/
import Glibc

/// How a command reads its line inputs (the command layer fills it from its options).
package struct LineInputOptions: Sendable {
  package var paths: [String]
  package var maxLine: Int
  package var rejectsPath: String?
  package var errorLimit: Int?
  package var stats: Bool
  package var progress: Bool
  /// `--follow`: read the paths (and globs) as `tail -F` does, until a signal.
  package var follow: FollowOptions?

  package init(
    paths: [String], maxLine: Int = 1 << 20, rejectsPath: String? = nil, errorLimit: Int? = nil,
    stats: Bool = false, progress: Bool = false, follow: FollowOptions? = nil
  ) {
    self.follow = follow
    self.paths = paths
    self.maxLine = maxLine
    self.rejectsPath = rejectsPath
    self.errorLimit = errorLimit
    self.stats = stats
    self.progress = progress
  }
}

/// What the loop tells its handler.
package enum InputTick {
  /// Input has been idle for the idle interval (flush, advance clocks).
  case idle
  /// One input file ended.
  case endOfFile(path: String)
}

package final class LineInput {
  package let options: LineInputOptions
  package let reader: LineReader
  package let badInput: BadInput
  /// Lines seen, including rejected ones.
  package private(set) var lines = 0
  /// Index in `options.paths` of the input being read.
  package private(set) var source = 0
  /// How long input may be quiet before an `.idle` tick, in milliseconds.
  package var idleMilliseconds: Int32 = 50
  private var progress: ProgressMeter?
  /// Output to keep live (flushed on idle and during a steady trickle).
  package var liveOutput: OutputSink? {
    get { live.sink }
    set { live.sink = newValue }
  }
  private var live = LiveOutput()
  private var lastRead = 0

  package init(command: String, options: LineInputOptions) throws(IOError) {
    self.options = options
    reader = LineReader(maxLine: options.maxLine)
    badInput = try BadInput(command: command, rejectsPath: options.rejectsPath, limit: options.errorLimit)
    if options.progress { progress = ProgressMeter(command: command, paths: options.paths) }
  }

  /// Runs over every input. `onLine` gets each line and its number; `onTick` gets idle and
  /// end-of-file events. Returns false when interrupted by a signal.
  @discardableResult
  package func run(
    onLine: (UnsafeRawBufferPointer) throws -> Void,
    onTick: (InputTick) throws -> Void
  ) throws -> Bool {
    for (index, path) in options.paths.enumerated() {
      source = index
      let fd: Int32
      if path == "-" {
        fd = 0
      } else {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
          let code = errno
          if code == EINTR && Signals.interrupted { return false }
          throw IOError.openFailed(path: path, errno: code)
        }
      }
      defer { if fd != 0 { close(fd) } }
      reader.attach(fd: fd, path: path == "-" ? "<stdin>" : path)
      badInput.beginInput(index, path: reader.path)
      progress?.startFile(path: path, fd: fd)
      loop: while true {
        switch try reader.next(idleMilliseconds: idleMilliseconds) {
        case .line(let bytes):
          lines &+= 1
          if !bytes.isEmpty { badInput.countLine() }
          if reader.bytesRead != lastRead {
            lastRead = reader.bytesRead
            try live.flushIfTrickling(idleMilliseconds: idleMilliseconds)
            progress?.update(bytesRead: lastRead, lines: lines)
          }
          try onLine(bytes)
        case .tooLong(let length, let head):
          lines &+= 1
          badInput.countLine()
          try badInput.reject(
            path: reader.path, line: reader.lineNumber,
            reason: "line of \(length) bytes is longer than --max-line \(options.maxLine)", raw: head)
        case .idle:
          try badInput.flush()
          try onTick(.idle)
          try live.flushOnIdle()
        case .interrupted:
          progress?.clear()
          return false
        case .end:
          try onTick(.endOfFile(path: path))
          break loop
        }
      }
    }
    progress?.clear()
    return true
  }

  /// Rejects the current line (bad content found by the caller).
  package func reject(_ line: UnsafeRawBufferPointer, reason: String) throws {
    try badInput.reject(path: reader.path, line: reader.lineNumber, reason: reason, raw: line)
  }
}
