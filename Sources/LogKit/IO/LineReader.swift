/*
 Line input over read(2) with one reusable buffer.

 `next` hands out each line as a byte range into the buffer, valid until the
 following call: no String and no allocation per line. Newlines are found with
 memchr, a trailing `\r` is dropped, a final line without `\n` still counts.
 A line longer than `maxLine` is skipped in constant memory and reported as
 `.tooLong` with its first `maxLine` bytes (for --rejects). Before blocking in read(2) the reader polls, so a caller learns
 that input went idle (`.idle`) and can flush its output or close windows.
*/
import Glibc

package enum LineEvent {
  /// One line without its terminator; valid until the next call.
  case line(UnsafeRawBufferPointer)
  /// A line over the limit was skipped; `length` is its size in bytes, `head`
  /// its first `maxLine` bytes (valid until the next call).
  case tooLong(length: Int, head: UnsafeRawBufferPointer)
  /// No input arrived for the idle interval.
  case idle
  /// SIGINT or SIGTERM arrived.
  case interrupted
  /// End of this input.
  case end
}

package final class LineReader {
  package let maxLine: Int
  private let capacity: Int
  private let base: UnsafeMutableRawPointer
  /// The first `maxLine` bytes of the over-long line being skipped.
  private let head: UnsafeMutableRawPointer
  private var headLength = 0
  private var start = 0  // first unconsumed byte
  private var scanned = 0  // bytes after `start` known to hold no newline
  private var end = 0  // one past the last valid byte
  private var fd: Int32 = -1
  private var atEOF = false
  private var skipping = false
  private var skippedLength = 0
  package private(set) var path: String = "-"
  /// 1-based number of the line last returned (or skipped) in this input.
  package private(set) var lineNumber = 0
  /// Bytes read from all inputs so far.
  package private(set) var bytesRead = 0
  /// Follow mode (FollowInput): at the end of the data read so far, a last line
  /// without newline is kept, since its writer may still complete it.
  package var keepsPartialLine = false
  /// Bytes read but not yet handed out (a partial line, or lines still to take).
  package var unconsumed: Int { end - start }

  /// - Parameters:
  ///   - maxLine: longest accepted line in bytes (without terminator).
  ///   - chunk: bytes asked of each read(2).
  package init(maxLine: Int = 1 << 20, chunk: Int = 256 * 1024) {
    self.maxLine = max(maxLine, 1)
    self.capacity = self.maxLine + max(chunk, 1) + 1
    self.base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    self.head = UnsafeMutableRawPointer.allocate(byteCount: self.maxLine, alignment: 16)
  }

  deinit {
    base.deallocate()
    head.deallocate()
  }

  private var skippedHead: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: head, count: headLength) }

  /// Starts reading an already open descriptor (the reader does not close it).
  package func attach(fd: Int32, path: String) {
    self.fd = fd
    self.path = path
    start = 0; end = 0; scanned = 0
    atEOF = false; skipping = false; skippedLength = 0
    lineNumber = 0
  }

  /// Returns the next event. `idleMilliseconds` < 0 blocks without idle events.
  package func next(idleMilliseconds: Int32 = -1) throws(IOError) -> LineEvent {
    while true {
      if let event = nextBuffered() { return event }
      if Signals.interrupted { return .interrupted }
      makeRoom()
      if idleMilliseconds >= 0 && !inputReady(timeout: idleMilliseconds) {
        if Signals.interrupted { return .interrupted }
        return .idle
      }
      if Signals.interrupted { return .interrupted }
      let n = read(fd, base + end, capacity - end)
      if n < 0 {
        let code = errno
        if code == EINTR {
          if Signals.interrupted { return .interrupted }
          continue
        }
        if code == EAGAIN {
          _ = inputReady(timeout: -1)
          continue
        }
        throw .readFailed(path: path, errno: code)
      }
      if n == 0 { atEOF = true; continue }
      bytesRead &+= n
      end += n
    }
  }

  /// The next line, over-long line or end already in the buffer, without reading;
  /// nil when a read is needed (`readOnce`, for callers that poll several inputs).
  @inline(__always)
  package func nextBuffered() -> LineEvent? {
    if let event = takeBufferedLine() { return event }
    guard atEOF else { return nil }
    if keepsPartialLine { return .end }
    if skipping {
      skipping = false
      let length = skippedLength + (end - start)
      skippedLength = 0
      start = end
      return .tooLong(length: length, head: skippedHead)
    }
    if end > start {
      // A last line without newline.
      let line = finishLine(at: end)
      start = end
      return line
    }
    return .end
  }

  /// Forgets the end of data, so the next read asks the descriptor again (a followed file grew).
  package func resumeAfterEnd() { atEOF = false }

  /// Takes the data read so far as all there is (a followed file is being left).
  package func markEnd() { atEOF = true }

  /// Starts line numbers at `line` (a followed file resumed from saved offsets).
  package func setLineNumber(_ line: Int) { lineNumber = line }

  package enum ReadOutcome {
    /// Bytes or the end of input arrived: take them with `nextBuffered`.
    case read
    /// Nothing to read yet (EAGAIN).
    case wouldBlock
    /// A signal interrupted read(2).
    case interrupted
  }

  /// One read(2) of at most `limit` bytes into the buffer, for a descriptor poll(2) found ready.
  package func readOnce(limit: Int = .max) throws(IOError) -> ReadOutcome {
    if atEOF { return .read }
    makeRoom()
    let n = read(fd, base + end, min(capacity - end, max(limit, 1)))
    if n < 0 {
      let code = errno
      if code == EINTR { return .interrupted }
      if code == EAGAIN { return .wouldBlock }
      throw .readFailed(path: path, errno: code)
    }
    if n == 0 { atEOF = true } else { bytesRead &+= n; end += n }
    return .read
  }

  /// Finds a complete line in the buffer, or drops an over-long one.
  @inline(__always)
  private func takeBufferedLine() -> LineEvent? {
    let from = start + scanned
    if from < end, let hit = memchr(base + from, 0x0A, end - from) {
      let newline = hit - base
      if skipping {
        skipping = false
        let length = skippedLength + (newline - start)
        skippedLength = 0
        start = newline + 1
        scanned = 0
        return .tooLong(length: length, head: skippedHead)
      }
      let event = finishLine(at: newline)
      start = newline + 1
      scanned = 0
      return event
    }
    scanned = end - start
    if end - start > maxLine {
      // Drop what we have of the over-long line and keep skipping to its end.
      if !skipping {
        lineNumber += 1
        headLength = maxLine
        head.copyMemory(from: base + start, byteCount: maxLine)
      }
      skipping = true
      skippedLength += end - start
      start = end
      scanned = 0
    }
    return nil
  }

  @inline(__always)
  private func finishLine(at stop: Int) -> LineEvent {
    var length = stop - start
    if length > 0 && base.load(fromByteOffset: start + length - 1, as: UInt8.self) == 0x0D { length -= 1 }
    lineNumber += 1
    if length > maxLine {
      return .tooLong(length: length, head: UnsafeRawBufferPointer(start: base + start, count: maxLine))
    }
    return .line(UnsafeRawBufferPointer(start: base + start, count: length))
  }

  /// Moves unconsumed bytes to the front when the tail has little room left.
  private func makeRoom() {
    if start == end { start = 0; end = 0; return }
    if capacity - end < capacity / 4 || start > capacity / 2 {
      let n = end - start
      memmove(base, base + start, n)
      start = 0
      end = n
    }
  }

  private func inputReady(timeout: Int32) -> Bool {
    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let r = poll(&pfd, 1, timeout)
    return r != 0
  }
}
