/*
 logwindow --partial --producer-by NAME: one window engine, watermark and
 producer identity per value of the --input-prefix NAME (a Kafka partition),
 so a consumer reading several partitions interleaved writes, per partition,
 exactly the partial records one process over that partition alone writes.

 Determinism is the point: a partition's partials (their content, order and
 seq) depend only on the partition's records, so a consumer that takes the
 partition over after a rebalance and replays it from its start writes the
 same records again, and the merge drops them by (producer, run, seq).
 Therefore nothing here follows the wall clock: no --idle advance, no timed
 heartbeats (a heartbeat follows each window close), and neither end of input
 nor a signal writes open windows (another consumer may read the partition
 on). A partition's stream ends with a `{"_watermark":"end"}` record in it;
 `{"_watermark":"RFC3339"}` moves its watermark to that time.
*/

final class ProducerLanes {
  final class Lane {
    let engine: WindowEngine
    var lastOffset: Int64 = -1
    var ended = false
    init(engine: WindowEngine) { self.engine = engine }
  }

  struct Template {
    var config: WindowConfig
    var layout: AccumulatorLayout
    var keyNames: [String]
    var sink: OutputSink
    var lateSink: OutputSink?
    /// `--producer NAME`; a lane's producer is `NAME/BY=VALUE`.
    var name: String
    var by: String
    var run: Int64
  }

  static let maxLanes = 10_000
  let template: Template
  private var lanes: [[UInt8]: Lane] = [:]
  private var lastKey: [UInt8] = []
  private var lastLane: Lane?
  /// Records skipped because their offset was not above their lane's last one.
  private(set) var redelivered = 0
  /// Records that came for a lane after its `{"_watermark":"end"}`.
  private(set) var afterEnd = 0

  init(_ template: Template) {
    var t = template
    t.config.idle = nil  // windows close by the lane's own event time only
    t.config.earlyEvery = nil
    self.template = t
  }

  var engines: [WindowEngine] { lanes.values.map(\.engine) }

  /// The lane for a --producer-by value; nil beyond `maxLanes`.
  func lane(_ value: UnsafeRawBufferPointer) -> Lane? {
    if let lastLane, lastKey.count == value.count, lastKey.withUnsafeBytes({ $0.elementsEqual(value) }) { return lastLane }
    let key = Array(value)
    if let lane = lanes[key] {
      (lastKey, lastLane) = (key, lane)
      return lane
    }
    guard lanes.count < Self.maxLanes else { return nil }
    let t = template
    let identity = ProducerIdentity(name: "\(t.name)/\(t.by)=\(String(decoding: key, as: UTF8.self))", run: t.run)
    let output = WindowOutput(
      sink: t.sink, keyNames: t.keyNames, window: WindowDescription(kind: t.config.kind), partial: true, markFinal: false,
      producer: ProducerStamp(identity, now: monotonicMicros()))
    output.timedHeartbeats = false
    let lane = Lane(engine: WindowEngine(config: t.config, layout: t.layout, output: output, lateSink: t.lateSink))
    lanes[key] = lane
    (lastKey, lastLane) = (key, lane)
    return lane
  }

  /// Whether a record at `offset` in `lane` is new (and notes it); false for a redelivery or after the end.
  func admit(_ lane: Lane, offset: Int64?) -> Bool {
    if let offset {
      guard offset > lane.lastOffset else {
        redelivered += 1
        return false
      }
      lane.lastOffset = offset
    }
    guard !lane.ended else {
      afterEnd += 1
      return false
    }
    return true
  }

  /// A `{"_watermark":…}` record (`record` starts with that key); the reason when it is invalid.
  func punctuate(_ lane: Lane, record: UnsafeRawBufferPointer) throws(IOError) -> String? {
    let invalid = "invalid {\"_watermark\":…} record: expected \"end\" or an RFC 3339 time"
    guard let value = try? JSONValue.parse(record), let text = value["_watermark"]?.stringValue else { return invalid }
    if text == "end" {
      lane.ended = true
      try lane.engine.finish()
    } else {
      guard let t = TimeParser.any(text)?.micros else { return invalid }
      // The merge hears of the new watermark even when no window closed (a quiet partition).
      let (engine, before) = (lane.engine, lane.engine.output.records)
      try engine.advance(to: t)
      if engine.output.records == before && engine.watermark == t { try engine.output.writeHeartbeat() }
    }
    return nil
  }

  /// Whether a record (after its prefix) is a `{"_watermark":…}` punctuation.
  static func isPunctuation(_ record: UnsafeRawBufferPointer) -> Bool {
    let head = Array("{\"_watermark\":".utf8)
    return record.count >= head.count && record.prefix(head.count).elementsEqual(head)
  }

  /// Open windows over all lanes, and the lanes holding them.
  var open: (windows: Int, lanes: Int) {
    var windows = 0, holding = 0
    for lane in lanes.values where lane.engine.openWindowCount > 0 {
      windows += lane.engine.openWindowCount
      holding += 1
    }
    return (windows, holding)
  }

  /// Late events over all lanes, and all events.
  var late: (late: Int, events: Int) {
    lanes.values.reduce((0, 0)) { ($0.0 + $1.engine.lateEvents, $0.1 + $1.engine.events) }
  }
}
