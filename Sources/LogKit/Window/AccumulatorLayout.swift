/*
 Where each aggregate keeps its state inside a group row.

 A row is a fixed number of Int64 and Double slots plus, for sketches, one
 entry in a per-kind sketch column. Rows of a window live side by side in
 flat arrays (AccumulatorColumns), so a group costs no object of its own and
 a window's state is freed in one go when the window closes.

 Slots per function:
   count, count_if, rate()      ints: n
   sum, avg, rate(x)            ints: n, micro-unit sum;  doubles: rest sum
   min, max                     ints: n;                  doubles: extreme
   first, last                  ints: time, has;          raw value bytes
   distinct / quantile / top    one HyperLogLog / DDSketch / SpaceSaving
*/

package struct AccumulatorLayout: Sendable, Equatable {
  package let specs: [AggregateSpec]
  /// `specs[i].function`, kept apart so hot loops read a trivial enum
  /// (copying a spec would retain its strings).
  package let functions: [AggregateFunction]
  /// `specs[i].argument != nil`.
  package let hasArgument: [Bool]
  /// Pre-escaped output names.
  package let outputKeys: [PrerenderedKey]
  package private(set) var intOffset: [Int] = []
  package private(set) var doubleOffset: [Int] = []
  /// Index inside the aggregate's sketch (or raw-bytes) column.
  package private(set) var sketchOffset: [Int] = []
  package private(set) var intsPerRow = 0
  package private(set) var doublesPerRow = 0
  package private(set) var hllsPerRow = 0
  package private(set) var ddsPerRow = 0
  package private(set) var topsPerRow = 0
  package private(set) var rawsPerRow = 0

  package init(_ specs: [AggregateSpec]) {
    self.specs = specs
    functions = specs.map(\.function)
    hasArgument = specs.map { $0.argument != nil }
    outputKeys = specs.map { PrerenderedKey($0.name) }
    for spec in specs {
      intOffset.append(intsPerRow)
      doubleOffset.append(doublesPerRow)
      switch spec.function {
      case .count, .countIf:
        intsPerRow += 1
        sketchOffset.append(-1)
      case .rate:
        intsPerRow += spec.argument == nil ? 1 : 2
        doublesPerRow += spec.argument == nil ? 0 : 1
        sketchOffset.append(-1)
      case .sum, .avg:
        intsPerRow += 2
        doublesPerRow += 1
        sketchOffset.append(-1)
      case .min, .max:
        intsPerRow += 1
        doublesPerRow += 1
        sketchOffset.append(-1)
      case .first, .last:
        intsPerRow += 2
        sketchOffset.append(rawsPerRow)
        rawsPerRow += 1
      case .distinct:
        sketchOffset.append(hllsPerRow)
        hllsPerRow += 1
      case .quantile:
        sketchOffset.append(ddsPerRow)
        ddsPerRow += 1
      case .top:
        sketchOffset.append(topsPerRow)
        topsPerRow += 1
      }
    }
  }

  package var count: Int { specs.count }

  package static func == (a: AccumulatorLayout, b: AccumulatorLayout) -> Bool { a.specs == b.specs }

  /// Initial values of a row's Double slots (extremes start at +-infinity).
  package var initialDoubles: [Double] {
    var row = [Double](repeating: 0, count: doublesPerRow)
    for (i, spec) in specs.enumerated() {
      if spec.function == .min { row[doubleOffset[i]] = .infinity }
      if spec.function == .max { row[doubleOffset[i]] = -.infinity }
    }
    return row
  }

  /// Initial top-k sketches of a row.
  package var initialTops: [SpaceSaving] {
    specs.compactMap { if case .top(let k) = $0.function { SpaceSaving(k: k) } else { nil } }
  }
}
