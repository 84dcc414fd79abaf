/*
 The event time of one NDJSON output record, for the archive: the top-level
 field `time` (access events, alerts, scale decisions), else `start` (window
 records), as an RFC 3339 string. A byte scan of the object's top level (the
 records come from logkit's own writers, so `time` is usually the first key
 and the scan stops there); nested values are skipped, not parsed.
*/
import Glibc

/// The record's `time` (else `start`) in epoch microseconds; nil when neither is an RFC 3339 string.
package func archiveRecordTime(_ line: UnsafeRawBufferPointer) -> EpochMicros? {
  var scan = TopLevelScan(line)
  guard scan.open() else { return nil }
  var start: EpochMicros?
  while let key = scan.nextKey() {
    let isTime = scan.keyIs(key, "time"), isStart = !isTime && start == nil && scan.keyIs(key, "start")
    guard isTime || isStart else {
      guard scan.skipValue() else { return start }
      continue
    }
    let value = scan.stringValue()
    if let value, let parsed = TimeParser.iso8601(value) {
      if isTime { return parsed.micros }
      start = parsed.micros
    } else if value == nil {
      guard scan.skipValue() else { return start }
    }
  }
  return start
}

/// A cursor over one JSON object's top level.
struct TopLevelScan {
  let bytes: UnsafeRawBufferPointer
  var i = 0
  var first = true

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  mutating func skipSpace() {
    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
  }

  mutating func open() -> Bool {
    skipSpace()
    guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return false }
    i += 1
    return true
  }

  /// The next key's bytes (between its quotes), the cursor after its colon; nil at the end.
  mutating func nextKey() -> Range<Int>? {
    skipSpace()
    if !first {
      guard i < bytes.count, bytes[i] == UInt8(ascii: ",") else { return nil }
      i += 1
      skipSpace()
    }
    first = false
    guard let key = string() else { return nil }
    skipSpace()
    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
    i += 1
    skipSpace()
    return key
  }

  func keyIs(_ key: Range<Int>, _ name: StaticString) -> Bool {
    guard key.count == name.utf8CodeUnitCount else { return false }
    let p = name.utf8Start
    for (n, index) in key.enumerated() where bytes[index] != p[n] { return false }
    return true
  }

  /// A string value without escapes (times have none); nil, cursor unmoved, for anything else.
  mutating func stringValue() -> UnsafeRawBufferPointer? {
    let mark = i
    guard let range = string() else { i = mark; return nil }
    if bytes[range].contains(UInt8(ascii: "\\")) { return UnsafeRawBufferPointer(rebasing: bytes[range.lowerBound..<range.lowerBound]) }
    return UnsafeRawBufferPointer(rebasing: bytes[range])
  }

  /// A quoted string at the cursor: its content range, the cursor after the closing quote.
  mutating func string() -> Range<Int>? {
    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
    let start = i + 1
    var j = start
    while j < bytes.count {
      let b = bytes[j]
      if b == UInt8(ascii: "\\") { j += 2; continue }
      if b == UInt8(ascii: "\"") { i = j + 1; return start..<j }
      j += 1
    }
    return nil
  }

  /// Skips one value (nested objects and arrays whole); false when the text ends first.
  mutating func skipValue() -> Bool {
    var depth = 0
    while i < bytes.count {
      let b = bytes[i]
      switch b {
      case UInt8(ascii: "\""):
        guard string() != nil else { return false }
        if depth == 0 { return true }
        continue
      case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        if depth == 0 { return true }  // the object's end: nextKey sees it
        depth -= 1
        if depth == 0 { i += 1; return true }
      case UInt8(ascii: ","):
        if depth == 0 { return true }
      default: break
      }
      i += 1
    }
    return false
  }
}

/// Where a line's event time is (ArchiveWriter): an NDJSON record's `time`/`start`, or an
/// access-log line's `[10/Oct/2000:13:55:36 -0700]` (loggen's raw formats).
package enum ArchiveTimeSource: Sendable {
  case json, clf

  /// The line's time; the time text is looked up in `cache` first (most lines repeat it).
  @inline(__always)
  func time(of line: UnsafeRawBufferPointer, cache: ParsedTimeCache) -> EpochMicros? {
    switch self {
    case .json:
      // logkit's writers put `time` first: its text is cut out without a scan.
      if let text = leadingTimeText(line), let micros = cache.value(text, parse: { TimeParser.iso8601($0)?.micros }) {
        return micros
      }
      return archiveRecordTime(line)
    case .clf:
      return clfTimeText(line).flatMap { cache.value($0) { TimeParser.clf($0)?.micros } }
    }
  }
}

/// The string of a line that begins `{"time":"…"` (without escapes), else nil.
func leadingTimeText(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
  let prefix: StaticString = "{\"time\":\""
  let n = prefix.utf8CodeUnitCount
  guard line.count > n, let base = line.baseAddress, memcmp(base, prefix.utf8Start, n) == 0,
    let close = firstIndex(of: UInt8(ascii: "\""), in: base, from: n, to: Swift.min(line.count, n + 64))
  else { return nil }
  let text = UnsafeRawBufferPointer(rebasing: line[n..<close])
  return text.contains(UInt8(ascii: "\\")) ? nil : text
}

/// The text between the line's first `[` and the `]` after it.
func clfTimeText(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
  guard let open = line.firstIndex(of: UInt8(ascii: "[")),
    let close = line[(open + 1)...].firstIndex(of: UInt8(ascii: "]"))
  else { return nil }
  return UnsafeRawBufferPointer(rebasing: line[(open + 1)..<close])
}

/// The first `[...]` of the line as a CLF time.
package func archiveCLFTime(_ line: UnsafeRawBufferPointer) -> EpochMicros? {
  clfTimeText(line).flatMap { TimeParser.clf($0)?.micros }
}
