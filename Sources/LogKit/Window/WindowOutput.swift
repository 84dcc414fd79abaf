/*
 Writes window records: `start`, `end` (RFC 3339), the key fields under
 their own names, then the aggregates in the order given. With --partial the
 aggregates are replaced by `"_partial"`, holding the window description,
 the key names, the aggregate layout and each aggregate's mergeable state,
 which is all `logwindow --merge` needs: it takes no other options.
*/

package struct WindowDescription: Sendable, Equatable {
  package var kind: WindowKind

  /// `{"kind":"sliding","size":…,"slide":…,"offset":…}` (microseconds) etc.
  func write(to sink: OutputSink) {
    sink.beginObject()
    sink.key("kind")
    switch kind {
    case .sliding(let size, let slide, let offset):
      sink.value("sliding")
      sink.key("size")
      sink.value(Int(size))
      sink.key("slide")
      sink.value(Int(slide))
      sink.key("offset")
      sink.value(Int(offset))
    case .session(let gap):
      sink.value("session")
      sink.key("gap")
      sink.value(Int(gap))
    case .global:
      sink.value("all")
    }
    sink.endObject()
  }

  static func decode(_ value: JSONValue?) throws(WindowError) -> WindowKind {
    let bad = WindowError("partial record with an invalid window description")
    guard let value, let kind = value["kind"]?.stringValue else { throw bad }
    func micros(_ name: String) throws(WindowError) -> Int64 {
      guard let d = value[name]?.partialMicros else { throw bad }
      return d
    }
    switch kind {
    case "sliding":
      let size = try micros("size"), slide = try micros("slide"), offset = try micros("offset")
      guard size > 0, slide > 0 else { throw bad }
      return .sliding(size: size, slide: slide, offset: offset)
    case "session":
      let gap = try micros("gap")
      guard gap > 0 else { throw bad }
      return .session(gap: gap)
    case "all": return .global
    default: throw bad
    }
  }
}

package final class WindowOutput {
  package let sink: OutputSink
  package let keyNames: [String]
  package let window: WindowDescription
  package let partial: Bool
  /// Whether records carry `"final"` (only with --emit early).
  package let markFinal: Bool
  package private(set) var records = 0
  /// Partial records: who writes them (nil only in tests of version-1 readers).
  package let producer: ProducerStamp?
  /// Heartbeats at most once a second of wall time (`heartbeatDue`); off where
  /// partial records must not depend on the clock (logwindow --producer-by).
  package var timedHeartbeats = true
  /// The engine's watermark when the next records are written (partial records carry it).
  package var watermark = EpochMicros.min
  let clock: MonotonicClock
  private let renderedKeyNames: [PrerenderedKey]
  /// The last start and end rendered as JSON strings: a window's groups share them.
  private var renderedStart: (time: EpochMicros, text: [UInt8]) = (.min, [])
  private var renderedEnd: (time: EpochMicros, text: [UInt8]) = (.min, [])

  package init(
    sink: OutputSink, keyNames: [String], window: WindowDescription, partial: Bool, markFinal: Bool,
    producer: ProducerStamp? = nil, clock: MonotonicClock = .system
  ) {
    self.sink = sink
    self.producer = producer
    self.clock = clock
    self.keyNames = keyNames
    self.window = window
    self.partial = partial
    self.markFinal = markFinal
    renderedKeyNames = keyNames.map(PrerenderedKey.init)
  }

  private func render(_ t: EpochMicros) -> [UInt8] {
    let scratch = OutputSink(fd: -1, capacity: 64)
    scratch.value(time: t, fractionDigits: fractionDigits(t))
    return Array(scratch.contents)
  }

  private func fractionDigits(_ t: EpochMicros) -> Int {
    t % 1_000_000 == 0 ? 0 : (t % 1000 == 0 ? 3 : 6)
  }

  /// Writes one record for row `r` of `columns`.
  package func write(
    start: EpochMicros, end: EpochMicros, key: [UInt8], columns: AccumulatorColumns, row r: Int,
    isFinal: Bool
  ) throws(IOError) {
    sink.beginObject()
    if renderedStart.time != start { renderedStart = (start, render(start)) }
    if renderedEnd.time != end { renderedEnd = (end, render(end)) }
    sink.key("start")
    renderedStart.text.withUnsafeBytes { sink.value(rawJSON: $0) }
    sink.key("end")
    renderedEnd.text.withUnsafeBytes { sink.value(rawJSON: $0) }
    if !keyNames.isEmpty {
      key.withUnsafeBytes { bytes in
        var fieldStart = 0
        var k = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == keySeparator {
          guard k < keyNames.count else { break }
          sink.key(renderedKeyNames[k])
          sink.value(rawJSON: UnsafeRawBufferPointer(rebasing: bytes[fieldStart..<i]))
          fieldStart = i + 1
          k += 1
        }
      }
    }
    if partial {
      sink.key("_partial")
      sink.beginObject()
      sink.key("v")
      sink.value(producer == nil ? 1 : 2)
      sink.key("window")
      window.write(to: sink)
      sink.key("by")
      sink.beginArray()
      for name in keyNames { sink.value(name) }
      sink.endArray()
      columns.writeLayout(to: sink)
      columns.writeState(row: r, to: sink)
      producer?.write(watermark: watermark, now: clock.now(), to: sink)
      sink.endObject()
    } else {
      columns.writeValues(row: r, seconds: end > start ? Double(end - start) / 1e6 : nil, to: sink)
    }
    if markFinal || !isFinal {
      sink.key("final")
      sink.value(isFinal)
    }
    sink.endObject()
    try sink.endRecord()
    records += 1
  }

  /// A partial record with only the producer fields: the watermark moved
  /// (or input ended, `watermark == .max`) without a window to write.
  package func writeHeartbeat() throws(IOError) {
    guard let producer else { return }
    sink.beginObject()
    sink.key("_partial")
    sink.beginObject()
    sink.key("v")
    sink.value(2)
    producer.write(watermark: watermark, now: clock.now(), to: sink)
    sink.endObject()
    sink.endObject()
    try sink.endRecord()
  }

  /// Whether a heartbeat should tell the merge of a watermark it has not seen:
  /// at most one a second, only when no record said it.
  package func heartbeatDue() -> Bool {
    guard timedHeartbeats, let producer, watermark > producer.lastWatermark else { return false }
    return clock.now() - producer.lastWritten >= 1_000_000
  }
}
