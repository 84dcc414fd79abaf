/*
 Buffered output to a file descriptor.

 Records are appended to one big buffer which is written with write(2) when it
 fills, when the caller says a record ended and line buffering is on, when the
 input went idle (so live pipelines stay live) and at exit. EPIPE surfaces as
 `IOError.brokenPipe` so commands can end quietly, as `cat` and `rg` do.
 Full buffers bound for a regular file go to a BackgroundWriter (a second
 buffer is filled meanwhile); a flush waits for it.
*/
import Glibc

package final class OutputSink {
  @usableFromInline var base: UnsafeMutablePointer<UInt8>
  @usableFromInline var count: Int = 0
  @usableFromInline var capacity: Int
  /// Flush after every record (`--line-buffered`, or stdout is a terminal).
  package var lineBuffered: Bool
  package let fd: Int32
  package let path: String
  /// Set once a write failed; later writes are dropped so the error is reported once.
  package private(set) var failure: IOError?
  /// Set by a structured writer above this layer (JSON's comma, see
  /// JSONWriter.swift) when the next item needs a separator; a line's end clears it.
  @usableFromInline var separatorPending = false
  /// Total bytes handed to write(2), for `--stats`.
  package private(set) var bytesWritten: Int = 0
  /// Takes the flushed bytes instead of write(2) (the archive of --split-by-time).
  package var downstream: (any SinkDownstream)?
  /// Writes full buffers of a regular file on another thread (started at the first full buffer).
  private var writer: BackgroundWriter?
  private var writerChecked = false
  /// The buffer filled while the writer has the other one.
  private var spare: UnsafeMutablePointer<UInt8>?
  private var spareCapacity = 0

  /// - Parameters:
  ///   - fd: an open descriptor; the sink does not close it unless `ownsDescriptor`.
  ///   - capacity: buffer size; 256 KiB keeps syscalls rare in batch runs.
  package init(fd: Int32, path: String = "<stdout>", capacity: Int = 256 * 1024, lineBuffered: Bool = false) {
    self.fd = fd
    self.path = path
    self.capacity = Swift.max(capacity, 4096)
    self.base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    self.lineBuffered = lineBuffered
  }

  /// Opens (creating or truncating) a file for writing.
  package static func create(path: String, append: Bool = false) throws(IOError) -> OutputSink {
    let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
    let fd = open(path, flags, 0o644)
    if fd < 0 { throw .openFailed(path: path, errno: errno) }
    return OutputSink(fd: fd, path: path)
  }

  deinit {
    writer?.stop()
    spare?.deallocate()
    base.deallocate()
  }

  /// True when flushing writes somewhere (a descriptor or a downstream), not an in-memory buffer.
  package var isConnected: Bool { fd >= 0 || downstream != nil }

  /// Bytes waiting in the buffer.
  package var pending: Int { count }

  @inlinable @inline(__always)
  package func ensure(_ n: Int) {
    if count &+ n > capacity { makeRoom(n) }
  }

  @usableFromInline @inline(never)
  func makeRoom(_ n: Int) {
    // A sink without descriptor (fd < 0) is an in-memory buffer: it only grows.
    if let writer = backgroundWriter() {
      handOff(to: writer)
    } else if fd >= 0 || downstream != nil {
      try? flush()
    }
    if count + n > capacity {
      let newCapacity = Swift.max(count + n, capacity * 2)
      let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
      newBase.update(from: base, count: count)
      base.deallocate()
      base = newBase
      capacity = newCapacity
    }
  }

  @inlinable @inline(__always)
  package func append(_ byte: UInt8) {
    ensure(1)
    base[count] = byte
    count &+= 1
  }

  @inlinable
  package func append(_ bytes: UnsafeRawBufferPointer) {
    guard let src = bytes.baseAddress, bytes.count > 0 else { return }
    ensure(bytes.count)
    (base + count).update(from: src.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    count &+= bytes.count
  }

  @inlinable
  package func append(_ string: StaticString) {
    append(UnsafeRawBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
  }

  package func append(string: String) {
    var s = string
    s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
  }

  package func append(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { append($0) }
  }

  /// Appends a decimal integer.
  @inlinable
  package func appendInt(_ value: Int) {
    ensure(20)
    var v = value.magnitude
    if value < 0 {
      base[count] = UInt8(ascii: "-")
      count &+= 1
    }
    // Digits written in place from the end (no scratch copy): count them first.
    var digits = 1
    var limit: UInt = 10
    while v >= limit {
      digits &+= 1
      if digits == 20 { break }  // 10^19 is the last power of ten a UInt holds
      limit &*= 10
    }
    var i = count &+ digits
    count = i
    repeat {
      i &-= 1
      base[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
      v /= 10
    } while v != 0
  }

  /// Ends a line without flushing (a writer that flushes on its own schedule).
  @inlinable
  package func endLine() {
    append(UInt8(ascii: "\n"))
    separatorPending = false
  }

  /// Ends a record: appends `\n` and flushes when line-buffered.
  @inlinable
  package func endRecord() throws(IOError) {
    append(UInt8(ascii: "\n"))
    separatorPending = false
    if lineBuffered { try flush() }
    else if let failure { throw failure }
  }

  /// The writer for a batch run's regular file (nil for pipes, terminals, line buffering).
  private func backgroundWriter() -> BackgroundWriter? {
    if !writerChecked && fd >= 0 && downstream == nil && !lineBuffered {
      writerChecked = true
      if isRegularFile(fd), let started = BackgroundWriter(fd: fd) {
        writer = started
        spare = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        spareCapacity = capacity
      }
    }
    return lineBuffered ? nil : writer
  }

  /// Gives the full buffer to the writer and goes on in the spare one (the writer's last).
  private func handOff(to writer: BackgroundWriter) {
    guard failure == nil, let free = spare else { count = 0; return }
    let code = writer.submit(UnsafeRawBufferPointer(start: base, count: count))
    if code != 0 {
      failure = .writeFailed(path: path, errno: code)
      count = 0
      return
    }
    bytesWritten &+= count
    spare = base
    base = free
    swap(&capacity, &spareCapacity)
    count = 0
  }

  /// Writes everything buffered. Retries short writes and EINTR.
  package func flush() throws(IOError) {
    if let writer {
      let code = writer.waitIdle()
      if code != 0 && failure == nil { failure = .writeFailed(path: path, errno: code) }
    }
    if let failure { count = 0; throw failure }
    if let downstream {
      do throws(IOError) {
        try downstream.consume(UnsafeRawBufferPointer(start: base, count: count))
      } catch {
        count = 0
        failure = error
        throw error
      }
      bytesWritten &+= count
      count = 0
      return
    }
    var offset = 0
    while offset < count {
      let n = write(fd, base + offset, count - offset)
      if n < 0 {
        let code = errno
        if code == EINTR { continue }
        if code == EAGAIN { waitWritable(); continue }
        count = 0
        let error: IOError = code == EPIPE ? .brokenPipe : .writeFailed(path: path, errno: code)
        failure = error
        throw error
      }
      offset += n
    }
    bytesWritten &+= count
    count = 0
  }

  private func waitWritable() {
    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
    _ = poll(&pfd, 1, 100)
  }

  /// Flushes and closes the descriptor (for files the sink opened).
  package func close() throws(IOError) {
    try flush()
    if Glibc.close(fd) != 0 {
      let code = errno
      throw .writeFailed(path: path, errno: code)
    }
  }
}

extension OutputSink {
  /// The buffered bytes as a String, emptying the buffer (for in-memory sinks).
  package func takeString() -> String {
    let s = String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    count = 0
    separatorPending = false
    return s
  }
}
