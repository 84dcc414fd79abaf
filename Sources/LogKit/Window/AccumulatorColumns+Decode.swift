/*
 Reading the mergeable states written by `writeState` (partial records) back
 into a row, for `logwindow --merge`.
*/

extension AccumulatorColumns {
  /// The specs described by a partial record's `"aggs"` array.
  package static func decodeLayout(_ value: JSONValue?) throws(WindowError) -> [AggregateSpec] {
    guard let items = value?.arrayValue else { throw WindowError("partial record without an \"aggs\" array") }
    var specs: [AggregateSpec] = []
    for item in items {
      guard let name = item["name"]?.stringValue, let code = item["fn"]?.stringValue,
        let function = AggregateFunction(code: code)
      else { throw WindowError("partial record with an invalid aggregate description \(item)") }
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
      let io = layout.intOffset[a], d = layout.doubleOffset[a]
      let state = states[a]
      let bad = WindowError("partial record with an invalid state for '\(layout.specs[a].name)': \(state)")
      switch layout.specs[a].function {
      case .count, .countIf:
        guard let n = state.doubleValue else { throw bad }
        row.ints[io] = Int64(n)
      case .rate where layout.specs[a].argument == nil:
        guard let n = state.doubleValue else { throw bad }
        row.ints[io] = Int64(n)
      case .sum, .avg, .rate:
        guard let parts = state.arrayValue, parts.count == 3, let n = parts[0].doubleValue,
          let micro = parts[1].stringValue.flatMap({ Int64($0) }), let rest = parts[2].doubleValue
        else { throw bad }
        row.ints[io] = Int64(n)
        row.ints[io + 1] = micro
        row.doubles[d] = rest
      case .min, .max:
        guard let parts = state.arrayValue, parts.count == 2, let n = parts[0].doubleValue else { throw bad }
        row.ints[io] = Int64(n)
        if n > 0 {
          guard let v = parts[1].doubleValue else { throw bad }
          row.doubles[d] = v
        }
      case .distinct:
        guard let text = state.stringValue, let hll = HyperLogLog(stateText: text) else { throw bad }
        row.hlls[layout.sketchOffset[a]] = hll
      case .quantile:
        guard let dd = decodeDDSketch(state) else { throw bad }
        row.dds[layout.sketchOffset[a]] = dd
      case .top:
        guard let capacity = state["cap"]?.doubleValue, let counters = state["c"]?.arrayValue else { throw bad }
        var top = SpaceSaving(capacity: Int(capacity))
        for counter in counters {
          guard let parts = counter.arrayValue, parts.count == 3, let text = parts[0].stringValue,
            let count = parts[1].doubleValue, let error = parts[2].doubleValue
          else { throw bad }
          top.append(value: Array(text.utf8), count: Int64(count), error: Int64(error))
        }
        row.tops[layout.sketchOffset[a]] = top
      case .first, .last:
        if case .null = state { continue }
        guard let parts = state.arrayValue, parts.count == 2, let t = parts[0].doubleValue,
          let text = parts[1].stringValue
        else { throw bad }
        row.ints[io] = Int64(t)
        row.ints[io + 1] = 1
        row.raws[layout.sketchOffset[a]] = Array(text.utf8)
      }
    }
    return row
  }

  private static func decodeDDSketch(_ state: JSONValue) -> DDSketch? {
    guard let n = state["n"]?.doubleValue else { return nil }
    var dd = DDSketch()
    guard n > 0 else { return dd }
    guard let zero = state["z"]?.doubleValue, let lo = state["min"]?.doubleValue, let hi = state["max"]?.doubleValue
    else { return nil }
    dd.count = Int64(n)
    dd.zeroCount = Int64(zero)
    dd.min = lo
    dd.max = hi
    func store(_ key: String) -> DDSketchStore? {
      guard let items = state[key]?.arrayValue else { return DDSketchStore() }
      guard items.count % 2 == 0 else { return nil }
      var store = DDSketchStore()
      var i = 0
      while i < items.count {
        guard let index = items[i].doubleValue, let c = items[i + 1].doubleValue, abs(index) < 1e6, c > 0 else { return nil }
        store.add(index: Int(index), count: Int64(c))
        i += 2
      }
      return store
    }
    guard let positive = store("pos"), let negative = store("neg") else { return nil }
    dd.positive = positive
    dd.negative = negative
    return dd
  }
}
