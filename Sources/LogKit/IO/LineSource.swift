/*
 What a command's run loop reads from: one input after another (LineInput,
 the usual case, with progress on a terminal) or several streams at once
 (MultiLineInput, `logalert a.fifo b.fifo`). The run frame picks one with
 `wantsConcurrentInputs`, or FollowInput with `--follow`; commands see only
 this protocol.
*/
import Glibc

package protocol LineSource: AnyObject {
  /// Lines seen, including rejected ones.
  var lines: Int { get }
  /// Bytes read from all inputs so far.
  var bytesRead: Int { get }
  var badInput: BadInput { get }
  /// How long input may be quiet before an `.idle` tick, in milliseconds.
  var idleMilliseconds: Int32 { get set }
  /// Output flushed on idle ticks and during a steady trickle.
  var liveOutput: OutputSink? { get set }
  /// Index in the paths of the input whose line (or end) is being delivered.
  var source: Int { get }
  /// Rejects the line being delivered: counted, reported with its file and line, kept with --rejects.
  func reject(_ line: UnsafeRawBufferPointer, reason: String) throws
  /// Reads every input to its end; false when interrupted by a signal.
  @discardableResult
  func run(onLine: (UnsafeRawBufferPointer) throws -> Void, onTick: (InputTick) throws -> Void) throws -> Bool
}

/// True when the inputs must be read at once rather than in turn: two or more
/// of them are streams (FIFOs, terminals, pipes, `-`), so reading one to its end
/// before the next would hold the other writers up forever. Files, and a
/// single stream after files, read in turn as `cat` would.
package func wantsConcurrentInputs(_ paths: [String]) -> Bool {
  guard paths.count > 1 else { return false }
  var streams = 0
  for path in paths where !isRegularFile(path) { streams += 1 }
  return streams > 1
}

/// A path that names a regular file (stat, following links); `-` is a stream
/// unless stdin is redirected from a file. A missing path counts as a file, so
/// the open reports it.
private func isRegularFile(_ path: String) -> Bool {
  var info = stat()
  let status = path == "-" ? fstat(0, &info) : stat(path, &info)
  guard status == 0 else { return true }
  return info.st_mode & S_IFMT == S_IFREG
}

extension LineInput: LineSource {
  package var bytesRead: Int { reader.bytesRead }
}

extension MultiLineInput: LineSource {
  package func run(onLine: (UnsafeRawBufferPointer) throws -> Void, onTick: (InputTick) throws -> Void) throws -> Bool {
    try run(onLine: { _, line in try onLine(line) }, onTick: onTick)
  }
}
