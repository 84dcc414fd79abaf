/*
 The aggregate state of many groups in flat arrays, one row per group
 (layout in AccumulatorLayout.swift). Updating a row is a switch over the
 aggregates with no allocation except when a sketch grows.
*/

/// Values with at most 6 decimals are summed exactly as integer micro-units,
/// so sums and averages do not depend on the order of addition (and merged
/// shards equal one pass). Anything finer goes to a Double remainder.
@usableFromInline let sumScale = 1_000_000.0

package struct AccumulatorColumns {
  package let layout: AccumulatorLayout
  package private(set) var rows = 0
  package var ints: [Int64] = []
  package var doubles: [Double] = []
  package var hlls: [HyperLogLog] = []
  package var dds: [DDSketch] = []
  package var tops: [SpaceSaving] = []
  package var raws: [[UInt8]] = []
  private let initialDoubles: [Double]
  private let initialTops: [SpaceSaving]

  package init(layout: AccumulatorLayout) {
    self.layout = layout
    initialDoubles = layout.initialDoubles
    initialTops = layout.initialTops
    // Every array gets a buffer of its own: `update` makes them all unique up
    // front, and an empty array is the shared empty singleton, so an unused
    // kind would be "copied" on every record.
    ints.reserveCapacity(1)
    doubles.reserveCapacity(1)
    hlls.reserveCapacity(1)
    dds.reserveCapacity(1)
    tops.reserveCapacity(1)
    raws.reserveCapacity(1)
  }

  /// Appends an empty row; returns its index.
  package mutating func appendRow() -> Int {
    ints.append(contentsOf: repeatElement(0, count: layout.intsPerRow))
    doubles.append(contentsOf: initialDoubles)
    for _ in 0..<layout.hllsPerRow { hlls.append(HyperLogLog()) }
    for _ in 0..<layout.ddsPerRow { dds.append(DDSketch()) }
    tops.append(contentsOf: initialTops)
    for _ in 0..<layout.rawsPerRow { raws.append([]) }
    rows += 1
    return rows - 1
  }

  /// Empties row `r` for reuse (session slots).
  package mutating func resetRow(_ r: Int) {
    for i in 0..<layout.intsPerRow { ints[r * layout.intsPerRow + i] = 0 }
    for i in 0..<layout.doublesPerRow { doubles[r * layout.doublesPerRow + i] = initialDoubles[i] }
    for i in 0..<layout.hllsPerRow { hlls[r * layout.hllsPerRow + i] = HyperLogLog() }
    for i in 0..<layout.ddsPerRow { dds[r * layout.ddsPerRow + i] = DDSketch() }
    for i in 0..<layout.topsPerRow { tops[r * layout.topsPerRow + i] = initialTops[i] }
    for i in 0..<layout.rawsPerRow { raws[r * layout.rawsPerRow + i] = [] }
  }

  @inlinable
  static func addToSum(_ x: Double, ints: inout [Int64], at s: Int, doubles: inout [Double], at d: Int) {
    let scaled = (x * sumScale).rounded()
    if Swift.abs(scaled) < 9e15, Swift.abs(x * sumScale - scaled) < 1e-3 {
      let (sum, overflow) = ints[s].addingReportingOverflow(Int64(scaled))
      if !overflow { ints[s] = sum; return }
    }
    doubles[d] += x
  }

  /// Applies one record's inputs at event time `t` to row `r`.
  package mutating func update(row r: Int, inputs: AggregateInputs, time t: EpochMicros) {
    let ib = r &* layout.intsPerRow
    let db = r &* layout.doublesPerRow
    for a in 0..<layout.count {
      let io = ib &+ layout.intOffset[a]
      let d = db &+ layout.doubleOffset[a]
      switch layout.functions[a] {
      case .count:
        ints[io] &+= 1
      case .countIf:
        if inputs.flags[a] { ints[io] &+= 1 }
      case .rate where !layout.hasArgument[a]:
        ints[io] &+= 1
      case .sum, .avg, .rate:
        let x = inputs.numbers[a]
        if x.isFinite {
          ints[io] &+= 1
          Self.addToSum(x, ints: &ints, at: io &+ 1, doubles: &doubles, at: d)
        }
      case .min:
        let x = inputs.numbers[a]
        if x.isFinite { ints[io] &+= 1; if x < doubles[d] { doubles[d] = x } }
      case .max:
        let x = inputs.numbers[a]
        if x.isFinite { ints[io] &+= 1; if x > doubles[d] { doubles[d] = x } }
      case .distinct:
        if inputs.flags[a] { hlls[r &* layout.hllsPerRow &+ layout.sketchOffset[a]].insert(hash: inputs.hashes[a]) }
      case .quantile:
        let x = inputs.numbers[a]
        if x.isFinite { dds[r &* layout.ddsPerRow &+ layout.sketchOffset[a]].add(x) }
      case .top:
        if inputs.flags[a] {
          let s = r &* layout.topsPerRow &+ layout.sketchOffset[a]
          inputs.withValue(a) { tops[s].add($0, hash: inputs.hashes[a]) }
        }
      case .first, .last:
        if inputs.flags[a] {
          let s = r &* layout.rawsPerRow &+ layout.sketchOffset[a]
          inputs.withValue(a) { value in
            replaceIfBetter(first: layout.functions[a] == .first, io: io, raw: s, time: t, value: value)
          }
        }
      }
    }
  }

  /// first keeps the smallest (time, bytes), last the largest, so the choice
  /// does not depend on input order (merged shards agree with one pass).
  private mutating func replaceIfBetter(first: Bool, io: Int, raw s: Int, time t: Int64, value: UnsafeRawBufferPointer) {
    let better: Bool
    if ints[io &+ 1] == 0 {
      better = true
    } else if t != ints[io] {
      better = first ? t < ints[io] : t > ints[io]
    } else {
      let smaller = value.lexicographicallyPrecedes(raws[s])
      better = first ? smaller : (!smaller && !value.elementsEqual(raws[s]))
    }
    guard better else { return }
    ints[io] = t
    ints[io &+ 1] = 1
    raws[s].removeAll(keepingCapacity: true)
    raws[s].append(contentsOf: value)
  }

  /// Merges row `o` of `other` into row `r` (same layout).
  package mutating func merge(row r: Int, from other: AccumulatorColumns, row o: Int) {
    let ib = r * layout.intsPerRow, ob = o * layout.intsPerRow
    let db = r * layout.doublesPerRow, odb = o * layout.doublesPerRow
    for a in 0..<layout.count {
      let io = ib + layout.intOffset[a], oo = ob + layout.intOffset[a]
      let d = db + layout.doubleOffset[a], od = odb + layout.doubleOffset[a]
      switch layout.functions[a] {
      case .count, .countIf:
        ints[io] = addSaturating(ints[io], other.ints[oo])
      case .rate where !layout.hasArgument[a]:
        ints[io] = addSaturating(ints[io], other.ints[oo])
      case .sum, .avg, .rate:
        ints[io] = addSaturating(ints[io], other.ints[oo])
        let (sum, overflow) = ints[io + 1].addingReportingOverflow(other.ints[oo + 1])
        if overflow { doubles[d] += Double(other.ints[oo + 1]) / sumScale } else { ints[io + 1] = sum }
        doubles[d] += other.doubles[od]
      case .min:
        ints[io] = addSaturating(ints[io], other.ints[oo])
        doubles[d] = Swift.min(doubles[d], other.doubles[od])
      case .max:
        ints[io] = addSaturating(ints[io], other.ints[oo])
        doubles[d] = Swift.max(doubles[d], other.doubles[od])
      case .distinct:
        hlls[r * layout.hllsPerRow + layout.sketchOffset[a]].merge(other.hlls[o * layout.hllsPerRow + layout.sketchOffset[a]])
      case .quantile:
        dds[r * layout.ddsPerRow + layout.sketchOffset[a]].merge(other.dds[o * layout.ddsPerRow + layout.sketchOffset[a]])
      case .top:
        tops[r * layout.topsPerRow + layout.sketchOffset[a]].merge(other.tops[o * layout.topsPerRow + layout.sketchOffset[a]])
      case .first, .last:
        let os = o * layout.rawsPerRow + layout.sketchOffset[a]
        guard other.ints[oo + 1] != 0 else { continue }
        let s = r * layout.rawsPerRow + layout.sketchOffset[a]
        other.raws[os].withUnsafeBytes { value in
          replaceIfBetter(first: layout.functions[a] == .first, io: io, raw: s, time: other.ints[oo], value: value)
        }
      }
    }
  }

  /// A copy of row `r` alone (to merge rows of one table into each other).
  package func extractRow(_ r: Int) -> AccumulatorColumns {
    var single = AccumulatorColumns(layout: layout)
    single.rows = 1
    single.ints = Array(ints[(r * layout.intsPerRow)..<((r + 1) * layout.intsPerRow)])
    single.doubles = Array(doubles[(r * layout.doublesPerRow)..<((r + 1) * layout.doublesPerRow)])
    single.hlls = Array(hlls[(r * layout.hllsPerRow)..<((r + 1) * layout.hllsPerRow)])
    single.dds = Array(dds[(r * layout.ddsPerRow)..<((r + 1) * layout.ddsPerRow)])
    single.tops = Array(tops[(r * layout.topsPerRow)..<((r + 1) * layout.topsPerRow)])
    single.raws = Array(raws[(r * layout.rawsPerRow)..<((r + 1) * layout.rawsPerRow)])
    return single
  }

  /// The exact sum of aggregate `a` in row `r` (sum, avg, rate(x)).
  package func sum(row r: Int, aggregate a: Int) -> Double {
    let io = r * layout.intsPerRow + layout.intOffset[a]
    return Double(ints[io + 1]) / sumScale + doubles[r * layout.doublesPerRow + layout.doubleOffset[a]]
  }
}
