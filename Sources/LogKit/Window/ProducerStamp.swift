/*
 Who wrote a partial record, and how far it had got: every partial record
 (version 2) carries its producer's name, run, sequence number and
 watermark, so that `logwindow --merge` can close a window only when every
 producer has passed it and can drop a record delivered twice.

   "_partial":{"v":2, ..., "producer":"web-1:4242","run":1733212800123456,"seq":17,
               "watermark":"2024-01-01T00:05:00Z"}

 A heartbeat is a partial record with only these fields: the producer's
 watermark moved although no window closed (quiet input), or its input
 ended ("watermark":"end").
*/

package struct ProducerIdentity: Sendable, Equatable {
  /// `--producer NAME`, or host name and process id.
  package var name: String
  /// The run: wall-clock start time in microseconds, so a restarted producer
  /// of the same name starts a new sequence.
  package var run: Int64

  package init(name: String, run: Int64) {
    self.name = name
    self.run = run
  }
}

package final class ProducerStamp {
  package let identity: ProducerIdentity
  private let renderedName: [UInt8]
  /// Sequence number of the last record written (the first is 1).
  package private(set) var seq: Int64 = 0
  /// The watermark of the last record written (to know when a heartbeat is due).
  package private(set) var lastWatermark = EpochMicros.min
  /// Wall time (monotonic microseconds) of the last record written.
  package private(set) var lastWritten: Int64

  package init(_ identity: ProducerIdentity, now: Int64) {
    self.identity = identity
    let scratch = OutputSink(fd: -1, capacity: 256)
    scratch.value(identity.name)
    renderedName = Array(scratch.contents)
    lastWritten = now
  }

  /// Writes `,"producer":…,"run":…,"seq":…,"watermark":…` members (inside `_partial`).
  func write(watermark: EpochMicros, now: Int64, to sink: OutputSink) {
    seq += 1
    lastWatermark = watermark
    lastWritten = now
    sink.key("producer")
    renderedName.withUnsafeBytes { sink.value(rawJSON: $0) }
    sink.key("run")
    sink.value(Int(identity.run))
    sink.key("seq")
    sink.value(Int(seq))
    sink.key("watermark")
    if watermark == .max {
      sink.value("end")
    } else if watermark == .min {
      sink.value("start")
    } else {
      sink.value(time: watermark, fractionDigits: watermark % 1_000_000 == 0 ? 0 : 6)
    }
  }
}

/// The producer fields of a partial record, as read by the merge.
package struct ProducerMark: Sendable, Equatable {
  package var identity: ProducerIdentity
  package var seq: Int64
  /// `.max` for "end" (the producer's input ended), `.min` for "start".
  package var watermark: EpochMicros

  /// nil when `partial` has no producer (version 1); throws when the fields are malformed.
  static func decode(_ partial: JSONValue) throws(WindowError) -> ProducerMark? {
    guard let name = partial["producer"] else { return nil }
    let bad = WindowError("partial record with invalid producer fields (producer, run, seq, watermark)")
    guard let text = name.stringValue, !text.isEmpty, let run = partial["run"]?.partialMicros,
      let seqValue = partial["seq"]?.doubleValue, let seq = Int64(exactly: seqValue), seq >= 1,
      let mark = partial["watermark"]?.stringValue
    else { throw bad }
    let watermark: EpochMicros
    switch mark {
    case "end": watermark = .max
    case "start": watermark = .min
    default:
      guard let t = TimeParser.any(mark)?.micros, t.magnitude <= partialMicrosLimit else { throw bad }
      watermark = t
    }
    return ProducerMark(identity: ProducerIdentity(name: text, run: run), seq: seq, watermark: watermark)
  }
}
