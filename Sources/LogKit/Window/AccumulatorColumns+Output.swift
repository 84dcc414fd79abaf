/*
 Writing a row's aggregates: final values for window records, and the
 mergeable state for partial records (`--partial`), which
 AccumulatorColumns+Decode.swift reads back for `--merge`.
*/

extension AccumulatorColumns {
  /// Writes `"name": value` for every aggregate of row `r`.
  /// `seconds` is the window length used by rate (nil when unknown).
  package func writeValues(row r: Int, seconds: Double?, to sink: OutputSink) {
    for a in 0..<layout.count {
      let io = r * layout.intsPerRow + layout.intOffset[a]
      let d = r * layout.doublesPerRow + layout.doubleOffset[a]
      sink.key(layout.outputKeys[a])
      switch layout.functions[a] {
      case .count, .countIf:
        sink.value(Int(ints[io]))
      case .rate:
        let amount = !layout.hasArgument[a] ? Double(ints[io]) : sum(row: r, aggregate: a)
        if let seconds, seconds > 0 { sink.value(amount / seconds) } else { sink.valueNull() }
      case .sum:
        // An empty sum is 0 (so thresholds in logalert work); avg, min and max of nothing are null.
        sink.value(sum(row: r, aggregate: a))
      case .avg:
        if ints[io] == 0 { sink.valueNull() } else { sink.value(sum(row: r, aggregate: a) / Double(ints[io])) }
      case .min, .max:
        if ints[io] == 0 { sink.valueNull() } else { sink.value(doubles[d]) }
      case .distinct:
        let estimate = hlls[r * layout.hllsPerRow + layout.sketchOffset[a]].estimate
        sink.value(estimate < 9e18 ? Int(estimate) : Int.max)
      case .quantile(let q):
        if let v = dds[r * layout.ddsPerRow + layout.sketchOffset[a]].quantile(q) { sink.value(v) } else { sink.valueNull() }
      case .top(let k):
        sink.beginArray()
        for entry in tops[r * layout.topsPerRow + layout.sketchOffset[a]].top(k) {
          sink.beginObject()
          sink.key("value")
          entry.value.withUnsafeBytes { sink.value(rawJSON: $0) }
          sink.key("count")
          sink.value(Int(entry.count))
          sink.endObject()
        }
        sink.endArray()
      case .first, .last:
        if ints[io + 1] == 0 {
          sink.valueNull()
        } else {
          raws[r * layout.rawsPerRow + layout.sketchOffset[a]].withUnsafeBytes { sink.value(rawJSON: $0) }
        }
      }
    }
  }

  /// Writes the layout description: `"aggs":[{"name":…,"fn":…,"arg":…},…]`.
  package func writeLayout(to sink: OutputSink) {
    sink.key("aggs")
    sink.beginArray()
    for spec in layout.specs {
      sink.beginObject()
      sink.key("name")
      sink.value(spec.name)
      sink.key("fn")
      sink.value(spec.function.code)
      if let argument = spec.argument {
        sink.key("arg")
        sink.value(argument)
      }
      sink.endObject()
    }
    sink.endArray()
  }

  /// Writes `"state":[…]`, one mergeable state per aggregate of row `r`.
  /// Integer sums are strings so they survive readers that use doubles.
  package func writeState(row r: Int, to sink: OutputSink) {
    sink.key("state")
    sink.beginArray()
    for a in 0..<layout.count {
      let io = r * layout.intsPerRow + layout.intOffset[a]
      let d = r * layout.doublesPerRow + layout.doubleOffset[a]
      switch layout.functions[a] {
      case .count, .countIf:
        sink.value(Int(ints[io]))
      case .rate where !layout.hasArgument[a]:
        sink.value(Int(ints[io]))
      case .sum, .avg, .rate:
        sink.beginArray()
        sink.value(Int(ints[io]))
        sink.value(String(ints[io + 1]))
        sink.value(doubles[d])
        sink.endArray()
      case .min, .max:
        sink.beginArray()
        sink.value(Int(ints[io]))
        if ints[io] == 0 { sink.valueNull() } else { sink.value(doubles[d]) }
        sink.endArray()
      case .distinct:
        sink.value(hlls[r * layout.hllsPerRow + layout.sketchOffset[a]].stateText)
      case .quantile:
        writeDDSketch(dds[r * layout.ddsPerRow + layout.sketchOffset[a]], to: sink)
      case .top:
        let top = tops[r * layout.topsPerRow + layout.sketchOffset[a]]
        sink.beginObject()
        sink.key("cap")
        sink.value(top.capacity)
        sink.key("c")
        sink.beginArray()
        for i in top.rankedIndices() {
          sink.beginArray()
          top.values[i].withUnsafeBytes { sink.value(string: $0) }
          sink.value(Int(top.counts[i]))
          sink.value(Int(top.errors[i]))
          sink.endArray()
        }
        sink.endArray()
        sink.endObject()
      case .first, .last:
        if ints[io + 1] == 0 {
          sink.valueNull()
        } else {
          sink.beginArray()
          sink.value(Int(ints[io]))
          raws[r * layout.rawsPerRow + layout.sketchOffset[a]].withUnsafeBytes { sink.value(string: $0) }
          sink.endArray()
        }
      }
    }
    sink.endArray()
  }

  private func writeDDSketch(_ dd: DDSketch, to sink: OutputSink) {
    sink.beginObject()
    sink.key("n")
    sink.value(Int(dd.count))
    if dd.count > 0 {
      sink.key("z")
      sink.value(Int(dd.zeroCount))
      sink.key("min")
      sink.value(dd.min)
      sink.key("max")
      sink.value(dd.max)
      // Non-empty buckets as flat [index, count, index, count, ...] pairs:
      // small groups touch few buckets spread over a wide index range.
      for (name, store) in [("pos", dd.positive), ("neg", dd.negative)] where !store.isEmpty {
        sink.key(string: name)
        sink.beginArray()
        store.forEachBucket { index, count in
          sink.value(index)
          sink.value(Int(count))
          return true
        }
        sink.endArray()
      }
    }
    sink.endObject()
  }
}
