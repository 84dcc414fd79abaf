/*
 At exit, every input whose non-empty lines were all rejected gets one line
 saying what it looks like and what to do, and the run exits 1: such input
 is a mistake (a compressed file, raw logs where NDJSON is read, a format
 that needs an option), and hundreds of per-line messages do not say so.
*/

/// What a command reads, for the hint on an input that was rejected entirely.
package enum ExpectedInput: Sendable {
  /// Access-log lines (logparse).
  case accessLog
  /// NDJSON records.
  case records
  /// `logwindow --partial` records (logwindow --merge).
  case partialRecords
}

extension RunFrame {
  /// Prints a hint for each input rejected entirely; true when there was one.
  func reportWhollyRejected(expects: ExpectedInput) -> Bool {
    let inputs = input.badInput.whollyRejected
    for tally in inputs {
      let lines = tally.rejected == 1 ? "its only line was" : "all \(tally.rejected) lines were"
      printError(name, "\(tally.path): \(lines) rejected: \(Self.hint(tally, expects: expects))")
    }
    return !inputs.isEmpty
  }

  static func hint(_ tally: InputTally, expects: ExpectedInput) -> String {
    let sniff = InputSniff(tally.sample)
    if let hint = sniff.compressedHint { return hint }
    let first = tally.firstReason.map { " (line 1: \(excerpt($0)))" } ?? ""
    switch expects {
    case .accessLog:
      return "no known format matched\(first); see --format, --apache-format/--nginx-format"
    case .records where sniff == .notJSON, .partialRecords where sniff == .notJSON:
      return "input is not JSON: pipe raw logs through logparse first"
    case .records:
      return "no record was usable\(first)"
    case .partialRecords:
      if tally.sample.firstRange(of: Array("\"_partial\"".utf8)) == nil {
        return "these are not partial records: --merge reads the output of logwindow --partial"
      }
      return "no partial record was usable\(first)"
    }
  }
}
