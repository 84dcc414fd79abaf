/*
 logwindow's --input-prefix steps: strip the tab-separated values before each
 record (skipping offsets already seen) and, with --producer-by, route each
 record to its producer's own engine (ProducerLanes).
*/

/// Records skipped as redelivered (an offset not above the last one).
final class SkipCount {
  var count = 0
}

extension LogWindowRun {
  /// The lanes of --producer-by and the per-line step that feeds them.
  func makeLanes(sink: OutputSink, lateSink: OutputSink?) throws
    -> (lanes: ProducerLanes, reader: RecordReader, onLine: (RunFrame) -> (UnsafeRawBufferPointer) throws -> Void)
  {
    let layout = AccumulatorLayout(settings.aggregates)
    let evaluator: RecordEvaluator
    do {
      evaluator = try RecordEvaluator(timeField: settings.timeField, filter: settings.filter, keys: settings.keys, layout: layout)
    } catch {
      throw UsageError(error)
    }
    let by = settings.producerBy ?? ""
    let lanes = ProducerLanes(
      ProducerLanes.Template(
        config: settings.config, layout: layout, keyNames: settings.keys.map(\.name), sink: sink, lateSink: lateSink,
        name: settings.producerName ?? "", by: by, run: settings.producerRun ?? 1))
    let prefix = InputPrefix(names: settings.inputPrefix ?? [], producerBy: by)
    return (lanes, evaluator.reader, { frame in
      { line in
        let split: InputPrefix.Split
        switch prefix.split(line) {
        case .success(let s): split = s
        case .failure(let error): return try frame.reject(line, reason: error.reason)
        }
        guard let lane = lanes.lane(UnsafeRawBufferPointer(rebasing: line[split.by])) else {
          return try frame.reject(line, reason: "more than \(ProducerLanes.maxLanes) --producer-by values")
        }
        guard lanes.admit(lane, offset: split.offset) else { return }
        let record = UnsafeRawBufferPointer(rebasing: line[split.recordStart...])
        if ProducerLanes.isPunctuation(record) {
          if let reason = try lanes.punctuate(lane, record: record) { try frame.reject(line, reason: reason) }
          return
        }
        switch evaluator.evaluate(record) {
        case .ok:
          try lane.engine.add(
            time: evaluator.time, key: evaluator.keyBuffer.contents, hash: evaluator.keyHash, inputs: evaluator.inputs,
            line: record)
        case .filtered: break
        case .invalid(let reason): try frame.reject(line, reason: reason)
        }
      }
    })
  }

  /// `onLine` behind --input-prefix without --producer-by: one producer, one offset sequence.
  static func stripping(
    _ prefix: InputPrefix, _ frame: RunFrame, _ skipped: SkipCount, _ onLine: @escaping (UnsafeRawBufferPointer) throws -> Void
  ) -> (UnsafeRawBufferPointer) throws -> Void {
    var lastOffset: Int64 = -1
    return { line in
      switch prefix.split(line) {
      case .failure(let error): try frame.reject(line, reason: error.reason)
      case .success(let split):
        if let offset = split.offset {
          guard offset > lastOffset else {
            skipped.count += 1
            return
          }
          lastOffset = offset
        }
        try onLine(UnsafeRawBufferPointer(rebasing: line[split.recordStart...]))
      }
    }
  }

  /// Notes on stderr for --input-prefix and --producer-by.
  static func report(_ lanes: ProducerLanes?, skipped: Int, name: String, late latePath: String?) {
    let redelivered = skipped + (lanes?.redelivered ?? 0)
    if redelivered > 0 {
      printError(name, "\(redelivered) records redelivered (offset not above the last one of their producer) were skipped")
    }
    guard let lanes else { return }
    if lanes.afterEnd > 0 {
      printError(name, "\(lanes.afterEnd) records after their producer's {\"_watermark\":\"end\"} were dropped")
    }
    let open = lanes.open
    if open.windows > 0 {
      printError(
        name,
        "\(open.windows) open windows of \(open.lanes) producers not written: with --producer-by they close by their "
          + "partition's event time or its {\"_watermark\":\"end\"} record, which the next reader of the partition gets")
    }
    for engine in lanes.engines { reportBounds(engine, name: name, noun: "events") }
    let (late, events) = lanes.late
    if late > 0 {
      let fate = latePath.map { "were written to \($0)" } ?? "were dropped"
      printError(name, "\(late) of \(events) events were later than their producer's watermark and \(fate); use --lateness DUR")
    }
  }
}
