/*
 One file FollowInput reads: its descriptor, identity and LineReader (in
 follow mode: a last line without newline waits for the rest), the offset
 just after the last line delivered, and whether it was rotated away
 (retired: read on until it has stayed at its end for a grace period, then
 its partial line is delivered and it is closed).
*/
import Glibc

final class FollowedFile {
  /// Where it was last found.
  var path: String
  /// Index of the pattern it matched (the line source reported to commands).
  var pattern: Int
  private(set) var fd: Int32
  let isFIFO: Bool
  var identity: FileIdentity
  /// The identity the offsets file holds for it (nil: not saved yet).
  var savedIdentity: FileIdentity?
  let reader: LineReader
  /// File offset the reader started at, and the reader's byte count then.
  private var startOffset = 0
  private var bytesAtAttach = 0
  /// Byte just after the last line delivered, and its number.
  private(set) var delivered = 0
  private(set) var deliveredLine = 0
  /// When it was rotated away (monotonic µs), nil while its path still names it.
  var retiredSince: Int64?
  /// True once a read found no more data (reset by data).
  var atEnd = false
  /// Last time a read returned data (monotonic µs).
  var lastData: Int64

  init(path: String, pattern: Int, fd: Int32, isFIFO: Bool, identity: FileIdentity, maxLine: Int, chunk: Int) {
    self.path = path
    self.pattern = pattern
    self.fd = fd
    self.isFIFO = isFIFO
    self.identity = identity
    reader = LineReader(maxLine: maxLine, chunk: chunk)
    lastData = monotonicMicros()
    reader.attach(fd: fd, path: path)
    reader.keepsPartialLine = true
  }

  deinit { closeDescriptor() }

  /// Opens `path` for following (FIFOs without blocking); nil with errno set when it cannot.
  static func open(path: String, pattern: Int, maxLine: Int, chunk: Int) -> FollowedFile? {
    let fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    var info = stat()
    guard fstat(fd, &info) == 0 else { Glibc.close(fd); return nil }
    let kind = info.st_mode & S_IFMT
    guard kind == S_IFREG || kind == S_IFIFO, let identity = FileIdentity.of(fd: fd) else {
      Glibc.close(fd)
      errno = EINVAL
      return nil
    }
    return FollowedFile(
      path: path, pattern: pattern, fd: fd, isFIFO: kind == S_IFIFO, identity: identity, maxLine: maxLine, chunk: chunk)
  }

  /// File offset just after the last byte read.
  var readPosition: Int { startOffset + (reader.bytesRead &- bytesAtAttach) }

  /// Reads on from `offset`, numbering lines after `line`.
  func seek(to offset: Int, line: Int) {
    if !isFIFO { lseek(fd, off_t(offset), SEEK_SET) }
    reader.attach(fd: fd, path: path)
    reader.keepsPartialLine = true
    reader.setLineNumber(line)
    startOffset = isFIFO ? 0 : offset
    bytesAtAttach = reader.bytesRead
    delivered = startOffset
    deliveredLine = line
    atEnd = false
  }

  /// The line just taken from the reader was handled.
  func noteDelivered() {
    delivered = readPosition - reader.unconsumed
    deliveredLine = reader.lineNumber
  }

  /// Current size (regular files), or nil.
  var size: Int? {
    var info = stat()
    guard !isFIFO, fstat(fd, &info) == 0 else { return nil }
    return Int(exactly: info.st_size)
  }

  /// True when the content no longer is the one read: smaller than what was read
  /// (copytruncate), or its first bytes changed (truncated and written again).
  /// Extends the fingerprint while the file is shorter than its limit.
  func wasTruncated() -> Bool {
    guard !isFIFO, let size else { return false }
    if size < readPosition { return true }
    if !identity.prefixMatches(fd: fd) { return true }
    if identity.fingerprintLength < FileIdentity.fingerprintLimit && size > identity.fingerprintLength,
      let fresh = FileIdentity.of(fd: fd)
    {
      identity = fresh
    }
    return false
  }

  /// Where to start a file found at start-up without an offset when reading from
  /// its end: just after its last newline, so a line being written is read whole.
  func lineAlignedEnd() -> Int {
    guard let size, size > 0 else { return 0 }
    let window = min(size, 64 * 1024)
    var tail = [UInt8](repeating: 0, count: window)
    let n = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, window, off_t(size - window)) }
    guard n == window else { return size }
    guard let last = tail.lastIndex(of: 0x0A) else { return window == size ? 0 : size }
    return size - window + last + 1
  }

  /// After FIFO writers all closed: a fresh descriptor, so poll waits for the next writer.
  func reopenFIFO() -> Bool {
    let line = reader.lineNumber
    closeDescriptor()
    fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return false }
    seek(to: 0, line: line)
    return true
  }

  func closeDescriptor() {
    if fd >= 0 { Glibc.close(fd) }
    fd = -1
  }

  var entry: FollowOffset {
    FollowOffset(identity: identity, offset: delivered, line: deliveredLine, path: path)
  }
}

/// Regular files in `directory` other than `except` whose first bytes match `identity`
/// and that hold more than `offset` bytes (a copy made by copytruncate, a file renamed).
func findFile(
  in directory: String, matching identity: FileIdentity, sameInode: Bool, beyond offset: Int, except: FileIdentity?
) -> String? {
  guard let dir = opendir(directory) else { return nil }
  defer { closedir(dir) }
  while let entry = readdir(dir) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    if name == "." || name == ".." { continue }
    let path = directory == "/" ? "/" + name : directory + "/" + name
    var info = stat()
    guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let size = Int(exactly: info.st_size), size > offset
    else { continue }
    let device = UInt64(truncatingIfNeeded: info.st_dev), inode = UInt64(truncatingIfNeeded: info.st_ino)
    if sameInode != (device == identity.device && inode == identity.inode) { continue }
    if let except, except.device == device && except.inode == inode { continue }
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { continue }
    let matches = identity.prefixMatches(fd: fd)
    close(fd)
    if matches { return path }
  }
  return nil
}
