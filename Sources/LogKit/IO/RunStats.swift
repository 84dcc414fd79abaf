/*
 The `--stats` line printed on stderr at exit, in one wording for every
 command: the command's own counts, then bytes, elapsed time and throughput.

   logparse: 20000 lines, 20000 parsed, 0 rejected, 0 skipped, 2127619 bytes in 0.041 s (487804 lines/s, 51 MB/s)
   loggen: 100000 lines, 10468342 bytes in 0.052 s (1923076 lines/s, 201 MB/s)
*/

package enum RunStats {
  /// Prints `COMMAND: COUNTS, B bytes in S s (R lines/s, M MB/s)`; `counts` starts with the line count.
  package static func print(_ command: String, counts: String, lines: Int, bytes: Int, micros: Int64) {
    let seconds = fixedPoint(micros, scale: 1_000_000, digits: 3)
    let rate = micros > 0 ? Int(Double(lines) * 1e6 / Double(micros)) : 0
    let mbps = micros > 0 ? Int(Double(bytes) / Double(micros)) : 0
    printError(command, "\(counts), \(bytes) bytes in \(seconds) s (\(rate) lines/s, \(mbps) MB/s)")
  }

  /// `value / scale` with a fixed number of decimals (no Foundation formatting).
  static func fixedPoint(_ value: Int64, scale: Int64, digits: Int) -> String {
    var unit: Int64 = 1
    for _ in 0..<digits { unit *= 10 }
    let scaled = (value * unit + scale / 2) / scale
    let fraction = String(scaled % unit)
    return "\(scaled / unit)." + String(repeating: "0", count: digits - fraction.count) + fraction
  }
}
