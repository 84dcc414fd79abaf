/*
 Bad input accounting shared by every command.

 A bad line never stops the stream and never disappears: it is counted, the
 first few are reported on stderr with file and line number as they happen,
 every one is copied verbatim to `--rejects FILE` when asked, and a summary is
 printed at exit. `--strict` (or `--max-errors N`) turns bad input into exit 1.
*/

/// Thrown when `--strict` or `--max-errors` stops the run.
package struct BadInputLimit: Error, CustomStringConvertible, Sendable {
  package var message: String
  package var description: String { message }
}

package final class BadInput {
  package let command: String
  package private(set) var count = 0
  private var rejects: OutputSink?
  private let limit: Int?
  /// Messages shown as they happen; the rest only count.
  private let reportFirst: Int
  /// Per input (its index set by the input loop): lines and rejections, for `whollyRejected`.
  package var tallies: [InputTally] = []
  package var currentInput = 0

  /// - Parameters:
  ///   - limit: stop after this many bad lines (1 for `--strict`), nil for never.
  package init(command: String, rejectsPath: String?, limit: Int?, reportFirst: Int = 5) throws(IOError) {
    self.command = command
    self.limit = limit
    self.reportFirst = reportFirst
    if let rejectsPath { rejects = try OutputSink.create(path: rejectsPath) }
  }

  /// Records one bad line. `raw` is written to the rejects file (with a newline).
  package func reject(path: String, line: Int, reason: String, raw: UnsafeRawBufferPointer?) throws {
    count += 1
    noteRejected(raw: raw, reason: reason)
    if count <= reportFirst {
      printError(command, "\(path):\(line): \(reason)")
    } else if count == reportFirst + 1 {
      printError(command, "more bad input follows; the count is given at exit")
    }
    if let rejects, let raw {
      rejects.append(raw)
      rejects.append(UInt8(ascii: "\n"))
      if rejects.pending > 64 * 1024 { try rejects.flush() }
    }
    if let limit, count >= limit {
      try finish()
      throw BadInputLimit(message: limit == 1 ? "stopping at the first bad input line (--strict)" : "stopping after \(count) bad input lines (--max-errors)")
    }
  }

  /// Flushes the rejects file (call on idle and at exit).
  package func flush() throws(IOError) { try rejects?.flush() }

  /// Flushes, closes and prints the summary line when anything was rejected.
  package func finish() throws(IOError) {
    if let rejects { try rejects.close(); self.rejects = nil }
  }

  package func summary(of total: Int, noun: String = "lines") {
    guard count > 0 else { return }
    printError(command, "\(count) of \(total) input \(noun) rejected")
  }
}
