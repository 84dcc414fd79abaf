/*
 One point of the dashboard's time series: a window's totals over all its
 groups. Window records of one window (one per --by group) add up into one
 point; logdash's own windowing of access records produces points directly.
*/

package struct WindowPoint: Sendable, Equatable {
  package var start: EpochMicros
  package var end: EpochMicros
  /// Requests (the `count` field, summed over groups); nil when records had none.
  package var count: Double?
  /// Errors (the first field whose name says error, e.g. `errors`), summed.
  package var errors: Double?
  /// Latency quantiles in seconds (worst group): p50, p90, p95, p99; NaN when absent.
  package var quantiles: [Double] = [.nan, .nan, .nan, .nan]
  /// Values of DashConfig.chartFields, in order; NaN when absent.
  package var charts: [Double]
  /// Window records folded into this point.
  package var records = 0

  package static let quantileNames = ["p50", "p90", "p95", "p99"]

  package init(start: EpochMicros, end: EpochMicros, chartCount: Int) {
    self.start = start
    self.end = end
    charts = Array(repeating: .nan, count: chartCount)
  }

  package var seconds: Double { Double(Swift.max(end - start, 1)) / 1e6 }

  /// Requests per second of window length.
  package var rate: Double? { count.map { $0 / seconds } }

  /// errors / count, nil without both.
  package var errorRatio: Double? {
    guard let count, let errors, count > 0 else { return count == nil || errors == nil ? nil : 0 }
    return errors / count
  }

  /// The point covering `self` then `next` (for the compacting overview).
  package func merged(with next: WindowPoint, chartCombine: [ChartCombine]) -> WindowPoint {
    var out = WindowPoint(start: Swift.min(start, next.start), end: Swift.max(end, next.end), chartCount: charts.count)
    out.count = addOptional(count, next.count)
    out.errors = addOptional(errors, next.errors)
    out.records = records &+ next.records
    for i in 0..<4 { out.quantiles[i] = maxIgnoringNaN(quantiles[i], next.quantiles[i]) }
    for i in charts.indices {
      out.charts[i] = chartCombine[i].combine(charts[i], next.charts[i])
    }
    return out
  }
}

/// How values of one field from several groups (or merged points) combine.
package enum ChartCombine: Sendable, Equatable {
  case sum, maximum, minimum

  /// Quantiles, averages and maxima take the worst value; minima the least; everything else adds.
  package init(fieldName name: String) {
    if name.hasPrefix("min") {
      self = .minimum
    } else if name.hasPrefix("max") || name.hasPrefix("avg") || name.hasPrefix("quantile") || name.hasPrefix("distinct")
      || name.contains("ratio") || isQuantileName(name) || name.hasPrefix("rate") {
      self = name.hasPrefix("rate") ? .sum : .maximum
    } else {
      self = .sum
    }
  }

  package func combine(_ a: Double, _ b: Double) -> Double {
    if a.isNaN { return b }
    if b.isNaN { return a }
    switch self {
    case .sum: return a + b
    case .maximum: return Swift.max(a, b)
    case .minimum: return Swift.min(a, b)
    }
  }
}

/// `p95_request_time`, `p99`: a p followed by digits.
package func isQuantileName(_ name: String) -> Bool {
  let bytes = Array(name.utf8.prefix(4))
  guard bytes.count >= 2, bytes[0] == UInt8(ascii: "p") else { return false }
  return bytes[1] >= 48 && bytes[1] <= 57
}

func addOptional(_ a: Double?, _ b: Double?) -> Double? {
  switch (a, b) {
  case (nil, nil): nil
  case (let x?, nil): x
  case (nil, let y?): y
  case (let x?, let y?): x + y
  }
}

func maxIgnoringNaN(_ a: Double, _ b: Double) -> Double {
  a.isNaN ? b : (b.isNaN ? a : Swift.max(a, b))
}

/// The whole run at decreasing resolution in constant memory: when full,
/// neighbouring points merge pairwise, so each point covers twice as much.
package struct OverviewSeries: Sendable {
  package private(set) var points: [WindowPoint] = []
  package let capacity: Int
  /// Input points per overview point (doubles on each compaction).
  package private(set) var span = 1
  private var pending: WindowPoint?
  private var pendingCount = 0
  let chartCombine: [ChartCombine]

  package init(capacity: Int, chartCombine: [ChartCombine]) {
    self.capacity = Swift.max(8, capacity & ~1)
    self.chartCombine = chartCombine
    points.reserveCapacity(self.capacity)
  }

  package mutating func append(_ point: WindowPoint) {
    pending = pending.map { $0.merged(with: point, chartCombine: chartCombine) } ?? point
    pendingCount += 1
    guard pendingCount >= span, let full = pending else { return }
    points.append(full)
    pending = nil
    pendingCount = 0
    if points.count >= capacity { compact() }
  }

  /// Kept points plus the one being filled.
  package var all: [WindowPoint] { pending.map { points + [$0] } ?? points }

  private mutating func compact() {
    var merged: [WindowPoint] = []
    merged.reserveCapacity(capacity)
    var i = 0
    while i + 1 < points.count {
      merged.append(points[i].merged(with: points[i + 1], chartCombine: chartCombine))
      i += 2
    }
    if i < points.count { merged.append(points[i]) }
    points = merged
    span *= 2
  }
}
