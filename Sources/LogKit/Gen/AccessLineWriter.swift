/*
 Writes an AccessEvent as one log line in the chosen format, straight into an
 OutputSink: memcpy of prepared byte strings, integers by hand, the time text
 from the per-second cache. The layouts are listed in LineFormat.swift.
*/

final class AccessLineWriter {
  let format: LineFormat
  private let times: TimeTextCache

  init(format: LineFormat, offsetMinutes: Int) {
    self.format = format
    times = TimeTextCache(format: format, offsetMinutes: offsetMinutes)
  }

  /// The W3C header (empty for other formats).
  func writeHeader(to sink: OutputSink, origin: EpochMicros) {
    guard format == .w3c else { return }
    sink.append("#Software: loggen \(logkitVersion)\n#Version: 1.0\n#Date: ")
    sink.append(times.text(origin))
    sink.append("\n#Fields: \(LineFormat.w3cFields)\n")
  }

  /// The cached time text for `t` (clickstream writes its own records).
  @inline(__always)
  func timeText(_ t: EpochMicros) -> UnsafeRawBufferPointer { times.text(t) }

  @inline(__always)
  func write(_ e: AccessEvent, time t: EpochMicros, to sink: OutputSink) {
    switch format {
    case .common, .combined, .nginx, .vhostCombined: writeCLF(e, t, sink)
    case .w3c: writeW3C(e, t, sink)
    case .json, .clickstream: writeJSON(e, t, sink)
    }
  }

  @inline(__always)
  private func dashOr(_ bytes: UnsafeRawBufferPointer, _ sink: OutputSink) {
    if bytes.isEmpty { sink.append(UInt8(ascii: "-")) } else { sink.append(bytes) }
  }

  @inline(__always)
  private func status(_ code: Int, _ sink: OutputSink) {
    sink.ensure(3)
    sink.append(UInt8(truncatingIfNeeded: code / 100) &+ 48)
    sink.append(UInt8(truncatingIfNeeded: code / 10 % 10) &+ 48)
    sink.append(UInt8(truncatingIfNeeded: code % 10) &+ 48)
  }

  @inline(__always)
  private func seconds(millis: Int, _ sink: OutputSink) {
    sink.appendInt(millis / 1000)
    let ms = millis % 1000
    sink.append(UInt8(ascii: "."))
    sink.append(UInt8(truncatingIfNeeded: ms / 100) &+ 48)
    sink.append(UInt8(truncatingIfNeeded: ms / 10 % 10) &+ 48)
    sink.append(UInt8(truncatingIfNeeded: ms % 10) &+ 48)
  }

  private func writeCLF(_ e: AccessEvent, _ t: EpochMicros, _ sink: OutputSink) {
    if format == .vhostCombined {
      sink.append(e.vhost)
      sink.append(UInt8(ascii: ":"))
      sink.appendInt(e.port)
      sink.append(UInt8(ascii: " "))
    }
    sink.append(e.client)
    sink.append(" - ")
    dashOr(e.user, sink)
    sink.append(UInt8(ascii: " "))
    sink.append(times.text(t))
    sink.append(" \"")
    sink.append(e.method)
    sink.append(UInt8(ascii: " "))
    sink.append(e.path)
    if !e.query.isEmpty {
      sink.append(UInt8(ascii: "?"))
      sink.append(e.query)
    }
    sink.append(UInt8(ascii: " "))
    sink.append(e.protocolName)
    sink.append("\" ")
    status(e.status, sink)
    sink.append(UInt8(ascii: " "))
    sink.appendInt(e.bytes)
    if format == .common { return }
    sink.append(" \"")
    dashOr(e.referer, sink)
    sink.append("\" \"")
    dashOr(e.agent, sink)
    sink.append(UInt8(ascii: "\""))
    if format == .nginx {
      sink.append(UInt8(ascii: " "))
      seconds(millis: e.requestMillis, sink)
    }
  }

  /// IIS-style W3C: spaces inside values become `+`.
  private func plussed(_ bytes: UnsafeRawBufferPointer, _ sink: OutputSink) {
    if bytes.isEmpty { sink.append(UInt8(ascii: "-")); return }
    sink.ensure(bytes.count)
    for b in bytes { sink.append(b == UInt8(ascii: " ") ? UInt8(ascii: "+") : b) }
  }

  private func writeW3C(_ e: AccessEvent, _ t: EpochMicros, _ sink: OutputSink) {
    sink.append(times.text(t))
    sink.append(" 10.0.0.5 ")
    sink.append(e.method)
    sink.append(UInt8(ascii: " "))
    sink.append(e.path)
    sink.append(UInt8(ascii: " "))
    dashOr(e.query, sink)
    sink.append(UInt8(ascii: " "))
    sink.appendInt(e.port)
    sink.append(UInt8(ascii: " "))
    dashOr(e.user, sink)
    sink.append(UInt8(ascii: " "))
    sink.append(e.client)
    sink.append(UInt8(ascii: " "))
    plussed(e.agent, sink)
    sink.append(UInt8(ascii: " "))
    plussed(e.referer, sink)
    sink.append(UInt8(ascii: " "))
    dashOr(e.vhost, sink)
    sink.append(UInt8(ascii: " "))
    status(e.status, sink)
    sink.append(UInt8(ascii: " "))
    sink.appendInt(e.bytes)
    sink.append(UInt8(ascii: " "))
    sink.appendInt(e.requestMillis)
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
  }
}
