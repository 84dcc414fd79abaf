/*
 Writes an AccessEvent as one log line in the chosen format, straight into an
 OutputSink: memcpy of prepared byte strings, integers by hand, the time text
 from the per-second cache. The layouts are listed in OutputFormat.swift.
*/

final class AccessLineWriter {
  let format: OutputFormat
  private let times: TimeTextCache

  /// All event text comes from loggen's tables (no replay): JSON needs no escaping.
  private let plainText: Bool

  init(format: OutputFormat, offsetMinutes: Int, plainText: Bool) {
    self.format = format
    self.plainText = plainText
    times = TimeTextCache(format: format, offsetMinutes: offsetMinutes)
  }

  /// Writes the event as one line, newline included.
  @inline(__always)
  func write(_ e: AccessEvent, time t: EpochMicros, to sink: OutputSink) {
    switch format {
    case .common, .combined, .nginx, .vhostCombined: writeCLF(e, t, sink)
    case .w3c: writeW3C(e, t, sink)
    case .json, .clickstream: if plainText { writePlainJSON(e, t, sink) } else { writeJSON(e, t, sink) }
    }
  }

  /// The W3C header (empty for other formats).
  func writeHeader(to sink: OutputSink, origin: EpochMicros) {
    guard format == .w3c else { return }
    sink.append("#Software: loggen \(logkitVersion)\n#Version: 1.0\n#Date: ")
    sink.append(times.text(origin))
    sink.append("\n#Fields: \(OutputFormat.w3cFields)\n")
  }

  /// The cached time text for `t` (clickstream writes its own records).
  @inline(__always)
  func timeText(_ t: EpochMicros) -> UnsafeRawBufferPointer { times.text(t) }

  /// Room for a line: the variable fields plus the fixed text around them.
  @inline(__always)
  private func capacity(_ e: AccessEvent) -> Int {
    e.client.count &+ e.user.count &+ e.method.count &+ e.path.count &+ e.query.count &+ e.protocolName.count
      &+ e.referer.count &+ e.agent.count &+ e.vhost.count &+ 160
  }

  private func writeCLF(_ e: AccessEvent, _ t: EpochMicros, _ sink: OutputSink) {
    var line = RawLine(sink: sink, capacity: capacity(e))
    if format == .vhostCombined {
      line.dashOr(e.vhost)
      line.put(UInt8(ascii: ":"))
      line.putInt(e.port)
      line.put(UInt8(ascii: " "))
    }
    line.put(e.client)
    line.put(" - ")
    line.dashOr(e.user)
    line.put(UInt8(ascii: " "))
    line.put(times.text(t))
    line.put(" \"")
    line.put(e.method)
    line.put(UInt8(ascii: " "))
    line.put(e.path)
    if !e.query.isEmpty {
      line.put(UInt8(ascii: "?"))
      line.put(e.query)
    }
    if !e.protocolName.isEmpty {
      line.put(UInt8(ascii: " "))
      line.put(e.protocolName)
    }
    line.put("\" ")
    line.putThreeDigits(e.status)
    line.put(UInt8(ascii: " "))
    line.putInt(e.bytes)
    if format != .common {
      line.put(" \"")
      line.dashOr(e.referer)
      line.put("\" \"")
      line.dashOr(e.agent)
      line.put(UInt8(ascii: "\""))
      if format == .nginx {
        line.put(UInt8(ascii: " "))
        line.putInt(e.requestMillis / 1000)
        line.put(UInt8(ascii: "."))
        line.putThreeDigits(e.requestMillis % 1000)
      }
    }
    line.put(UInt8(ascii: "\n"))
    line.commit(to: sink)
  }

  /// IIS-style W3C: spaces inside values become `+`.
  @inline(__always)
  private func plussed(_ bytes: UnsafeRawBufferPointer, _ line: inout RawLine) {
    if bytes.isEmpty { line.put(UInt8(ascii: "-")); return }
    for b in bytes { line.put(b == UInt8(ascii: " ") ? UInt8(ascii: "+") : b) }
  }

  private func writeW3C(_ e: AccessEvent, _ t: EpochMicros, _ sink: OutputSink) {
    var line = RawLine(sink: sink, capacity: capacity(e))
    line.put(times.text(t))
    line.put(" 10.0.0.5 ")
    line.put(e.method)
    line.put(UInt8(ascii: " "))
    line.put(e.path)
    line.put(UInt8(ascii: " "))
    line.dashOr(e.query)
    line.put(UInt8(ascii: " "))
    line.putInt(e.port)
    line.put(UInt8(ascii: " "))
    line.dashOr(e.user)
    line.put(UInt8(ascii: " "))
    line.put(e.client)
    line.put(UInt8(ascii: " "))
    plussed(e.agent, &line)
    line.put(UInt8(ascii: " "))
    plussed(e.referer, &line)
    line.put(UInt8(ascii: " "))
    line.dashOr(e.vhost)
    line.put(UInt8(ascii: " "))
    line.putThreeDigits(e.status)
    line.put(UInt8(ascii: " "))
    line.putInt(e.bytes)
    line.put(UInt8(ascii: " "))
    line.putInt(e.requestMillis)
    line.put(UInt8(ascii: "\n"))
    line.commit(to: sink)
  }

  /// JSON without escaping, for events whose strings all come from loggen's own tables
  /// (printable ASCII without quotes or backslashes); replayed text goes through `writeJSON`.
  private func writePlainJSON(_ e: AccessEvent, _ t: EpochMicros, _ sink: OutputSink) {
    var line = RawLine(sink: sink, capacity: capacity(e) &+ 100)
    line.put("{\"time\":")
    line.put(times.text(t))
    line.put(",\"client\":\"")
    line.put(e.client)
    if !e.user.isEmpty {
      line.put("\",\"user\":\"")
      line.put(e.user)
    }
    line.put("\",\"method\":\"")
    line.put(e.method)
    line.put("\",\"path\":\"")
    line.put(e.path)
    if !e.query.isEmpty {
      line.put("\",\"query\":\"")
      line.put(e.query)
    }
    line.put("\",\"protocol\":\"")
    line.put(e.protocolName)
    line.put("\",\"status\":")
    line.putThreeDigits(e.status)
    line.put(",\"bytes\":")
    line.putInt(e.bytes)
    if !e.referer.isEmpty {
      line.put(",\"referer\":\"")
      line.put(e.referer)
      line.put(UInt8(ascii: "\""))
    }
    if !e.agent.isEmpty {
      line.put(",\"user_agent\":\"")
      line.put(e.agent)
      line.put(UInt8(ascii: "\""))
    }
    line.put(",\"request_time\":")
    line.putMillisAsSeconds(e.requestMillis)
    if !e.vhost.isEmpty {
      line.put(",\"vhost\":\"")
      line.put(e.vhost)
      line.put("\",\"port\":")
      line.putInt(e.port)
    }
    line.put("}\n")
    line.commit(to: sink)
  }

  private func writeJSON(_ e: AccessEvent, _ t: EpochMicros, _ sink: OutputSink) {
    sink.beginObject()
    sink.key("time")
    sink.valuePrefix()
    sink.append(times.text(t))
    sink.key("client"); sink.value(string: e.client)
    if !e.user.isEmpty { sink.key("user"); sink.value(string: e.user) }
    sink.key("method"); sink.value(string: e.method)
    sink.key("path"); sink.value(string: e.path)
    if !e.query.isEmpty { sink.key("query"); sink.value(string: e.query) }
    sink.key("protocol"); sink.value(string: e.protocolName)
    sink.key("status"); sink.value(e.status)
    sink.key("bytes"); sink.value(e.bytes)
    if !e.referer.isEmpty { sink.key("referer"); sink.value(string: e.referer) }
    if !e.agent.isEmpty { sink.key("user_agent"); sink.value(string: e.agent) }
    sink.key("request_time"); sink.value(microsecondsAsSeconds: Int64(e.requestMillis) * 1000)
    if !e.vhost.isEmpty {
      sink.key("vhost"); sink.value(string: e.vhost)
      sink.key("port"); sink.value(e.port)
    }
    sink.endObject()
    sink.append(UInt8(ascii: "\n"))
    sink.needsComma = false
  }
}
