/*
 The producers a merge has heard from, in its checkpoint (logwindow --merge
 --state): per producer its run, watermark and the sequence numbers seen,
 one line each after the engine's lines:

   {"producer":"access/partition=3","run":1,"watermark":T|"start"|"end","seq":C,"above":[…]}

 so a restarted merge that is given partials again (a topic re-read from an
 earlier offset) drops the ones it had merged, by (producer, run, seq), and
 closes windows by the watermarks it had, not from scratch.
*/

extension ProducerWatermarks {
  static let checkpointKey = "{\"producer\":"

  /// One line per producer, sorted by name (a checkpoint is the same for the same state).
  func checkpointLines(to sink: OutputSink) {
    for name in entries.keys.sorted() {
      guard let entry = entries[name] else { continue }
      sink.beginObject()
      sink.key("producer")
      sink.value(name)
      sink.key("run")
      sink.value(Int(entry.run))
      sink.key("watermark")
      switch entry.watermark {
      case .max: sink.value("end")
      case .min: sink.value("start")
      default: sink.value(Int(entry.watermark))
      }
      sink.key("seq")
      sink.value(Int(entry.seen.contiguous))
      sink.key("above")
      sink.beginArray()
      for seq in entry.seen.above.sorted() { sink.value(Int(seq)) }
      sink.endArray()
      sink.endObject()
      sink.append(UInt8(ascii: "\n"))
      sink.separatorPending = false
    }
  }

  /// Restores one checkpoint line; every producer counts as just heard from.
  mutating func restore(line: ArraySlice<UInt8>, now: Int64) throws(WindowError) {
    let bad = WindowError("a producer line without valid producer, run, watermark, seq and above")
    guard let value = try? line.withUnsafeBytes({ raw throws(NDJSONError) in try JSONValue.parse(raw) }),
      let name = value["producer"]?.stringValue, let run = value["run"]?.partialMicros,
      let seq = value["seq"]?.partialCount, let above = value["above"]?.arrayValue
    else { throw bad }
    let watermark: EpochMicros
    switch value["watermark"] {
    case .some(.string("end")): watermark = .max
    case .some(.string("start")): watermark = .min
    default:
      guard let t = value["watermark"]?.partialMicros else { throw bad }
      watermark = t
    }
    var seen = Set<Int64>()
    for item in above {
      guard let n = item.partialCount else { throw bad }
      seen.insert(n)
    }
    entries[name] = Entry(run: run, watermark: watermark, lastHeard: now, seen: SequenceSet(contiguous: seq, above: seen))
    if firstHeard == nil { firstHeard = now }
  }
}
