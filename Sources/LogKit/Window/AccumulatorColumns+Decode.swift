/*
 Reading the mergeable states written by `writeState` (partial records) back
 into a row, for `logwindow --merge`.

 Partial records are input: every number is checked before it becomes an
 integer (whole, finite, in range), counts are never negative, sketch
 payloads have the sizes their writer gives them, and anything else makes
 the record bad input (a `WindowError`), never a trap.
*/

/// Largest count a partial record may carry: integers up to 2^53 survive
/// readers that hold numbers as doubles, and sums of them cannot overflow.
let partialCountLimit: Int64 = 1 << 53

extension JSONValue {
  /// A whole number in 0...partialCountLimit.
  var partialCount: Int64? {
    guard let d = doubleValue, let n = Int64(exactly: d), n >= 0, n <= partialCountLimit else { return nil }
    return n
  }

  /// A whole number of microseconds within ±10,000 years of the epoch.
  var partialMicros: Int64? {
    guard let d = doubleValue, let n = Int64(exactly: d), n.magnitude <= partialMicrosLimit else { return nil }
    return n
  }
}

/// ±10,000 years in microseconds: times and durations of partial records stay
/// far from Int64 overflow in any sum the engine forms.
let partialMicrosLimit: UInt64 = 315_569_520_000_000_000

extension AccumulatorColumns {
  /// The specs described by a partial record's `"aggs"` array.
  package static func decodeLayout(_ value: JSONValue?) throws(WindowError) -> [AggregateSpec] {
    guard let items = value?.arrayValue, !items.isEmpty else { throw WindowError("partial record without an \"aggs\" array") }
    var specs: [AggregateSpec] = []
    for item in items {
      guard let name = item["name"]?.stringValue, let code = item["fn"]?.stringValue,
        let function = AggregateFunction(code: code)
      else { throw WindowError("partial record with an invalid aggregate description \(excerpt(item.description))") }
      specs.append(AggregateSpec(name: name, function: function, argument: item["arg"]?.stringValue))
    }
    return specs
  }

  /// A one-row set of columns holding `state` (one value per aggregate).
  package static func decodeRow(layout: AccumulatorLayout, state value: JSONValue?) throws(WindowError) -> AccumulatorColumns {
    guard let states = value?.arrayValue, states.count == layout.count else {
      throw WindowError("partial record whose \"state\" does not match its aggregates")
    }
    var row = AccumulatorColumns(layout: layout)
    _ = row.appendRow()
    for a in 0..<layout.count {
      guard row.decode(states[a], aggregate: a) else {
        throw WindowError("partial record with an invalid state for '\(layout.specs[a].name)': \(excerpt(states[a].description))")
      }
    }
    return row
  }

  /// Sets aggregate `a` of row 0 from its state; false when the state is malformed.
  private mutating func decode(_ state: JSONValue, aggregate a: Int) -> Bool {
    let io = layout.intOffset[a], d = layout.doubleOffset[a], s = layout.sketchOffset[a]
    switch layout.specs[a].function {
    case .count, .countIf:
      guard let n = state.partialCount else { return false }
      ints[io] = n
    case .rate where layout.specs[a].argument == nil:
      guard let n = state.partialCount else { return false }
      ints[io] = n
    case .sum, .avg, .rate:
      guard let parts = state.arrayValue, parts.count == 3, let n = parts[0].partialCount,
        let micro = parts[1].stringValue.flatMap({ Int64($0) }), let rest = parts[2].doubleValue, rest.isFinite
      else { return false }
      ints[io] = n
      ints[io + 1] = micro
      doubles[d] = rest
    case .min, .max:
      guard let parts = state.arrayValue, parts.count == 2, let n = parts[0].partialCount else { return false }
      ints[io] = n
      if n > 0 {
        guard let v = parts[1].doubleValue, v.isFinite else { return false }
        doubles[d] = v
      }
    case .distinct:
      // Registers no real input reaches (all at the top rank) estimate infinity.
      guard let text = state.stringValue, let hll = HyperLogLog(stateText: text), hll.estimate.isFinite else { return false }
      hlls[s] = hll
    case .quantile:
      guard let dd = Self.decodeDDSketch(state) else { return false }
      dds[s] = dd
    case .top(let k):
      guard let top = Self.decodeTop(state, k: k) else { return false }
      tops[s] = top
    case .first, .last:
      if case .null = state { return true }
      guard let parts = state.arrayValue, parts.count == 2, let t = parts[0].partialMicros,
        let text = parts[1].stringValue, Self.isJSONText(text)
      else { return false }
      ints[io] = t
      ints[io + 1] = 1
      raws[s] = Array(text.utf8)
    }
    return true
  }

  /// Values of first, last and top are kept as JSON text and written verbatim.
  private static func isJSONText(_ text: String) -> Bool {
    (try? JSONValue.parse(text)) != nil
  }

  /// A Space-Saving summary of `top(k)`: its capacity, at most that many
  /// distinct counters, each with 0 <= error <= count.
  private static func decodeTop(_ state: JSONValue, k: Int) -> SpaceSaving? {
    let expected = SpaceSaving(k: k)
    guard let capacity = state["cap"]?.partialCount, capacity == expected.capacity,
      let counters = state["c"]?.arrayValue, counters.count <= expected.capacity
    else { return nil }
    var top = expected
    var seen = Set<String>()
    for counter in counters {
      guard let parts = counter.arrayValue, parts.count == 3, let text = parts[0].stringValue, isJSONText(text),
        let count = parts[1].partialCount, let error = parts[2].partialCount, error <= count,
        seen.insert(text).inserted
      else { return nil }
      top.append(value: Array(text.utf8), count: count, error: error)
    }
    return top
  }

  /// A DDSketch whose count equals its zero count plus its bucket counts.
  private static func decodeDDSketch(_ state: JSONValue) -> DDSketch? {
    guard let n = state["n"]?.partialCount else { return nil }
    var dd = DDSketch()
    guard n > 0 else { return dd }
    guard let zero = state["z"]?.partialCount, let lo = state["min"]?.doubleValue, let hi = state["max"]?.doubleValue,
      lo.isFinite, hi.isFinite, lo <= hi
    else { return nil }
    dd.count = n
    dd.zeroCount = zero
    dd.min = lo
    dd.max = hi
    var total = zero
    func store(_ key: String) -> DDSketchStore? {
      guard let items = state[key]?.arrayValue else { return DDSketchStore() }
      guard items.count % 2 == 0, items.count <= 2 * 65_536 else { return nil }
      var store = DDSketchStore()
      var i = 0
      while i < items.count {
        guard let index = items[i].doubleValue.flatMap({ Int(exactly: $0) }), index.magnitude < 1_000_000,
          let c = items[i + 1].partialCount, c > 0
        else { return nil }
        total += c
        guard total <= n else { return nil }
        store.add(index: index, count: c)
        i += 2
      }
      return store
    }
    guard let positive = store("pos"), let negative = store("neg"), total == n else { return nil }
    dd.positive = positive
    dd.negative = negative
    return dd
  }
}
