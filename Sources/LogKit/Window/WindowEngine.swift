/*
 Event-time windowing: routes records (or merged partial rows) into open
 windows, tracks the watermark and emits windows once it passes their end.

 Watermark = max event time - lateness. A window [start, end) is emitted
 when watermark >= end; an event whose window has already been emitted is
 late: counted, dropped, and copied to --late FILE when given (a hopping
 event still counts in those of its windows that are open). When input is
 quiet for --idle, the watermark also advances with the wall clock, so live
 pipelines close windows when traffic stops. At end of input every open
 window is emitted, in order of window end, then key.
*/

package final class WindowEngine {
  package let config: WindowConfig
  package let layout: AccumulatorLayout
  let output: WindowOutput
  let lateSink: OutputSink?
  let clock: MonotonicClock
  /// Open sliding windows, ascending by start (and so by end).
  var open: [OpenWindow] = []
  var global: OpenWindow?
  var sessions: SessionStore?
  /// Key of the overflow group: `"_other"` for every key field.
  let otherKey: [UInt8]
  let otherHash: UInt64

  // Set by the checkpoint's restore too (WindowCheckpoint.swift).
  package internal(set) var maxEventTime = EpochMicros.min
  /// How many accepted events (partial rows) had time (end) maxEventTime: with it, a
  /// restart re-reading its input knows which events at that time a checkpoint covers.
  package internal(set) var atMaxEventTime = 0
  package internal(set) var watermark = EpochMicros.min
  package internal(set) var lateEvents = 0
  package internal(set) var accepted = 0
  /// Events (or partial rows) given to the engine, late ones included.
  package internal(set) var events = 0
  /// Windows closed before the watermark passed them (more than `maxWindows` open).
  package private(set) var windowsClosedEarly = 0
  /// Events counted in `_other` over `maxGroups`, and the windows that had them.
  private var foldedInClosed = (events: 0, windows: 0)
  /// Wall time of the first idle tick after the latest record.
  private var quietSince: Int64?
  private var acceptedAtLastTick = 0
  private var lastEarly: Int64
  /// Merge of version-2 partial records with --producers: the merge sets the
  /// watermark (the minimum over producers), partial rows do not raise it.
  package var watermarkFromProducers = false

  package init(
    config: WindowConfig, layout: AccumulatorLayout, output: WindowOutput, lateSink: OutputSink? = nil,
    clock: MonotonicClock = .system
  ) {
    self.config = config
    self.layout = layout
    self.output = output
    self.lateSink = lateSink
    self.clock = clock
    var other: [UInt8] = []
    for i in 0..<Swift.max(output.keyNames.count, 1) {
      if i > 0 { other.append(keySeparator) }
      other.append(contentsOf: Array("\"_other\"".utf8))
    }
    otherKey = other
    otherHash = hash64(other)
    lastEarly = clock.now()
    if case .session(let gap) = config.kind { sessions = SessionStore(gap: gap, layout: layout) }
  }

  /// Open windows (or sessions) right now, for tests and --stats.
  package var openWindowCount: Int {
    sessions?.table.liveCount ?? (open.count + (global == nil ? 0 : 1))
  }

  // MARK: input

  /// Adds one record at event time `t`. `line` is written to --late FILE if late.
  package func add(
    time t: EpochMicros, key: UnsafeRawBufferPointer, hash: UInt64, inputs: AggregateInputs,
    line: UnsafeRawBufferPointer
  ) throws(IOError) {
    events += 1
    var late = false
    switch config.kind {
    case .sliding(let size, let slide, let offset):
      var s = WindowKind.lastStart(t, slide: slide, offset: offset)
      while s > t - size {
        if s + size <= watermark {
          late = true
        } else if let w = try window(start: s, end: s + size) {
          let r = w.row(for: key, hash: hash, maxGroups: config.maxGroups, other: otherKey, otherHash: otherHash)
          w.groups.columns.update(row: r, inputs: inputs, time: t)
        } else {
          late = true
        }
        s -= slide
      }
    case .session(let gap):
      if t + gap <= watermark {
        late = true
      } else if let sessions {
        let r = sessions.add(start: t, end: t + gap, key: key, hash: hash, maxGroups: config.maxGroups, other: otherKey, otherHash: otherHash)
        sessions.table.columns.update(row: r, inputs: inputs, time: t)
      }
    case .global:
      let w = globalWindow(start: t, end: t)
      let r = w.row(for: key, hash: hash, maxGroups: config.maxGroups, other: otherKey, otherHash: otherHash)
      w.groups.columns.update(row: r, inputs: inputs, time: t)
    }
    if late {
      lateEvents += 1
      if let lateSink {
        lateSink.append(line)
        try lateSink.endRecord()
      }
    }
    accepted += 1
    if t > maxEventTime {
      maxEventTime = t
      atMaxEventTime = 1
      if !config.closeAtEndOnly { try advance(to: t &- config.lateness) }
    } else if t == maxEventTime {
      atMaxEventTime &+= 1
    }
    if accepted & 1023 == 0 {
      if config.earlyEvery != nil { try emitEarlyIfDue() }
      if output.heartbeatDue() { try output.writeHeartbeat() }
    }
  }

  /// Events counted in `_other` because of `maxGroups`, and the windows (sessions: 0) they were in.
  package var groupOverflow: (events: Int, windows: Int) {
    (foldedInClosed.events + (sessions?.folded ?? 0), foldedInClosed.windows)
  }

  /// "8143 of 9999 events (81%) were later than the watermark and were dropped"; nil when none was late.
  package func lateSummary(noun: String = "events", writtenTo late: String?) -> String? {
    guard lateEvents > 0 else { return nil }
    let share = Double(lateEvents) * 100 / Double(Swift.max(events, 1))
    let percent = share < 1 ? "<1%" : "\(Int(share.rounded(.down)))%"
    let fate = late.map { "were written to \($0)" } ?? "were dropped"
    return "\(lateEvents) of \(events) \(noun) (\(percent)) were later than the watermark and \(fate)"
  }

  /// Adds a partial row (merge mode) for window [start, end) and key. A
  /// partial for a window already written (only possible with --lateness)
  /// is late like an event: counted, and copied to --late FILE.
  package func addPartial(
    start: EpochMicros, end: EpochMicros, key: UnsafeRawBufferPointer, hash: UInt64, row: AccumulatorColumns,
    line: UnsafeRawBufferPointer
  ) throws(IOError) {
    events += 1
    var slidingWindow: OpenWindow?
    if case .sliding = config.kind, end > watermark { slidingWindow = try window(start: start, end: end) }
    let isLate: Bool
    switch config.kind {
    case .sliding: isLate = slidingWindow == nil
    case .session: isLate = end <= watermark
    case .global: isLate = false
    }
    if isLate {
      lateEvents += 1
      if let lateSink {
        lateSink.append(line)
        try lateSink.endRecord()
      }
      return
    }
    switch config.kind {
    case .sliding:
      guard let w = slidingWindow else { return }
      let r = w.row(for: key, hash: hash, maxGroups: config.maxGroups, other: otherKey, otherHash: otherHash)
      w.groups.columns.merge(row: r, from: row, row: 0)
    case .session:
      if let sessions {
        let r = sessions.add(start: start, end: end, key: key, hash: hash, maxGroups: config.maxGroups, other: otherKey, otherHash: otherHash)
        sessions.table.columns.merge(row: r, from: row, row: 0)
      }
    case .global:
      let w = globalWindow(start: start, end: end)
      let r = w.row(for: key, hash: hash, maxGroups: config.maxGroups, other: otherKey, otherHash: otherHash)
      w.groups.columns.merge(row: r, from: row, row: 0)
    }
    accepted += 1
    if end > maxEventTime {
      maxEventTime = end
      atMaxEventTime = 1
      if !config.closeAtEndOnly && !watermarkFromProducers { try advance(to: end &- config.lateness) }
    } else if end == maxEventTime {
      atMaxEventTime &+= 1
    }
  }

  /// The open window [start, end), created when new.
  /// nil when more than `maxWindows` would be open and this one would be the oldest.
  func window(start: EpochMicros, end: EpochMicros) throws(IOError) -> OpenWindow? {
    // Most records hit the newest window; search from the end.
    var i = open.count - 1
    while i >= 0 && open[i].start > start { i -= 1 }
    if i >= 0 && open[i].start == start { return open[i] }
    if open.count >= config.maxWindows {
      // Memory bound: the oldest window goes out now, and the watermark moves
      // past it so that later input for it is late rather than reopening it.
      // A new window older than all of them would be that one: its input is late.
      guard i >= 0 else { return nil }
      let oldest = open.removeFirst()
      i = Swift.max(i - 1, -1)
      windowsClosedEarly += 1
      watermark = Swift.max(watermark, oldest.end)
      try emit(oldest, isFinal: true)
    }
    let w = OpenWindow(start: start, end: end, layout: layout)
    open.insert(w, at: i + 1)
    return w
  }

  func globalWindow(start: EpochMicros, end: EpochMicros) -> OpenWindow {
    if let global {
      global.start = Swift.min(global.start, start)
      global.end = Swift.max(global.end, end)
      return global
    }
    let w = OpenWindow(start: start, end: end, layout: layout)
    global = w
    return w
  }

  // MARK: watermark and emission

  /// Raises the watermark and emits every window it passes.
  package func advance(to newWatermark: EpochMicros) throws(IOError) {
    guard newWatermark > watermark else { return }
    watermark = newWatermark
    let before = output.records
    while let first = open.first, first.end <= watermark {
      open.removeFirst()
      try emit(first, isFinal: true)
    }
    if let sessions { try sessions.close(upTo: watermark, output: output) }
    // Partial records carry the watermark from before the windows they close;
    // the new one follows them in a heartbeat, so a merge never takes a
    // window for complete while its other groups are still coming.
    output.watermark = newWatermark
    if output.records != before { try output.writeHeartbeat() }
    // Closed windows go out at once: a steady trickle of input may never be
    // quiet long enough for an idle tick, and window records are few.
    if output.records != before { try flushSinks() }
  }

  private func emit(_ w: OpenWindow, isFinal: Bool) throws(IOError) {
    if isFinal && w.folded > 0 { foldedInClosed = (foldedInClosed.events + w.folded, foldedInClosed.windows + 1) }
    // One local copy of the table, so writing rows does not retain its arrays per row.
    let groups = w.groups
    for r in groups.rowsByKey() {
      try output.write(start: w.start, end: w.end, key: groups.keys[r], columns: groups.columns, row: r, isFinal: isFinal)
    }
  }

  /// An idle tick from the input loop: flush, follow the wall clock when quiet.
  package func idleTick() throws(IOError) {
    let now = clock.now()
    if accepted != acceptedAtLastTick {
      acceptedAtLastTick = accepted
      quietSince = now
    }
    if let idle = config.idle, !config.closeAtEndOnly, !watermarkFromProducers, let since = quietSince, maxEventTime != .min {
      let quiet = now - since
      if quiet >= idle { try advance(to: maxEventTime &- config.lateness &+ quiet) }
    }
    try emitEarlyIfDue()
    if output.heartbeatDue() { try output.writeHeartbeat() }
    try flushSinks()
  }

  private func emitEarlyIfDue() throws(IOError) {
    guard let every = config.earlyEvery else { return }
    let now = clock.now()
    guard now - lastEarly >= every else { return }
    lastEarly = now
    for w in open { try emit(w, isFinal: false) }
    if let global { try emit(global, isFinal: false) }
    if let sessions { try sessions.emitAll(output: output, isFinal: false) }
  }

  /// Writes buffered output (in-memory sinks of tests have no descriptor).
  private func flushSinks() throws(IOError) {
    if output.sink.isConnected { try output.sink.flush() }
    if let lateSink, lateSink.isConnected { try lateSink.flush() }
  }

  /// End of input: emits every open window, in order of end, then key.
  /// The watermark then passes every window written, so a checkpoint taken
  /// after it (--state) makes a later run treat their events as late.
  package func finish() throws(IOError) {
    var written = watermark
    for w in open { written = Swift.max(written, w.end) }
    if let global { written = Swift.max(written, global.end) }
    if let sessions { written = Swift.max(written, sessions.latestEnd) }
    watermark = written
    for w in open { try emit(w, isFinal: true) }
    open.removeAll()
    if let global { try emit(global, isFinal: true) }
    global = nil
    if let sessions { try sessions.close(upTo: .max, output: output) }
    // Tell a merge that this producer is done, also when it had nothing left to write.
    output.watermark = .max
    try output.writeHeartbeat()
    try flushSinks()
  }
}
