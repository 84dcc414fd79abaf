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
    sink.append(string: "#Software: loggen \(logkitVersion)\n#Version: 1.0\n#Date: ")
    sink.append(times.text(origin))
    sink.append(string: "\n#Fields: \(OutputFormat.w3cFields)\n")
  }

  /// The cached time text for `t` (clickstream writes its own records).
  @inline(__always)
  func timeText(_ t: EpochMicros) -> UnsafeRawBufferPointer { times.text(t) }

  /// Room for a line: the variable fields plus the fixed text around them.
  /// Escaped replay text takes up to 4 bytes per byte (`\xHH`).
  @inline(__always)
  private func capacity(_ e: AccessEvent) -> Int {
    let text = e.client.count &+ e.user.count &+ e.method.count &+ e.path.count &+ e.query.count
      &+ e.protocolName.count &+ e.referer.count &+ e.agent.count &+ e.vhost.count
    return (plainText ? text : text &* 4) &+ 160
  }

  /// A CLF field: loggen's own text as is, replayed text with Apache's escaping.
  @inline(__always)
  private func clf(_ bytes: UnsafeRawBufferPointer, _ line: inout RawLine, quoted: Bool = true) {
    if plainText { line.dashOr(bytes) } else { line.putEscaped(bytes, quoted: quoted) }
  }

  /// A W3C field: loggen's own text as is (only agents and referers have spaces), replayed text plussed.
  @inline(__always)
  private func w3c(_ bytes: UnsafeRawBufferPointer, _ line: inout RawLine) {
    if plainText { line.dashOr(bytes) } else { line.putPlussed(bytes) }
  }

  private func writeCLF(_ e: AccessEvent, _ t: EpochMicros, _ sink: OutputSink) {
    var line = RawLine(sink: sink, capacity: capacity(e))
    if format == .vhostCombined {
      clf(e.vhost, &line, quoted: false)
      line.put(UInt8(ascii: ":"))
      line.putInt(e.port)
      line.put(UInt8(ascii: " "))
    }
    clf(e.client, &line, quoted: false)
    line.put(" - ")
    clf(e.user, &line, quoted: false)
    line.put(UInt8(ascii: " "))
    line.put(times.text(t))
    line.put(" \"")
    if plainText {
      line.put(e.method)
      line.put(UInt8(ascii: " "))
      line.put(e.path)
    } else {
      line.putEscaped(e.method, quoted: false)
      line.put(UInt8(ascii: " "))
      line.putEscaped(e.path, quoted: false)
    }
    if !e.query.isEmpty {
      line.put(UInt8(ascii: "?"))
      clf(e.query, &line, quoted: false)
    }
    if !e.protocolName.isEmpty {
      line.put(UInt8(ascii: " "))
      clf(e.protocolName, &line, quoted: false)
    }
    line.put("\" ")
    line.putThreeDigits(e.status)
    line.put(UInt8(ascii: " "))
    line.putInt(e.bytes)
    if format != .common {
      line.put(" \"")
      clf(e.referer, &line)
      line.put("\" \"")
      clf(e.agent, &line)
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

  /// IIS-style W3C: blanks inside values become `+` (always in agents and referers).
  private func writeW3C(_ e: AccessEvent, _ t: EpochMicros, _ sink: OutputSink) {
    var line = RawLine(sink: sink, capacity: capacity(e))
    line.put(times.text(t))
    line.put(" 10.0.0.5 ")
    w3c(e.method, &line)
    line.put(UInt8(ascii: " "))
    w3c(e.path, &line)
    line.put(UInt8(ascii: " "))
    w3c(e.query, &line)
    line.put(UInt8(ascii: " "))
    line.putInt(e.port)
    line.put(UInt8(ascii: " "))
    w3c(e.user, &line)
    line.put(UInt8(ascii: " "))
    w3c(e.client, &line)
    line.put(UInt8(ascii: " "))
    w3c(e.protocolName, &line)
    line.put(UInt8(ascii: " "))
    line.putPlussed(e.agent)
    line.put(UInt8(ascii: " "))
    line.putPlussed(e.referer)
    line.put(UInt8(ascii: " "))
    w3c(e.vhost, &line)
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
    if !e.client.isEmpty { sink.key("client"); sink.value(string: e.client) }
    if !e.user.isEmpty { sink.key("user"); sink.value(string: e.user) }
    sink.key("method"); sink.value(string: e.method)
    sink.key("path"); sink.value(string: e.path)
    if !e.query.isEmpty { sink.key("query"); sink.value(string: e.query) }
    if !e.protocolName.isEmpty { sink.key("protocol"); sink.value(string: e.protocolName) }
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
    sink.endLine()
  }
}
