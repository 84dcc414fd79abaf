/*
 Settings of the window engine, validated from the command line (or built
 by tests directly).
*/

package struct WindowConfig: Sendable {
  package var kind: WindowKind
  /// Watermark = max event time - lateness.
  package var lateness: EpochMicros = 0
  /// Quiet time before the watermark follows the wall clock; nil: never.
  package var idle: EpochMicros? = 5_000_000
  /// Groups per window (sessions: open sessions) before folding into `_other`.
  package var maxGroups = 100_000
  /// Windows open at once before the oldest is closed early (memory bound
  /// when windows are many: --every 1s with --lateness end or --merge).
  package var maxWindows = 100_000
  /// Wall-clock period of `--emit early` updates; nil for final records only.
  package var earlyEvery: EpochMicros?
  /// Merge mode: windows only close at end of input unless lateness was given.
  package var closeAtEndOnly = false

  package init(kind: WindowKind) {
    self.kind = kind
  }
}
