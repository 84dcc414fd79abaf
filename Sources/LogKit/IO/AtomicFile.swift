/*
 Replaces a file atomically: the bytes are written in full to `.NAME.tmp.PID`
 in the same directory, fsync'ed, renamed over NAME, and the directory
 fsync'ed. A reader (a browser reloading a report, a restarted command loading
 its state) sees the old content or the new, never a mix, after a crash or
 SIGKILL at any point. A crash leaves at most a stray temp file: readers never
 look at it, and the next replace removes temp files of NAME whose writer
 process is gone. State files (StateFile) and logdash's HTML report use it.
*/
import Glibc

package enum AtomicFile {
  /// Replaces `path` with `bytes` (mode 0644 for a new file).
  package static func replace(path: String, bytes: [UInt8]) throws(IOError) {
    try replace(path: path, bytes: bytes, crash: nil)
  }

  /// Where a simulated crash stops `replace` (tests): the temp file stays as it is.
  enum CrashPoint: Equatable {
    /// After this many bytes of the temp file.
    case afterBytes(Int)
    case beforeSync
    case beforeRename
    case beforeDirectorySync
  }

  static func replace(path: String, bytes content: [UInt8], crash: CrashPoint?) throws(IOError) {
    removeStrayTempFiles(of: path)
    let temp = tempPath(for: path, pid: getpid())
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 { throw .openFailed(path: temp, errno: errno) }
    var limit = content.count
    if case .afterBytes(let n)? = crash { limit = min(max(n, 0), content.count) }
    let written = content.withUnsafeBytes { writeFully(fd, UnsafeRawBufferPointer(rebasing: $0.prefix(limit))) }
    if written != 0 { abandon(fd: fd, temp: temp); throw .writeFailed(path: temp, errno: written) }
    switch crash {
    case .afterBytes?, .beforeSync?: close(fd); return
    default: break
    }
    if fsync(fd) != 0 { let code = errno; abandon(fd: fd, temp: temp); throw .syncFailed(path: temp, errno: code) }
    if close(fd) != 0 { let code = errno; unlink(temp); throw .writeFailed(path: temp, errno: code) }
    if crash == .beforeRename { return }
    if rename(temp, path) != 0 { let code = errno; unlink(temp); throw .renameFailed(from: temp, to: path, errno: code) }
    if crash == .beforeDirectorySync { return }
    try syncDirectory(of: path)
  }

  static func tempPath(for path: String, pid: Int32) -> String {
    let (directory, name) = split(path)
    return directory + "." + name + ".tmp.\(pid)"
  }

  private static func abandon(fd: Int32, temp: String) {
    close(fd)
    unlink(temp)
  }

  /// fsync of the directory makes the rename itself durable.
  private static func syncDirectory(of path: String) throws(IOError) {
    let (directory, _) = split(path)
    let name = directory.isEmpty ? "." : directory
    let fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd < 0 { throw .openFailed(path: name, errno: errno) }
    defer { close(fd) }
    // Some file systems cannot fsync a directory (EINVAL); the rename is done regardless.
    if fsync(fd) != 0 && errno != EINVAL { throw .syncFailed(path: name, errno: errno) }
  }

  /// Removes `.NAME.tmp.PID` files left by writers that died (never a live writer's).
  private static func removeStrayTempFiles(of path: String) {
    let (directory, name) = split(path)
    guard let dir = opendir(directory.isEmpty ? "." : directory) else { return }
    defer { closedir(dir) }
    let prefix = "." + name + ".tmp."
    while let entry = readdir(dir) {
      let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      guard entryName.hasPrefix(prefix), let pid = Int32(entryName.dropFirst(prefix.count)) else { continue }
      if pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) { unlink(directory + entryName) }
    }
  }

  /// ("dir/", "name") with the directory's trailing slash kept; ("", name) for a bare name.
  private static func split(_ path: String) -> (String, String) {
    guard let slash = path.lastIndex(of: "/") else { return ("", path) }
    return (String(path[...slash]), String(path[path.index(after: slash)...]))
  }
}

/// write(2) until done; 0, or the errno of the failure.
func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
  var offset = 0
  while offset < bytes.count {
    let n = write(fd, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
    if n > 0 { offset += n; continue }
    if n < 0 && errno == EINTR { continue }
    return n < 0 ? errno : EIO
  }
  return 0
}
