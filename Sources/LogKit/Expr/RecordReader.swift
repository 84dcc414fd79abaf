/*
 One NDJSON record, read once, for every command that consumes records
 (logwindow, logalert, logscale, logdash): the scanner's field index, typed
 access by name or dotted path, the event time field, and the slots of the
 compiled expressions that run over it.

 Expressions compiled through `compile` share the reader's RecordSlots, so a
 field used by several expressions is looked up once per record.
*/

/// Why a line is not a usable record.
package enum RecordReadFailure: Error, Equatable, CustomStringConvertible, Sendable {
  case invalidJSON(String)
  case missingTime(field: String)
  case invalidTime(field: String)

  package var description: String {
    switch self {
    case .invalidJSON(let detail): "invalid JSON: \(detail)"
    case .missingTime(let field): "missing time field '\(field)'"
    case .invalidTime(let field): "invalid time in field '\(field)'"
    }
  }
}

import Glibc

package final class RecordReader {
  package let scanner = NDJSONScanner()
  package let slots = RecordSlots()
  /// The event-time field; nil when the consumer needs no time.
  package let timeFieldName: String?
  private var timePath: FieldPath
  /// A top-level time field's name and where it matched last: looked up
  /// without going through the path's array of keys (no copy-on-write checks).
  private let timeName: [UInt8]?
  private var timeHint = 0
  /// Event time of the current record (valid after a successful `read` with a time field).
  package private(set) var time: EpochMicros = 0
  /// Records read (scanned, with a valid time when one is needed).
  package private(set) var records = 0
  /// Top-level field names of the first records, while some expression field is unseen (for did-you-mean).
  package private(set) var namesSeen: Set<String> = []
  private static let namesSampled = 1000

  /// Most records repeat the previous record's time text.
  private let timeCache = ParsedTimeCache()

  package init(timeField: String?) {
    timeFieldName = timeField
    timePath = FieldPath(dotted: timeField ?? "")
    timeName = timePath.keys.count == 1 ? timePath.keys[0].name : nil
  }

  /// Compiles an expression over this reader's slots.
  package func compile(_ expr: Expr) throws(ExprError) -> CompiledExpr {
    try CompiledExpr(expr, slots: slots)
  }

  /// Compiles expression text over this reader's slots.
  package func compile(_ text: String) throws(ExprError) -> CompiledExpr {
    try CompiledExpr(Expr.parse(text), slots: slots)
  }

  /// Scans `line`, reads the time field and loads the slots.
  /// Strings in the slots are views into `line`: it must outlive the evaluation.
  package func read(_ line: UnsafeRawBufferPointer) throws(RecordReadFailure) {
    do { try scanner.scan(line) } catch { throw .invalidJSON("\(error)") }
    if let name = timeFieldName {
      guard let token = timeToken() else { throw .missingTime(field: name) }
      guard let micros = timeValue(token) else { throw .invalidTime(field: name) }
      time = micros
    }
    slots.load(from: scanner)
    records &+= 1
    if slots.unseenCount > 0, records <= Self.namesSampled {
      for i in 0..<scanner.fieldCount { namesSeen.insert(scanner.name(at: i)) }
    }
  }

  /// Scans `line` only (no time, no slots): for callers that look at a few fields by hand.
  package func scanOnly(_ line: UnsafeRawBufferPointer) throws(RecordReadFailure) {
    do { try scanner.scan(line) } catch { throw .invalidJSON("\(error)") }
  }

  // MARK: Typed access to the current record

  /// The token at a dotted path (`a.b.c`), nil when absent.
  package func token(_ dotted: String) -> JSONToken? {
    var path = FieldPath(dotted: dotted)
    return token(at: &path)
  }

  package func has(_ dotted: String) -> Bool { token(dotted) != nil }

  /// A number field (JSON number), nil when absent or not a number.
  package func number(_ dotted: String) -> Double? {
    guard let t = token(dotted), t.kind == .number else { return nil }
    return scanner.double(t)
  }

  /// A string field, decoded, nil when absent or not a string.
  package func string(_ dotted: String) -> String? {
    guard let t = token(dotted), t.kind == .string else { return nil }
    return scanner.string(t)
  }

  /// A time field: an RFC 3339 string or an epoch number (seconds, ms or µs, by magnitude).
  package func timeField(_ dotted: String) -> EpochMicros? {
    token(dotted).flatMap(timeValue)
  }

  /// A time field at a path kept by the caller (no parsing of the name per record).
  package func timeField(at path: inout FieldPath) -> EpochMicros? {
    token(at: &path).flatMap(timeValue)
  }

  /// One warning per field the expressions read that no record had, with a
  /// did-you-mean among the fields seen; none when no record was read.
  package var unseenFieldWarnings: [String] {
    guard records > 0 else { return [] }
    return slots.unseenPaths.map { unseenFieldWarning($0, seen: namesSeen) }
  }

  /// The top-level member names of the current record, in order.
  package var topLevelNames: [String] {
    var names: [String] = []
    names.reserveCapacity(scanner.fieldCount)
    for i in 0..<scanner.fieldCount { names.append(scanner.name(at: i)) }
    return names
  }

  /// The token at `path`; the path's keys remember where they matched, so pass the same one each record.
  package func token(at path: inout FieldPath) -> JSONToken? {
    if path.keys.count == 1 {
      return scanner.fieldIndex(&path.keys[0]).map { scanner.token(at: $0) }
    }
    return scanner.token(at: &path)
  }

  private func timeToken() -> JSONToken? {
    guard let timeName else { return token(at: &timePath) }
    return timeName.withUnsafeBytes { scanner.fieldIndex(name: $0, hint: &timeHint) }.map { scanner.token(at: $0) }
  }

  private func timeValue(_ token: JSONToken) -> EpochMicros? {
    switch token.kind {
    case .string: scanner.decodedStringBytes(token).flatMap(parseTimeText)
    case .number: TimeParser.epoch(scanner.rawBytes(token))?.micros
    default: nil
    }
  }

  /// A time string's value, from the last one's when the text is the same.
  private func parseTimeText(_ text: UnsafeRawBufferPointer) -> EpochMicros? {
    timeCache.value(text) { TimeParser.any($0)?.micros }
  }
}
