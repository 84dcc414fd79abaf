/*
 Fuzz targets of the small languages and values: times, durations and sizes,
 expressions, alert rules, partial records for --merge, the NDJSON scanner.
*/
import LogKit

extension FuzzTarget {
  static let valueTargets: [FuzzTarget] = [
    FuzzTarget(
      name: "time", summary: "times in every accepted form (CLF, ISO 8601, epoch, W3C date and time)",
      seeds: ["fuzz/time"], maxLength: 64, check: checkTime),
    FuzzTarget(
      name: "units", summary: "durations (1h30m) and sizes (64k) as options and rules give them",
      seeds: ["fuzz/units"], maxLength: 64, check: checkUnits),
    FuzzTarget(
      name: "expr", summary: "an expression, then a record it is evaluated on",
      seeds: ["fuzz/expr"], maxLength: 1024, check: checkExpr),
    FuzzTarget(
      name: "rule", summary: "a logalert rules file, compiled by the alert engine",
      seeds: ["fuzz/rule"], maxLength: 2048, check: checkRules),
    FuzzTarget(
      name: "partial", summary: "partial records for logwindow --merge, one per line",
      seeds: ["logwindow/partial-seeds", "logwindow/partial-found"], maxLength: 40000, check: checkPartial),
    FuzzTarget(
      name: "ndjson", summary: "one line through the NDJSON scanner and the JSONValue parser",
      seeds: ["json/pass", "json/fail"], maxLength: 4096, check: checkNDJSONLine),
  ]

  /// An accepted time writes as RFC 3339 text that parses back to the same instant.
  static func checkTime(_ input: UnsafeRawBufferPointer) -> String? {
    var times: [ParsedTime?] = [TimeParser.any(input), TimeParser.clf(input), TimeParser.iso8601(input), TimeParser.epoch(input)]
    if let space = input.firstIndex(of: 0x20) {
      let date = UnsafeRawBufferPointer(rebasing: input[..<space])
      times.append(TimeParser.w3c(date: date, time: UnsafeRawBufferPointer(rebasing: input[(space + 1)...])))
    }
    for case let time? in times {
      let text = formatRFC3339(time.micros, fractionDigits: 6)
      guard let back = TimeParser.any(text), back.micros == time.micros else {
        return "time \(time.micros) µs writes as '\(text)', which does not parse back"
      }
    }
    return nil
  }

  /// A duration formats to text that parses back to it; sizes are never negative.
  static func checkUnits(_ input: UnsafeRawBufferPointer) -> String? {
    let text = String(decoding: input, as: UTF8.self)
    if let micros = parseDuration(text) {
      guard micros >= 0 else { return "negative duration \(micros) from '\(text)'" }
      let written = formatDuration(micros)
      guard parseDuration(written) == micros else { return "duration \(micros) writes as '\(written)', which does not parse back" }
    }
    if let size = parseSize(text), size < 0 { return "negative size \(size) from '\(text)'" }
    return nil
  }

  /// Errors point inside the text; the rendering parses back to the same
  /// tree; the compiled tree evaluates on the record of the second line.
  static func checkExpr(_ input: UnsafeRawBufferPointer) -> String? {
    let (head, record) = splitFirstLine(input)
    let text = String(decoding: head, as: UTF8.self)
    let reader = RecordReader(timeField: nil)
    do throws(ExprError) {
      let expr = try Expr.parse(text)
      guard (try? Expr.parse(expr.description)) == expr else { return "'\(expr.description)' does not parse back to the tree of '\(text)'" }
      let compiled = try reader.compile(expr)
      if (try? reader.read(record)) != nil {
        _ = compiled.evaluate(reader.slots).description
        _ = compiled.matches(reader.slots)
      }
    } catch {
      guard error.column >= 1 && error.column <= text.utf8.count + 1 else { return "error column \(error.column) outside '\(text)'" }
      guard !error.message.isEmpty else { return "error without a message" }
    }
    return nil
  }

  /// Rules parse, or fail at a line and column of the file with a message;
  /// parsed rules compile in the engine, or fail with a message.
  static func checkRules(_ input: UnsafeRawBufferPointer) -> String? {
    let text = String(decoding: input, as: UTF8.self)
    let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).count
    let rules: [AlertRule]
    do {
      rules = try AlertRuleFile.parse(text, path: "rules.conf")
    } catch {
      guard error.line >= 1 && error.line <= lines, error.column >= 1 else { return "error at \(error.line):\(error.column) outside the file: \(error)" }
      return error.message.isEmpty ? "error without a message" : nil
    }
    do {
      _ = try AlertEngine(config: AlertEngineConfig(rules: rules)) { _ in }
    } catch {
      return error.message.isEmpty ? "compile error without a message" : nil
    }
    return nil
  }

  /// logwindow --merge: rejected lines have a short reason; what the merger
  /// writes at the end is NDJSON.
  static func checkPartial(_ input: UnsafeRawBufferPointer) -> String? {
    var config = WindowConfig(kind: .global)
    config.closeAtEndOnly = true
    config.idle = nil
    let sink = OutputSink(fd: -1, capacity: 4096)
    let merger = PartialMerger(config: config, partial: input.count % 2 == 0, sink: sink, lateSink: nil)
    let failure = forEachLine(input) { line in
      guard !line.isEmpty, let reason = try? merger.add(line) else { return nil }
      return reason.utf8.count < 400 ? nil : "reason quotes too much: \(reason.utf8.count) bytes"
    }
    if let failure { return failure }
    try? merger.engine?.finish()
    let output = Array(sink.takeString().utf8)
    return checkNDJSON(output, records: output.filter { $0 == 0x0A }.count)
  }

  /// The scanner and the tree parser agree; a tree writes text that parses
  /// back to the same text.
  static func checkNDJSONLine(_ line: UnsafeRawBufferPointer) -> String? {
    let scanner = NDJSONScanner()
    let scanned = (try? scanner.scan(line)) != nil
    let tree = try? JSONValue.parse(line)
    guard case .object = tree else { return scanned ? "scanner accepted what the tree parser rejected" : nil }
    guard scanned else { return "tree parser accepted what the scanner rejected" }
    let text = tree?.description ?? ""
    guard (try? JSONValue.parse(text))?.description == text else { return "written tree does not parse back: \(text)" }
    for i in 0..<scanner.fieldCount {
      _ = scanner.string(at: i)
      _ = scanner.double(at: i)
      _ = scanner.int(at: i)
    }
    return nil
  }
}
