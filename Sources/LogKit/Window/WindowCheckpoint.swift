/*
 A checkpoint of a window engine (logwindow --state): every open window,
 session and group with its aggregate state, the watermark and the counters,
 as NDJSON. The aggregate states use the encoding of partial records
 (`writeState` / `decodeRow`), so sketches (HyperLogLog registers, DDSketch
 buckets, Space-Saving counters) come back as they were.

   {"v":1,"sig":"…","window":{…},"by":[…],"aggs":[…],"watermark":T|null,
    "max":T|null,"at_max":N,"events":N,"accepted":N,"late":N}
   {"s":START,"e":END,"k":"KEY","state":[…]}      one line per group (session)

 `sig` is the caller's description of what else must not change between the
 run that saved and the one that restores (expressions, time field); the
 window, key names and aggregates are compared as such. Restoring into an
 engine of another configuration is an error, never a silent mix.
*/

package struct WindowCheckpointHeader: Sendable {
  package var signature: String
  /// nil for a merge engine that has not seen a partial record yet.
  package var kind: WindowKind?
  package var keyNames: [String]
  package var specs: [AggregateSpec]
}

extension WindowEngine {
  package static let checkpointVersion = 1

  /// The engine's state as checkpoint bytes.
  package func checkpoint(signature: String) -> [UInt8] {
    let sink = OutputSink(fd: -1, capacity: 1 << 16)
    sink.beginObject()
    sink.key("v")
    sink.value(Self.checkpointVersion)
    sink.key("sig")
    sink.value(signature)
    sink.key("window")
    output.window.write(to: sink)
    sink.key("by")
    sink.beginArray()
    for name in output.keyNames { sink.value(name) }
    sink.endArray()
    AccumulatorColumns(layout: layout).writeLayout(to: sink)
    for (name, t) in [("watermark", watermark), ("max", maxEventTime)] {
      sink.key(string: name)
      if t == .min { sink.valueNull() } else { sink.value(Int(t)) }
    }
    for (name, n) in [("at_max", atMaxEventTime), ("events", events), ("accepted", accepted), ("late", lateEvents)] {
      sink.key(string: name)
      sink.value(n)
    }
    sink.endObject()
    sink.append(UInt8(ascii: "\n"))
    sink.separatorPending = false
    for w in open { Self.writeRows(w.groups, start: w.start, end: w.end, to: sink) }
    if let global { Self.writeRows(global.groups, start: global.start, end: global.end, to: sink) }
    if let sessions {
      let table = sessions.table
      for r in table.rowsByKey() {
        let (start, end) = sessions.bounds(r)
        Self.writeRow(table, r, start: start, end: end, to: sink)
      }
    }
    return Array(sink.contents)
  }

  private static func writeRows(_ groups: GroupTable, start: EpochMicros, end: EpochMicros, to sink: OutputSink) {
    for r in groups.rowsByKey() { writeRow(groups, r, start: start, end: end, to: sink) }
  }

  private static func writeRow(_ groups: GroupTable, _ r: Int, start: EpochMicros, end: EpochMicros, to sink: OutputSink) {
    sink.beginObject()
    sink.key("s")
    sink.value(Int(start))
    sink.key("e")
    sink.value(Int(end))
    sink.key("k")
    groups.keys[r].withUnsafeBytes { sink.value(string: $0) }
    groups.columns.writeState(row: r, to: sink)
    sink.endObject()
    sink.append(UInt8(ascii: "\n"))
    sink.separatorPending = false
  }

  /// The header line of checkpoint bytes (to configure an engine before `restore`).
  package static func checkpointHeader(_ bytes: [UInt8]) throws(WindowError) -> WindowCheckpointHeader {
    let header = try parseHeader(bytes)
    guard let signature = header["sig"]?.stringValue else { throw WindowError("the checkpoint has no \"sig\"") }
    let kind: WindowKind? = header["window"] == nil ? nil : try WindowDescription.decode(header["window"])
    let names = try (header["by"]?.arrayValue ?? []).map { v throws(WindowError) in
      guard let s = v.stringValue else { throw WindowError("the checkpoint has an invalid \"by\" list") }
      return s
    }
    let specs = try AccumulatorColumns.decodeLayout(header["aggs"])
    return WindowCheckpointHeader(signature: signature, kind: kind, keyNames: names, specs: specs)
  }

  private static func parseHeader(_ bytes: [UInt8]) throws(WindowError) -> JSONValue {
    let end = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
    let header: JSONValue
    do { header = try bytes[..<end].withUnsafeBytes { raw throws(NDJSONError) in try JSONValue.parse(raw) } } catch {
      throw WindowError("the checkpoint's first line is not JSON: \(error)")
    }
    guard header["v"]?.doubleValue == Double(checkpointVersion) else {
      throw WindowError("checkpoint of an unknown version \(excerpt(header["v"]?.description ?? "(none)"))")
    }
    return header
  }

  /// Replaces this (fresh) engine's state with the checkpoint's. The caller
  /// compared the header with its configuration (`checkpointHeader`).
  package func restore(_ bytes: [UInt8]) throws(WindowError) {
    let header = try Self.parseHeader(bytes)
    let kind = try Self.checkpointHeader(bytes).kind
    guard kind == nil || kind == config.kind else { throw WindowError("the checkpoint holds other windows") }
    func time(_ name: String) throws(WindowError) -> EpochMicros {
      guard let value = header[name] else { throw WindowError("the checkpoint has no \"\(name)\"") }
      if case .null = value { return .min }
      guard let t = value.partialMicros else { throw WindowError("the checkpoint has an invalid \"\(name)\"") }
      return t
    }
    func count(_ name: String) throws(WindowError) -> Int {
      guard let n = header[name]?.partialCount else { throw WindowError("the checkpoint has an invalid \"\(name)\"") }
      return Int(n)
    }
    let restoredWatermark = try time("watermark")
    let restoredMax = try time("max")
    let counts = (try count("at_max"), try count("events"), try count("accepted"), try count("late"))
    var lineNumber = 1
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).dropFirst() {
      lineNumber += 1
      do throws(WindowError) {
        try restoreRow(line)
      } catch {
        throw WindowError("line \(lineNumber) of the checkpoint: \(error.message)")
      }
    }
    watermark = restoredWatermark
    maxEventTime = restoredMax
    (atMaxEventTime, events, accepted, lateEvents) = counts
  }

  /// One `{"s","e","k","state"}` line into its window (session) and group.
  private func restoreRow(_ line: ArraySlice<UInt8>) throws(WindowError) {
    let value: JSONValue
    do { value = try line.withUnsafeBytes { raw throws(NDJSONError) in try JSONValue.parse(raw) } } catch {
      throw WindowError("not JSON: \(error)")
    }
    guard let start = value["s"]?.partialMicros, let end = value["e"]?.partialMicros, start <= end,
      let key = value["k"]?.stringValue
    else { throw WindowError("a group without valid \"s\", \"e\" and \"k\"") }
    let row = try AccumulatorColumns.decodeRow(layout: layout, state: value["state"])
    let keyBytes = Array(key.utf8)
    let hash = hash64(keyBytes)
    if case .sliding(let size, _, _) = config.kind, end - start != size {
      throw WindowError("a window whose start and end do not span its size")
    }
    keyBytes.withUnsafeBytes { k in
      switch config.kind {
      case .sliding:
        // nil only beyond --max-windows, which the saving run had too.
        guard let w = try? window(start: start, end: end) else { return }
        let r = w.row(for: k, hash: hash, maxGroups: .max, other: otherKey, otherHash: otherHash)
        w.groups.columns.merge(row: r, from: row, row: 0)
      case .session:
        guard let sessions else { return }
        let r = sessions.add(start: start, end: end, key: k, hash: hash, maxGroups: .max, other: otherKey, otherHash: otherHash)
        sessions.table.columns.merge(row: r, from: row, row: 0)
      case .global:
        let w = globalWindow(start: start, end: end)
        let r = w.row(for: k, hash: hash, maxGroups: .max, other: otherKey, otherHash: otherHash)
        w.groups.columns.merge(row: r, from: row, row: 0)
      }
    }
  }
}
