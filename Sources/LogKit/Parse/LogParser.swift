/*
 Chooses the format of each line and parses it into a FieldTable.

 A fixed format (`--format combined`, `--apache-format ...`) is one LineFormat
 or a short list of them. `--format auto` (the default) detects per input
 stream: `{` lines are JSON access logs, `#` lines are W3C directives and make
 the stream a W3C log, anything else is tried against the Apache/nginx family
 (nginx main, combined, common, vhost_combined, combined plus
 $request_time), starting with the format of
 the last line that parsed, so a steady stream costs one attempt per line and
 common and combined lines may be mixed. When every candidate fails, the
 failure that got furthest into the line is reported: it names what was
 really wrong rather than the first mismatch of an unrelated format.
*/

package enum LogFormatChoice: String, CaseIterable, Sendable {
  case auto, common, combined, vhostCombined = "vhost_combined", nginx, nginxMain = "nginx-main", w3c, json
}

package final class LogParser {
  package enum Outcome: Equatable {
    case record
    /// A line that holds no record (empty line, W3C directive).
    case skip
    case reject(ParseFailure)
  }

  private let formats: [LineFormat]
  private let allowJSON: Bool
  private let allowW3C: Bool
  private let allowLines: Bool
  private var current = 0
  private let w3c = W3CLog()
  private let json: JSONAccessLog
  private var streamIsW3C = false
  package let table: FieldTable

  package init(choice: LogFormatChoice, maxLine: Int) throws(LogFormatError) {
    table = FieldTable(maxLine: maxLine)
    json = JSONAccessLog(table: table)
    allowJSON = choice == .auto || choice == .json
    allowW3C = choice == .auto || choice == .w3c
    switch choice {
    case .auto:
      formats = [
        // nginx main written with %l, so an ident other than `-` still parses.
        try ApacheFormat.compile(ApacheFormat.combined + #" "%{X-Forwarded-For}i""#, name: "nginx-main"),
        try ApacheFormat.compile(ApacheFormat.combined, name: "combined"),
        try ApacheFormat.compile(ApacheFormat.common, name: "common"),
        try ApacheFormat.compile(ApacheFormat.vhostCombined, name: "vhost_combined"),
        try NginxFormat.compile(NginxFormat.timed, name: "nginx-timed"),
      ]
    case .common: formats = [try ApacheFormat.compile(ApacheFormat.common, name: "common")]
    case .combined: formats = [try ApacheFormat.compile(ApacheFormat.combined, name: "combined")]
    case .vhostCombined: formats = [try ApacheFormat.compile(ApacheFormat.vhostCombined, name: "vhost_combined")]
    case .nginx:
      formats = [
        try NginxFormat.compile(NginxFormat.main, name: "nginx-main"),
        try NginxFormat.compile(NginxFormat.combined, name: "nginx-combined"),
        try NginxFormat.compile(NginxFormat.timed, name: "nginx-timed"),
      ]
    case .nginxMain: formats = [try NginxFormat.compile(NginxFormat.main, name: "nginx-main")]
    case .w3c, .json: formats = []
    }
    allowLines = !formats.isEmpty
  }

  /// A parser for one user-given format.
  package init(format: LineFormat, maxLine: Int) {
    table = FieldTable(maxLine: maxLine)
    json = JSONAccessLog(table: table)
    formats = [format]
    allowJSON = false
    allowW3C = false
    allowLines = true
  }

  /// Custom field names the line formats write (known before the run; JSON and
  /// W3C logs add theirs while reading).
  package var formatCustomNames: [String] { formats.flatMap(\.customNameList) }

  /// The next input is a new stream: detection starts again.
  package func endOfStream() {
    streamIsW3C = false
    w3c.reset()
    current = 0
  }

  /// Parses one line (without its newline) into `table`.
  @inline(__always)
  package func parse(_ line: UnsafeRawBufferPointer) -> Outcome {
    var line = line
    // Trailing blanks carry nothing and some servers pad lines; a lone CR is a
    // Windows line end split from its LF.
    while let last = line.last, last == 0x20 || last == 0x09 || last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
    guard let first = line.first else { return .skip }
    table.reset()
    if allowW3C && first == UInt8(ascii: "#") {
      w3c.directive(line)
      streamIsW3C = true
      return .skip
    }
    if allowW3C && (streamIsW3C || !allowLines) {
      return outcome(w3c.parse(line, into: table))
    }
    if allowJSON && (first == UInt8(ascii: "{") || !allowLines) {
      return outcome(json.parse(line))
    }
    guard let failure = formats[current].match(line, into: table) else {
      return table.quoteRecovered && formats.count > 1 ? preferExact(line) : .record
    }
    return retry(line, first: failure)
  }

  /// The current format only matched by reading an unescaped quote as text; another
  /// format that matches without doing so is the better reading (a combined
  /// user agent must not swallow nginx's trailing "$http_x_forwarded_for").
  @inline(never)
  private func preferExact(_ line: UnsafeRawBufferPointer) -> Outcome {
    for k in formats.indices where k != current {
      table.reset()
      if formats[k].match(line, into: table) == nil && !table.quoteRecovered {
        current = k
        return .record
      }
    }
    table.reset()
    _ = formats[current].match(line, into: table)
    return .record
  }

  @inline(__always)
  private func outcome(_ failure: ParseFailure?) -> Outcome {
    guard let failure else { return .record }
    return .reject(failure)
  }

  /// Tries the other formats after the current one failed.
  @inline(never)
  private func retry(_ line: UnsafeRawBufferPointer, first: ParseFailure) -> Outcome {
    var furthest = first
    for k in formats.indices where k != current {
      table.reset()
      guard let failure = formats[k].match(line, into: table) else {
        current = k
        return .record
      }
      if failure.column > furthest.column { furthest = failure }
    }
    return .reject(furthest)
  }
}
