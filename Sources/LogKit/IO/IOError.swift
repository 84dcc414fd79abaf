/// Failures of the byte-level input and output layer.
///
/// Messages are lowercase without a trailing period so they compose after
/// `cmd: path:` prefixes.
package enum IOError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The reader of our output went away (EPIPE). Commands end quietly on it.
  case brokenPipe
  /// write(2) failed for another reason (ENOSPC on /dev/full, EIO, ...).
  case writeFailed(path: String, errno: Int32)
  /// read(2) failed.
  case readFailed(path: String, errno: Int32)
  /// open(2) failed.
  case openFailed(path: String, errno: Int32)
  /// fsync(2) failed: the data may not be on disk.
  case syncFailed(path: String, errno: Int32)
  /// rename(2) failed (replacing a state file).
  case renameFailed(from: String, to: String, errno: Int32)

  package var description: String {
    switch self {
    case .brokenPipe: return "broken pipe"
    case .writeFailed(let path, let code): return "\(path): write failed: \(errnoText(code))"
    case .readFailed(let path, let code): return "\(path): read failed: \(errnoText(code))"
    case .openFailed(let path, let code): return "\(path): \(errnoText(code))"
    case .syncFailed(let path, let code): return "\(path): fsync failed: \(errnoText(code))"
    case .renameFailed(let from, let to, let code): return "\(to): cannot replace it with \(from): \(errnoText(code))"
    }
  }
}

import Glibc

/// strerror(3) as a lowercase Swift string ("no such file or directory").
package func errnoText(_ code: Int32) -> String {
  guard let text = strerror(code) else { return "error \(code)" }
  let s = String(cString: text)
  guard let first = s.first else { return s }
  return first.lowercased() + s.dropFirst()
}
