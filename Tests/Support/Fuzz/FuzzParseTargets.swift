/*
 Fuzz targets of logparse's formats. Every line goes through LogParser; every
 record is written twice by RecordWriter (all fields; and --raw with an --add
 constant, so the input bytes themselves are escaped) and what was written
 must re-scan as NDJSON in valid UTF-8, one object per record.
*/
import LogKit

/// One parser and its two writers over a stream of lines.
final class FuzzParseRun {
  let parser: LogParser
  let plain = OutputSink(fd: -1, capacity: 4096)
  let raw = OutputSink(fd: -1, capacity: 4096)
  let plainWriter: RecordWriter
  let rawWriter: RecordWriter
  let label: String
  var records = 0

  init(_ parser: LogParser, label: String) {
    self.parser = parser
    self.label = label
    plainWriter = RecordWriter(sink: plain, selection: RecordSelection())
    rawWriter = RecordWriter(sink: raw, selection: RecordSelection(constants: [("dc", "eu-1")], raw: true))
  }

  func feed(_ line: UnsafeRawBufferPointer) -> String? {
    switch parser.parse(line) {
    case .record:
      records += 1
      do {
        try plainWriter.write(parser.table, line: line)
        try rawWriter.write(parser.table, line: line)
      } catch {
        return "writing a record failed: \(error)"
      }
    case .skip: break
    case .reject(let failure):
      if failure.description.isEmpty { return "rejected without a reason" }
    }
    return nil
  }

  /// Feeds every line, then checks what both writers wrote.
  func run(_ input: UnsafeRawBufferPointer) -> String? {
    if let failure = forEachLine(input, feed) { return failure }
    let plainBytes = Array(plain.takeString().utf8)
    let rawBytes = Array(raw.takeString().utf8)
    if let failure = checkNDJSON(plainBytes, records: records) { return "\(label): \(failure)" }
    if let failure = checkNDJSON(rawBytes, records: records) { return "\(label) --raw: \(failure)" }
    return nil
  }
}

extension FuzzTarget {
  static let maxLine = 1 << 16

  static func choices(_ list: [LogFormatChoice]) -> @Sendable (UnsafeRawBufferPointer) -> String? {
    { input in
      for choice in list {
        guard let parser = try? LogParser(choice: choice, maxLine: maxLine) else { return "format \(choice) does not compile" }
        if let failure = FuzzParseRun(parser, label: choice.rawValue).run(input) { return failure }
      }
      return nil
    }
  }

  /// First line: a format string for `compile`; the other lines: log lines.
  static func customFormat(_ compile: @escaping @Sendable (String) throws(LogFormatError) -> LineFormat) -> @Sendable (UnsafeRawBufferPointer) -> String? {
    { input in
      let (head, lines) = splitFirstLine(input)
      let format: LineFormat
      do throws(LogFormatError) {
        format = try compile(String(decoding: head, as: UTF8.self))
      } catch {
        return error.message.isEmpty ? "format rejected without a reason" : nil
      }
      return FuzzParseRun(LogParser(format: format, maxLine: maxLine), label: "custom format").run(lines)
    }
  }

  static let parseTargets: [FuzzTarget] = [
    FuzzTarget(
      name: "clf", summary: "lines through --format common, combined, vhost_combined and nginx",
      seeds: ["logparse/0001-combined-auto", "logparse/0002-nginx-main", "logparse/0007-raw-crlf", "loggen"],
      maxLength: 4096, check: choices([.common, .combined, .vhostCombined, .nginx])),
    FuzzTarget(
      name: "auto", summary: "a mixed stream through --format auto (JSON, W3C and CLF detection)",
      seeds: ["logparse/0001-combined-auto", "logparse/0004-w3c-iis", "logparse/0005-json-mixed"],
      maxLength: 4096, check: choices([.auto])),
    FuzzTarget(
      name: "apache", summary: "an Apache LogFormat string, then lines in it",
      seeds: ["fuzz/apache"], maxLength: 4096,
      check: customFormat { (text: String) throws(LogFormatError) -> LineFormat in try ApacheFormat.compile(text) }),
    FuzzTarget(
      name: "nginx", summary: "an nginx log_format string, then lines in it",
      seeds: ["fuzz/nginx"], maxLength: 4096,
      check: customFormat { (text: String) throws(LogFormatError) -> LineFormat in try NginxFormat.compile(text) }),
    FuzzTarget(
      name: "w3c", summary: "a W3C extended log (#Fields and other directives) through --format w3c",
      seeds: ["logparse/0004-w3c-iis"], maxLength: 4096, check: choices([.w3c])),
    FuzzTarget(
      name: "json", summary: "JSON access-log lines through --format json",
      seeds: ["logparse/0005-json-mixed", "logparse/0008-json-escapes-arrays", "json/pass"],
      maxLength: 4096, check: choices([.json])),
  ]
}
