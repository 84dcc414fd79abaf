/*
 The standard streams outside the buffered OutputSink: messages on stderr
 (every line starts with the command's name) and whole writes to a descriptor.
*/
import Glibc

/// Prints `name: message` on stderr.
package func printError(_ name: String, _ message: String) {
  writeStderr("\(name): \(message)\n")
}

package func writeStderr(_ text: String) {
  var s = text
  s.withUTF8 { buffer in _ = writeAll(2, UnsafeRawBufferPointer(buffer)) }
}

package func writeStdout(_ text: String) {
  var s = text
  s.withUTF8 { buffer in
    if !writeAll(1, UnsafeRawBufferPointer(buffer)) && errno != EPIPE {
      printError("logkit", "writing output failed: \(errnoText(errno))")
      exit(1)
    }
  }
}

/// write(2) until done; false on failure (errno is set).
@discardableResult
package func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
  var offset = 0
  while offset < bytes.count {
    let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
    if n < 0 {
      if errno == EINTR { continue }
      return false
    }
    offset += n
  }
  return true
}

/// True when the descriptor is a terminal.
package func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
