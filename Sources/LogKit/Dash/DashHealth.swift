/*
 What the run loop knows about its input, for the totals and input-health
 panels: lines read, rejected, throughput, whether input ended.
*/

package struct DashHealth: Sendable, Equatable {
  package var lines = 0
  package var rejected = 0
  /// Lines per second over the last few seconds of wall time.
  package var linesPerSecond: Double = 0
  package var inputEnded = false
  package var paused = false

  package init(lines: Int = 0, rejected: Int = 0, linesPerSecond: Double = 0, inputEnded: Bool = false) {
    self.lines = lines
    self.rejected = rejected
    self.linesPerSecond = linesPerSecond
    self.inputEnded = inputEnded
  }
}
