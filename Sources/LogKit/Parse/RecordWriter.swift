/*
 Writes a FieldTable as one NDJSON access record, straight from the byte
 ranges into the OutputSink: standard fields in AccessField order, then custom
 fields, then `--add` constants, then `raw` when asked.

 A key is never written twice: a custom field of the input (a JSON or W3C log
 decides its names at run time) with the name of an `--add` constant, or named
 `raw` under --raw, is left out, so the option wins. Names known before the
 run (a custom format's fields, repeated --add keys) are usage errors instead.
*/

package struct RecordSelection: Sendable {
  /// Standard fields to write.
  package var mask: UInt32
  /// Custom field names to write; nil means all.
  package var custom: [String]?
  /// `--add k=v` constants.
  package var constants: [(String, String)]
  /// Keep the original line in `raw`.
  package var raw: Bool
  /// The --fields names as given; nil means all.
  package var fields: [String]?

  package init(fields: [String]? = nil, constants: [(String, String)] = [], raw: Bool = false) {
    self.constants = constants
    self.raw = raw
    self.fields = fields
    guard let fields else {
      mask = UInt32.max
      custom = nil
      return
    }
    var m: UInt32 = 0
    var others: [String] = []
    for name in fields {
      if let field = AccessField(name: name) { m |= field.bit } else { others.append(name) }
    }
    mask = m
    custom = others
  }
}

package final class RecordWriter {
  private let sink: OutputSink
  private let mask: UInt32
  private let customFilter: [[UInt8]]?
  private let constants: [([UInt8], [UInt8])]
  private let raw: Bool
  /// Custom field names the options write themselves (--add keys, raw).
  private let shadowed: [[UInt8]]
  private let timeText = RFC3339Cache()
  /// What --fields named and what records had, for `unseenFieldWarnings`.
  var usage = FieldUsage()

  package init(sink: OutputSink, selection: RecordSelection) {
    self.sink = sink
    mask = selection.mask
    customFilter = selection.custom.map { $0.map { Array($0.utf8) } }
    constants = selection.constants.map { (Array($0.0.utf8), Array($0.1.utf8)) }
    raw = selection.raw
    usage.pending = customFilter ?? []
    shadowed = constants.map(\.0) + (raw ? [Array("raw".utf8)] : [])
  }

  package func write(_ t: FieldTable, line: UnsafeRawBufferPointer) throws(IOError) {
    let s = sink
    let present = t.present & mask
    usage.note(t)
    s.beginObject()
    if present & AccessField.time.bit != 0 {
      s.key("time")
      timeText.write(t.time, digits: t.timeDigits, to: s)
    }
    @inline(__always) func text(_ field: AccessField, _ key: StaticString) {
      if present & field.bit != 0 {
        s.key(key)
        s.valueText(t.strings[field.rawValue])
      }
    }
    text(.client, "client")
    text(.ident, "ident")
    text(.user, "user")
    text(.method, "method")
    text(.path, "path")
    text(.query, "query")
    text(.protocol, "protocol")
    text(.request, "request")
    if present & AccessField.status.bit != 0 { s.key("status"); s.value(t.status) }
    if present & AccessField.bytes.bit != 0 { s.key("bytes"); s.value(t.bytes) }
    text(.referer, "referer")
    text(.userAgent, "user_agent")
    if present & AccessField.requestTime.bit != 0 {
      s.key("request_time")
      s.value(microsecondsAsSeconds: t.requestTime)
    }
    if present & AccessField.upstreamTime.bit != 0 {
      s.key("upstream_time")
      s.value(microsecondsAsSeconds: t.upstreamTime)
    }
    text(.vhost, "vhost")
    if present & AccessField.port.bit != 0 { s.key("port"); s.value(t.port) }
    text(.forwardedFor, "forwarded_for")
    for k in 0..<t.customCount where selected(t.customNames[k]) && !isShadowed(t.customNames[k]) {
      s.key(bytes: t.customNames[k])
      if t.customIsJSON[k] { s.value(rawJSON: t.customValues[k]) } else { s.valueText(t.customValues[k]) }
    }
    for (key, value) in constants {
      key.withUnsafeBytes { s.key(bytes: $0) }
      value.withUnsafeBytes { s.value(string: $0) }
    }
    if raw {
      s.key("raw")
      s.value(string: line)
    }
    s.endObject()
    try s.endRecord()
  }

  @inline(__always)
  private func isShadowed(_ name: UnsafeRawBufferPointer) -> Bool {
    !shadowed.isEmpty && shadowed.contains { $0.elementsEqual(name) }
  }

  @inline(__always)
  private func selected(_ name: UnsafeRawBufferPointer) -> Bool {
    guard let customFilter else { return true }
    return customFilter.contains { $0.elementsEqual(name) }
  }
}
