/*
 Progress on stderr for long batch runs on a terminal: a single line
 rewritten in place at most a few times a second, cleared at the end.
 Only while a regular file is read: a pipe or FIFO is a live stream (every
 stage of `loggen | logparse | logwindow` shares the terminal), where a
 progress line would never end and stages would overwrite each other's.
*/
import Glibc

final class ProgressMeter {
  private let command: String
  private var totalBytes: Int = 0
  private var startedAt = monotonicMicros()
  private var lastShown: Int64 = 0
  private var shown = false
  private var active = false

  init(command: String, paths: [String]) {
    self.command = command
    for path in paths where path != "-" {
      var st = stat()
      if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { totalBytes += Int(st.st_size) }
    }
  }

  func startFile(path: String, fd: Int32) {
    var st = stat()
    active = fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    if !active { clear() }
  }

  /// Called after each read(2), not every N lines: with long lines N lines can take minutes.
  func update(bytesRead: Int, lines: Int) {
    guard active else { return }
    let now = monotonicMicros()
    // Quiet during the first second: short runs show nothing.
    guard now - startedAt > 1_000_000, now - lastShown > 250_000 else { return }
    lastShown = now
    let count = lines < 100_000 ? "\(lines)" : "\(lines / 1000)k"
    var text = "\r\(command): \(count) lines, \(bytesRead >> 20) MiB"
    if totalBytes > 0 { text += " (\(min(100, bytesRead * 100 / max(totalBytes, 1)))%)" }
    writeStderr(text + "\u{1B}[K")
    shown = true
  }

  func clear() {
    if shown { writeStderr("\r\u{1B}[K") }
    shown = false
  }
}
