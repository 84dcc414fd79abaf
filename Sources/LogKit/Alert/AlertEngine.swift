/*
 logalert's engine: window records in (read by a RecordReader), alert
 events out (through `emit`). Everything runs on event time: a record is
 evaluated at its time field (`end` for window records), and the engine's
 clock is the largest time seen, advanced by records or by `advance(to:)`
 (the command's idle tick), so tests inject time by the records they feed.

 When the clock moves past a time T, the window ending at T is complete:
 instances not seen for their stale interval resolve, and rules using
 absent() are evaluated for every key that sent no record at T.
*/

package struct AlertEngineConfig: Sendable {
  package var rules: [AlertRule]
  package var maxKeys = 100_000
  /// nil: three of the key's window lengths (end - start), 5 minutes without `start`.
  package var stale: Int64?
  package var repeatEvery: Int64 = 4 * 3_600_000_000
  package var emitPending = false
  package var emitAll = false
  package var timeField = "end"
  package var startField = "start"

  package init(rules: [AlertRule]) { self.rules = rules }
}

package final class AlertEngine {
  package let config: AlertEngineConfig
  package let reader: RecordReader
  let rules: [CompiledRule]
  let emit: (AlertEvent) throws -> Void
  /// The event-time clock: the largest record time seen (Int64.min before any).
  package internal(set) var now = Int64.min
  /// The last time whose window was closed by `sweep` (stale instances, absent keys).
  var closedTime = Int64.min
  /// The time of a restored state: a record at it counts only for instances it has not
  /// reached yet (input cut in the middle of a time ended the run before the restart).
  var restoredTime = Int64.min
  package private(set) var evaluations = 0
  package private(set) var events = 0
  private var keyBuilder: AlertKeyBuilder
  /// Records processed: tells the key builder when a record's keys are current.
  private var processed = 0
  private var startPath: FieldPath
  /// Per rule: the instance of the current record's key (-1: not tracked).
  private var found: [Int]
  /// Per rule: its key clause, and its index's slots (refreshed after each lookup, which may grow them).
  private let ruleClauses: [Int]
  private var slotViews: [AlertKeySlotView]

  /// After lookups outside `process` (a state restore), which may have grown an index.
  func refreshSlotViews() { slotViews = rules.map(\.table.slotView) }
  private var touched: Int64 = 0
  private var fieldSeen: [Bool] = []
  /// Slots not yet seen non-null (fieldSeen is only scanned while some are).
  private var fieldsUnseen = 0
  private var namesSeen = Set<String>()
  private var recordsSeen = 0
  /// Slots filled by detectors, not by the record.
  private var syntheticSlots = Set<Int>()

  package init(config: AlertEngineConfig, emit: @escaping (AlertEvent) throws -> Void) throws(AlertRuleError) {
    self.config = config
    self.emit = emit
    reader = RecordReader(timeField: config.timeField)
    startPath = FieldPath(dotted: config.startField)
    keyBuilder = AlertKeyBuilder(excluded: [config.timeField, config.startField, "start", "end"])
    var compiled: [CompiledRule] = []
    for rule in config.rules {
      compiled.append(try CompiledRule(rule, reader: reader, config: config, keyClause: keyBuilder.clause(rule.by)))
    }
    rules = compiled
    found = Array(repeating: -1, count: compiled.count)
    ruleClauses = compiled.map(\.keyClause)
    slotViews = compiled.map(\.table.slotView)
    for rule in compiled { syntheticSlots.formUnion(rule.detectorSlots) }
  }

  package var rulesCount: Int { rules.count }

  /// Keys tracked, evicted and dropped over all rules.
  package var keyCounts: (tracked: Int, evicted: Int, dropped: Int) {
    rules.reduce((0, 0, 0)) { ($0.0 + $1.table.count, $0.1 + $1.table.evictedKeys, $0.2 + $1.table.droppedKeys) }
  }

  /// Evaluates every rule on the record the reader has just read.
  package func process() throws {
    let t = reader.time
    if t > now { try closeTime() }
    if t > now { now = t }
    let start = reader.timeField(at: &startPath)
    trackFields()
    processed &+= 1
    // At many keys every rule's index slot, instance and state is a cache
    // miss: three passes let each pass's misses overlap (touch results are
    // kept in `touched` so the loads are not optimized away).
    var sink: Int64 = 0
    for c in 0..<keyBuilder.clauseCount { keyBuilder.build(c, record: processed, scanner: reader.scanner) }
    keyBuilder.hashes.withUnsafeBufferPointer { hashes in
      slotViews.withUnsafeBufferPointer { views in
        for r in 0..<views.count { sink &+= Int64(views[r].touch(hashes[ruleClauses[r]])) }
      }
    }
    for (r, rule) in rules.enumerated() {
      let c = rule.keyClause
      let key = keyBuilder.keys[c]
      found[r] = rule.table.find(key, hash: keyBuilder.hashes[c], fields: { parseKeyFields(key) }) ?? -1
      slotViews[r] = rule.table.slotView
      if found[r] >= 0 { sink &+= rule.table.touch(instance: found[r]) }
    }
    touched = sink
    for (r, rule) in rules.enumerated() {
      let i = found[r]
      if i < 0 { continue }
      if t == restoredTime, rule.table.instances[i].lastSeen >= t { continue }
      rule.table.instances[i].lastSeen = t
      rule.table.instances[i].lastStart = start
      rule.table.instances[i].windowLength = start.map { t - $0 } ?? 0
      try evaluate(rule, i, at: t, hasRecord: true)
    }
  }

  /// Moves the clock to `t` (idle input on a live pipeline), closing the current time.
  package func advance(to t: Int64) throws {
    guard now != Int64.min, t > now else { return }
    try closeTime()
    now = t
  }

  /// The current time is complete (a later record came, or input ended): stale
  /// instances resolve, absent() rules see the keys that sent nothing. Once per time.
  package func closeTime() throws {
    guard now != Int64.min, closedTime != now else { return }
    closedTime = now
    try sweep(at: now)
  }

  /// End of input: the last time seen is complete.
  package func finish() throws {
    try closeTime()
  }

  // MARK: evaluation

  func evaluate(_ rule: CompiledRule, _ i: Int, at t: Int64, hasRecord: Bool) throws {
    evaluations &+= 1
    let slots = reader.slots
    for d in 0..<rule.detectorSlots.count {
      let call = rule.detectorSpecs[d]
      let output: DetectorOutput
      if call.kind == .absent {
        let silent = hasRecord ? 0 : Double(t - rule.table.instances[i].lastSeen) / 1e6
        output = DetectorOutput(score: silent * 1e6 >= Double(call.duration) ? 1 : 0, observed: silent, expected: nil, low: nil, high: nil)
      } else if hasRecord {
        let x = rule.arguments[d]?.number(slots)
        output = rule.table.withState(i, d) { Detector.step(call, $0, x: x, t: t) }
      } else {
        output = .none
      }
      rule.outputs[d] = output
      slots[rule.detectorSlots[d]] = output.score.map(ExprValue.number) ?? .null
    }
    let active = rule.condition.matches(slots)
    let resolveHolds = rule.resolve?.matches(slots)
    let transition = rule.table.instances[i].lifecycle.evaluate(at: t, active: active, resolveHolds: resolveHolds, timing: rule.timing)
    let state: String?
    switch transition {
    case .pending: state = config.emitPending || config.emitAll ? "pending" : nil
    case .firing, .repeated: state = "firing"
    case .resolved: state = "resolved"
    case .staleResolved: state = "resolved"
    case nil: state = config.emitAll ? rule.table.instances[i].lifecycle.phase.name : nil
    }
    guard let state else { return }
    var event = makeEvent(rule, i, at: t, state: state, value: jsonValue(rule.value.evaluate(slots)), hasRecord: hasRecord)
    event.isRepeat = transition == .repeated
    // --all adds evaluations that are not events: they are written, not notified.
    event.notifies = transition != nil && (transition != .pending || config.emitPending)
    try send(event)
  }

  func makeEvent(_ rule: CompiledRule, _ i: Int, at t: Int64, state: String, value: JSONValue, hasRecord: Bool) -> AlertEvent {
    let lifecycle = rule.table.instances[i].lifecycle
    let since = state == "inactive" ? t : lifecycle.since
    var event = AlertEvent(
      time: t, alert: rule.rule.name, state: state, since: since, key: rule.table.keyFields[i], value: value,
      expr: rule.rule.conditionText, summary: "", start: rule.table.instances[i].lastStart, end: rule.table.instances[i].lastSeen)
    if !rule.rule.detectors.isEmpty {
      event.detectors = zip(rule.rule.detectors, rule.outputs).map { ($0.text, $1) }
    }
    event.summary = summarize(rule, event, hasRecord: hasRecord)
    return event
  }

  private func send(_ event: AlertEvent) throws {
    events &+= 1
    try emit(event)
  }

  // MARK: time

  /// The window ending at `t` is complete: stale instances resolve, absent() rules see silent keys.
  func sweep(at t: Int64) throws {
    for rule in rules {
      if rule.rule.usesAbsent {
        for i in 0..<rule.table.count where rule.table.instances[i].lastSeen < t {
          nullDataSlots()
          try evaluate(rule, i, at: t, hasRecord: false)
        }
        continue
      }
      for i in 0..<rule.table.count where rule.table.instances[i].lifecycle.phase != .inactive {
        let stale = config.stale ?? (rule.table.instances[i].windowLength > 0 ? 3 * rule.table.instances[i].windowLength : 300_000_000)
        guard let transition = rule.table.instances[i].lifecycle.checkStale(at: t, lastSeen: rule.table.instances[i].lastSeen, stale: stale),
          transition == .staleResolved
        else { continue }
        for d in 0..<rule.outputs.count { rule.outputs[d] = .none }
        var event = makeEvent(rule, i, at: t, state: "resolved", value: .null, hasRecord: false)
        event.isStale = true
        try send(event)
      }
    }
  }

  private func nullDataSlots() {
    for s in 0..<reader.slots.count where !syntheticSlots.contains(s) { reader.slots[s] = .null }
  }

  // MARK: keys

  func parseKeyFields(_ key: [UInt8]) -> [(String, JSONValue)] {
    let text = "{" + String(decoding: key, as: UTF8.self) + "}"
    guard case .object(let members)? = try? JSONValue.parse(text) else { return [] }
    return members
  }

  // MARK: fields never seen

  private func trackFields() {
    let slots = reader.slots
    if fieldSeen.count < slots.count {
      fieldsUnseen += slots.count - fieldSeen.count
      fieldSeen += Array(repeating: false, count: slots.count - fieldSeen.count)
    }
    if fieldsUnseen > 0 {
      for s in 0..<slots.count where !fieldSeen[s] && !slots[s].isNull {
        fieldSeen[s] = true
        fieldsUnseen -= 1
      }
    }
    if recordsSeen < 1000 {
      recordsSeen += 1
      for f in 0..<reader.scanner.fieldCount { namesSeen.insert(reader.scanner.name(at: f)) }
    }
  }

  /// Fields the rules read that no record had, with a suggestion from the names seen.
  package var neverSeenFields: [(rule: String, field: String, suggestion: String?)] {
    guard recordsSeen > 0 else { return [] }
    var out: [(String, String, String?)] = []
    for rule in rules {
      for slot in rule.dataSlots where slot < fieldSeen.count && !fieldSeen[slot] {
        let field = reader.slots.path(of: slot).joined(separator: ".")
        out.append((rule.rule.name, field, closestName(field, in: namesSeen)))
      }
    }
    return out
  }
}

func jsonValue(_ value: ExprValue) -> JSONValue {
  switch value {
  case .null: return .null
  case .bool(let b): return .bool(b)
  case .number(let d): return d.isFinite ? .number(d) : .null
  case .bytes, .string: return .string(value.text ?? "")
  case .raw(let b): return (try? JSONValue.parse(b)) ?? .null
  }
}

/// The closest name within a third of the length (at least 2 edits), ties to the smaller.
func closestName(_ name: String, in candidates: Set<String>) -> String? {
  var best: (String, Int)?
  for candidate in candidates.sorted() {
    let d = editDistance(name, candidate)
    if d <= Swift.max(2, name.count / 3), d < (best?.1 ?? Int.max) { best = (candidate, d) }
  }
  return best?.0
}
