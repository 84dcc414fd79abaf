/*
 `logwindow --merge`: reads partial records and feeds their states into a
 window engine configured from the first one (window description, key
 names, aggregates). Later records must describe the same layout. Partial
 records marked `"final":false` (from --emit early) are skipped.

 Version 2 records carry their producer (ProducerStamp): a record whose
 producer, run and sequence number were seen before is dropped and counted.
 With `expectedProducers` (--producers N) windows close when every live
 producer's watermark has passed them (ProducerWatermarks); otherwise at end
 of input, or by the largest window end seen minus --lateness.
*/

package final class PartialMerger {
  /// Watermark, lateness and emit settings; the window kind comes from the records.
  let config: WindowConfig
  /// Write partial records again (a merge tier feeding another merge).
  let partial: Bool
  let sink: OutputSink
  let lateSink: OutputSink?
  let reader = RecordReader(timeField: nil)
  var scanner: NDJSONScanner { reader.scanner }
  package private(set) var engine: WindowEngine?
  /// Non-final partial records (from --emit early) ignored.
  package private(set) var skippedEarly = 0
  private var keyNames: [String] = []
  private var specs: [AggregateSpec] = []
  private var kind: WindowKind = .global
  private var keyPaths: [FieldPath] = []
  private let keyBuffer = OutputSink(fd: -1, capacity: 1024)
  package private(set) var producers: ProducerWatermarks
  /// Closing by the producers' watermarks (--producers N).
  let byProducers: Bool
  /// This merge's own identity when it writes partial records for a next tier.
  let stamp: ProducerStamp?
  let clock: MonotonicClock
  /// Asked with a record's window end before it is merged; false skips it
  /// (a restart's state already covers it: logwindow --state).
  package var admit: (EpochMicros) -> Bool = { _ in true }

  /// The `"v"` of the partial records this merger reads (WindowOutput writes 2).
  static let versions: [Double] = [1, 2]

  package init(
    config: WindowConfig, partial: Bool, sink: OutputSink, lateSink: OutputSink?,
    expectedProducers: Int? = nil, stamp: ProducerStamp? = nil, clock: MonotonicClock = .system
  ) {
    self.config = config
    self.partial = partial
    self.sink = sink
    self.lateSink = lateSink
    byProducers = expectedProducers != nil
    producers = ProducerWatermarks(expected: expectedProducers ?? 0, idle: config.idle)
    self.stamp = stamp
    self.clock = clock
  }

  /// With --producers N: N producers have ended, so nothing more can come (--until-ended).
  package var allEnded: Bool { byProducers && producers.ended >= producers.expected }

  /// The producers' lines of a merge checkpoint (logwindow --merge --state).
  package func checkpointProducers(to sink: OutputSink) { producers.checkpointLines(to: sink) }

  /// Restores one producer line of a merge checkpoint.
  package func restoreProducer(_ line: ArraySlice<UInt8>) throws(WindowError) {
    try producers.restore(line: line, now: clock.now())
  }

  /// An idle tick: producers may have become idle, which can close windows.
  package func idleTick() throws(IOError) {
    try advanceByProducers()
    try engine?.idleTick()
  }

  private func advanceByProducers() throws(IOError) {
    guard byProducers, let engine, let merged = producers.merged(now: clock.now()), merged != .min else { return }
    try engine.advance(to: merged == .max ? .max : merged &- config.lateness)
  }

  /// Merges one partial record; returns why it was rejected, or nil.
  package func add(_ line: UnsafeRawBufferPointer) throws(IOError) -> String? {
    do { try reader.scanOnly(line) } catch { return error.description }
    guard let partialIndex = scanner.fieldIndex(named: "_partial"),
      let partial = scanner.jsonValue(scanner.token(at: partialIndex))
    else { return "not a partial record (no \"_partial\" object; produce it with logwindow --partial)" }
    guard let version = partial["v"]?.doubleValue, Self.versions.contains(version) else {
      return "partial record of an unknown version \(excerpt(partial["v"]?.description ?? "(none)")) (this logwindow reads versions 1 and 2)"
    }
    let mark: ProducerMark?
    do { mark = try ProducerMark.decode(partial) } catch { return error.message }
    if version == 2 && mark == nil { return "partial record of version 2 without its producer fields" }
    if let mark {
      guard producers.accept(mark, now: clock.now()) else { return nil }
      if partial["window"] == nil {  // a heartbeat: only the producer's watermark
        try advanceByProducers()
        return nil
      }
    }
    if let reason = try addWindow(partial, line: line) { return reason }
    try advanceByProducers()
    return nil
  }

  /// Merges the window state of one partial record (after its producer was accepted).
  private func addWindow(_ partial: JSONValue, line: UnsafeRawBufferPointer) throws(IOError) -> String? {
    guard let start = reader.timeField("start"), let end = reader.timeField("end"), start < end,
      start.magnitude <= partialMicrosLimit, end.magnitude <= partialMicrosLimit
    else { return "partial record without valid start and end (start before end)" }
    // Early updates (--emit early) are snapshots of state that the final
    // partial record of the window carries again: merging them would count twice.
    if let i = scanner.fieldIndex(named: "final"), scanner.bool(at: i) == false {
      skippedEarly += 1
      return nil
    }
    guard admit(end) else { return nil }
    do {
      let window = try WindowDescription.decode(partial["window"])
      let names = try (partial["by"]?.arrayValue ?? []).map { v throws(WindowError) in
        guard let s = v.stringValue else { throw WindowError("partial record with an invalid \"by\" list") }
        return s
      }
      let aggregates = try AccumulatorColumns.decodeLayout(partial["aggs"])
      if engine == nil {
        try configure(kind: window, keyNames: names, specs: aggregates)
      } else if window != kind || names != keyNames || aggregates != specs {
        return "partial record with other windows, keys or aggregates than the first one"
      }
      guard let engine else { return nil }
      if case .sliding(let size, _, _) = kind, end - start != size {
        return "partial record whose start and end do not span its window size"
      }
      let row = try AccumulatorColumns.decodeRow(layout: engine.layout, state: partial["state"])
      keyBuffer.count = 0
      for i in keyPaths.indices {
        if i > 0 { keyBuffer.append(keySeparator) }
        if let t = scanner.token(at: &keyPaths[i]) { keyBuffer.append(scanner.rawBytes(t)) } else { keyBuffer.append("null") }
      }
      try engine.addPartial(start: start, end: end, key: keyBuffer.contents, hash: hash64(keyBuffer.contents), row: row, line: line)
    } catch let error as WindowError {
      return error.message
    } catch let error as IOError {
      throw error
    } catch {
      return "\(error)"
    }
    return nil
  }

  /// Configures the engine as a checkpoint's header describes it (before its restore).
  package func configure(from header: WindowCheckpointHeader) throws(WindowError) {
    guard let kind = header.kind else { return }
    try configure(kind: kind, keyNames: header.keyNames, specs: header.specs)
  }

  private func configure(kind: WindowKind, keyNames: [String], specs: [AggregateSpec]) throws(WindowError) {
    // Output records must not carry a key twice (logwindow's settings check the same).
    var seen = Set(["start", "end", "final", "_partial"])
    for name in keyNames + specs.map(\.name) where !seen.insert(name).inserted {
      throw WindowError("partial record whose output field '\(excerpt(name))' would be written twice")
    }
    self.kind = kind
    self.keyNames = keyNames
    self.specs = specs
    keyPaths = keyNames.map { FieldPath([$0]) }
    var config = self.config
    config.kind = kind
    let layout = AccumulatorLayout(specs)
    let output = WindowOutput(
      sink: sink, keyNames: keyNames, window: WindowDescription(kind: kind), partial: partial,
      markFinal: config.earlyEvery != nil, producer: stamp, clock: clock)
    let engine = WindowEngine(config: config, layout: layout, output: output, lateSink: lateSink, clock: clock)
    engine.watermarkFromProducers = byProducers
    self.engine = engine
  }
}
