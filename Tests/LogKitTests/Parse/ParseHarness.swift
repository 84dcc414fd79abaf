/*
 Runs a LogParser and RecordWriter in memory over test lines: each line gives
 the exact NDJSON text written (field order is part of the contract), a skip,
 or the rejection reason.
*/
import Foundation
import Testing
@testable import LogKit

enum ParseResult: Equatable, CustomStringConvertible {
  case record(String)
  case skip
  case reject(String)

  var description: String {
    switch self {
    case .record(let s): return s
    case .skip: return "<skip>"
    case .reject(let r): return "<reject: \(r)>"
    }
  }
}

struct ParseHarness {
  let parser: LogParser
  let sink = OutputSink(fd: -1)
  let writer: RecordWriter

  init(_ choice: LogFormatChoice = .auto, selection: RecordSelection = RecordSelection()) throws {
    parser = try LogParser(choice: choice, maxLine: 1 << 16)
    writer = RecordWriter(sink: sink, selection: selection)
  }

  init(apache format: String, selection: RecordSelection = RecordSelection()) throws {
    parser = LogParser(format: try ApacheFormat.compile(format), maxLine: 1 << 16)
    writer = RecordWriter(sink: sink, selection: selection)
  }

  init(nginx format: String) throws {
    parser = LogParser(format: try NginxFormat.compile(format), maxLine: 1 << 16)
    writer = RecordWriter(sink: sink, selection: RecordSelection())
  }

  func parse(_ line: String) -> ParseResult {
    parse(bytes: Array(line.utf8))
  }

  func parse(bytes: [UInt8]) -> ParseResult {
    bytes.withUnsafeBytes { raw in
      switch parser.parse(raw) {
      case .record:
        do {
          try writer.write(parser.table, line: raw)
        } catch {
          Issue.record("writing the parsed record failed: \(error)")
        }
        var text = sink.takeString()
        if text.hasSuffix("\n") { text.removeLast() }
        return .record(text)
      case .skip:
        return .skip
      case .reject(let failure):
        return .reject(failure.description)
      }
    }
  }

  /// The reason without its column.
  func reason(_ line: String) -> String? {
    guard case .reject(let text) = parse(line) else { return nil }
    return text.components(separatedBy: " at column ").first
  }
}
