/*
 Replaces a file atomically: the text goes to a temporary file in the same
 folder, which is renamed over the target, so a reader (a browser reloading
 the report) sees the old page or the new one, never half of one.
*/
import Glibc

package enum AtomicFile {
  package static func write(path: String, text: String) throws(DashError) {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .writeFailed(path: temporary, errno: errno) }
    var bytes = text
    let written = bytes.withUTF8 { writeAll(fd, UnsafeRawBufferPointer($0)) }
    let code = errno
    close(fd)
    guard written else {
      unlink(temporary)
      throw .writeFailed(path: temporary, errno: code)
    }
    guard rename(temporary, path) == 0 else {
      let renameCode = errno
      unlink(temporary)
      throw .writeFailed(path: path, errno: renameCode)
    }
  }
}
