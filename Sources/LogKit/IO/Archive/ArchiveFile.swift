/*
 One file of the archive while it is written: `NAME.partial`, appended to
 (never truncated: it is created with O_EXCL), buffered, and renamed to NAME
 when it is closed. A "parked" file has its descriptor closed to bound the
 open files but stays `.partial`, listed in the checkpoint, and is reopened
 for appending when its period gets another record.
*/
import Glibc

final class ArchiveFile {
  /// Period start (nil: the file for records without a time).
  let start: EpochMicros?
  let end: EpochMicros
  /// The name it gets when closed (a part name instead, if that is taken by then).
  var finalPath: String
  let partialPath: String
  /// A part file (`NAME.N.ext`): its period's own name was taken.
  let isPart: Bool
  var fd: Int32 = -1
  /// Bytes in the file (written with write(2)).
  var length = 0
  var buffer: [UInt8] = []
  /// Written since the last fsync.
  var unsynced = false
  /// When it was last written to (a counter), for closing the least recent first.
  var lastUse = 0
  /// --compress gzip: each flush is written as one gzip member.
  let gzip: Gzip?

  init(start: EpochMicros?, end: EpochMicros, finalPath: String, isPart: Bool, gzip: Gzip?) {
    self.start = start
    self.end = end
    self.finalPath = finalPath
    partialPath = finalPath + ".partial"
    self.isPart = isPart
    self.gzip = gzip
  }

  /// Creates `NAME.partial` (O_EXCL: an existing file is never written over).
  func create() throws(IOError) {
    try makeDirectories(for: partialPath)
    fd = open(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
    if fd < 0 { throw .openFailed(path: partialPath, errno: errno) }
    // The name itself must survive a power loss, as the checkpoint will list it.
    try syncDirectory(of: partialPath)
  }

  /// Reopens a parked file for appending.
  func reopen() throws(IOError) {
    fd = open(partialPath, O_WRONLY | O_APPEND | O_CLOEXEC)
    if fd < 0 { throw .openFailed(path: partialPath, errno: errno) }
  }

  func append(_ line: UnsafeRawBufferPointer) {
    buffer.append(contentsOf: line)
    buffer.append(0x0A)
  }

  /// Writes the buffer out.
  func flush() throws(IOError) {
    guard !buffer.isEmpty else { return }
    if fd < 0 { try reopen() }
    let bytes = gzip.map { gzip in buffer.withUnsafeBytes { gzip.member($0) } } ?? buffer
    let code = bytes.withUnsafeBytes { writeFully(fd, $0) }
    if code != 0 { throw .writeFailed(path: partialPath, errno: code) }
    length += bytes.count
    buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 16)
    unsynced = true
  }

  func sync() throws(IOError) {
    guard unsynced, fd >= 0 else { return }
    if fdatasync(fd) != 0 { throw .syncFailed(path: partialPath, errno: errno) }
    unsynced = false
  }

  /// Flushes, fsyncs and closes the descriptor; the file stays `.partial`.
  func park() throws(IOError) {
    try flush()
    try sync()
    if fd >= 0 { Glibc.close(fd) }
    fd = -1
  }

  /// Parks, then renames `NAME.partial` to NAME and fsyncs the directory.
  func close() throws(IOError) {
    try park()
    try renameNoReplace(partialPath, finalPath)
    try syncDirectory(of: finalPath)
  }
}

func fileExists(_ path: String) -> Bool {
  var info = stat()
  return lstat(path, &info) == 0
}

/// rename(2) that refuses to replace an existing `to` (a single writer per archive is assumed:
/// the check and the rename are not one step).
func renameNoReplace(_ from: String, _ to: String) throws(IOError) {
  if fileExists(to) { throw .renameFailed(from: from, to: to, errno: EEXIST) }
  if rename(from, to) != 0 { throw .renameFailed(from: from, to: to, errno: errno) }
}

/// `mkdir -p` of the directories above `path`.
func makeDirectories(for path: String) throws(IOError) {
  var prefix = ""
  let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
  for (n, part) in parts.enumerated() {
    prefix += (n == 0 ? "" : "/") + part
    if part.isEmpty || part == "." || part == ".." { continue }
    if mkdir(prefix, 0o755) == 0 {
      try syncDirectory(of: prefix)  // the new directory's entry in its parent
    } else if errno != EEXIST {
      throw .openFailed(path: prefix, errno: errno)
    }
  }
}

/// fsync of the directory holding `path` makes a rename durable.
func syncDirectory(of path: String) throws(IOError) {
  let directory = TimePattern.directory(of: path)
  let name = directory.isEmpty ? "." : directory
  let fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
  if fd < 0 { throw .openFailed(path: name, errno: errno) }
  defer { Glibc.close(fd) }
  // Some file systems cannot fsync a directory (EINVAL); the rename is done regardless.
  if fsync(fd) != 0 && errno != EINVAL { throw .syncFailed(path: name, errno: errno) }
}
