/*
 The generator's typed configuration. loggen's command layer fills it from
 the command line over a scenario file (Commands/loggen/GenSettings.swift).
*/

package struct GenSettings: Sendable {
  package var format: OutputFormat = .combined
  /// Lines per second; nil for `--rate max`.
  package var rate: Double? = 100
  package var count: Int?
  /// Generated time to cover, in microseconds.
  package var duration: Int64?
  /// Simulated clock start; nil for the real clock (unless `speedup` is set: then it starts now).
  package var start: EpochMicros?
  package var speedup: Double?
  package var seed: UInt64?
  package var diurnal = false
  package var noise = 0.0
  package var clients = 2000
  package var zoneMinutes = 0
  package var incidents: [Incident] = []
  package var replay: String?
  package var inOrder = false
  /// `--replay-format`, `--replay-apache-format`, `--replay-nginx-format` (as logparse's options).
  package var replayFormat: String?
  package var replayApacheFormat: String?
  package var replayNginxFormat: String?
  package var output: String?
  package var truth: String?
  package var lineBuffered = false

  /// Timestamps follow a simulated clock (`--start` or `--speedup`).
  package var simulated: Bool { start != nil || speedup != nil }

  /// Lines per second of generated time: the rate, or for `--rate max` 1000.
  package var nominalRate: Double { rate ?? 1000 }

  package init() {}
}
