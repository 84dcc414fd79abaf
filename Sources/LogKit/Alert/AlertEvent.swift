/*
 An alert event, the unit of logalert's output and of its notifications:

   {"time":…,"alert":"high_5xx","state":"firing","since":…,"path":"/api",
    "value":0.12,"expr":"errors / count > 0.05","summary":"…","start":…,"end":…}

 `time` is the event time of the evaluation (the window's end), `since` the
 start of the episode. Detector rules add `detectors`: for each call its
 `observed` value, `expected` baseline, `low`..`high` normal range and
 `score`. Repeats carry "repeat":true, stale resolutions "stale":true (with
 value null), events muted by --inhibit "inhibited":true.
*/

package struct AlertEvent: Sendable {
  package var time: Int64
  package var alert: String
  package var state: String
  package var since: Int64
  /// The key fields, in order (names are dotted paths for nested fields).
  package var key: [(String, JSONValue)]
  package var value: JSONValue
  package var expr: String
  package var summary: String
  package var start: Int64?
  package var end: Int64?
  package var detectors: [(call: String, output: DetectorOutput)] = []
  package var isRepeat = false
  package var isStale = false
  /// Muted by --inhibit (written, not notified).
  package var isInhibited = false
  /// A transition or repeat (what actions run for); false for --all's other evaluations.
  package var notifies = true

  /// Writes the event as one NDJSON line (no newline: the caller ends the record).
  package func write(to sink: OutputSink) {
    sink.beginObject()
    sink.key("time"); sink.value(time: time)
    sink.key("alert"); sink.value(alert)
    sink.key("state"); sink.value(state)
    sink.key("since"); sink.value(time: since)
    for (name, value) in key where !Self.reserved.contains(name) {
      sink.key(string: name); sink.value(json: value)
    }
    sink.key("value"); sink.value(json: value)
    sink.key("expr"); sink.value(expr)
    sink.key("summary"); sink.value(summary)
    if let start { sink.key("start"); sink.value(time: start) }
    if let end { sink.key("end"); sink.value(time: end) }
    if !detectors.isEmpty {
      sink.key("detectors")
      sink.beginArray()
      for (call, output) in detectors {
        sink.beginObject()
        sink.key("call"); sink.value(call)
        for (name, number) in [("observed", output.observed), ("expected", output.expected), ("low", output.low), ("high", output.high), ("score", output.score)] {
          sink.key(string: name)
          if let number { sink.value(number) } else { sink.valueNull() }
        }
        sink.endObject()
      }
      sink.endArray()
    }
    if isRepeat { sink.key("repeat"); sink.value(true) }
    if isStale { sink.key("stale"); sink.value(true) }
    if isInhibited { sink.key("inhibited"); sink.value(true) }
    sink.endObject()
  }

  /// Field names of the event itself; a key field of the same name is not repeated.
  static let reserved: Set<String> = ["time", "alert", "state", "since", "value", "expr", "summary", "start", "end", "detectors", "repeat", "stale", "inhibited"]

  /// The event as JSON bytes (for notifications).
  package var jsonBytes: [UInt8] {
    let sink = OutputSink(fd: -1)
    write(to: sink)
    return sink.withPendingBytes { Array($0) }
  }
}

extension OutputSink {
  /// The bytes buffered so far (a sink used as a string builder, fd -1).
  package func withPendingBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
    body(UnsafeRawBufferPointer(start: base, count: count))
  }
}

/// Renders `{name}` placeholders of a summary template.
///   {value}, {alert}, {state}, key and record fields: their text; numbers
///   in their shortest form, at most 4 decimals.
///   {NAME:%}: a ratio as a percentage with one decimal ("12.5%").
///   {NAME:.N}: N decimals.
///   {{ and }}: literal braces. Unknown names render as "?".
package enum SummaryTemplate {
  package static func render(_ template: String, lookup: (String) -> JSONValue?) -> String {
    var out = ""
    var rest = Substring(template)
    while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
      out += rest[..<open]
      let after = rest.index(after: open)
      if after < rest.endIndex, rest[after] == rest[open] {
        out.append(rest[open])
        rest = rest[rest.index(after: after)...]
        continue
      }
      guard rest[open] == "{", let close = rest[after...].firstIndex(of: "}") else {
        out.append(rest[open])
        rest = rest[after...]
        continue
      }
      let body = rest[after..<close]
      let parts = body.split(separator: ":", maxSplits: 1)
      let name = parts.first.map(String.init) ?? ""
      out += format(lookup(name), spec: parts.count > 1 ? String(parts[1]) : "")
      rest = rest[rest.index(after: close)...]
    }
    return out + rest
  }

  static func format(_ value: JSONValue?, spec: String) -> String {
    guard let value else { return "?" }
    switch value {
    case .number(let d):
      if spec == "%" { return fixed(d * 100, digits: 1) + "%" }
      if spec.hasPrefix("."), let n = Int(spec.dropFirst()), (0...9).contains(n) { return fixed(d, digits: n) }
      return shortNumber(d)
    case .string(let s): return s
    case .null: return "null"
    default: return value.description
    }
  }

  /// Shortest text with at most 4 decimals.
  package static func shortNumber(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if d == d.rounded(), Swift.abs(d) < 1e15 { return String(Int64(d)) }
    var text = fixed(d, digits: 4)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  static func fixed(_ d: Double, digits: Int) -> String {
    guard d.isFinite else { return "null" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (Swift.abs(d) * scale).rounded()
    guard scaled < 9e18 else { return d.description }
    let n = Int64(scaled)
    let whole = n / Int64(scale), fraction = n % Int64(scale)
    var text = (d < 0 && n != 0 ? "-" : "") + String(whole)
    if digits > 0 {
      let f = String(fraction)
      text += "." + String(repeating: "0", count: digits - f.count) + f
    }
    return text
  }
}
