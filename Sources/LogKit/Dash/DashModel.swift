/*
 The dashboard's state, fed one NDJSON line at a time: it tells window
 records, alert events, scale decisions and access records apart by their
 fields, folds window records of one window into one point, windows access
 records itself (DashConfig.accessEvery), and keeps every history bounded
 (ring buffers, a compacting overview, pruned top tables) so memory stays
 flat over a long replay. Renderers read it; nothing here does I/O.
*/

/// What one line was.
package enum DashIngest: Equatable, Sendable {
  case window, alert, scale, access
  /// A `"final": false` early update of a window (not added: its final record follows).
  case provisional
  case rejected(String)
}

/// The top-N panels.
package enum TopKind: Int, CaseIterable, Sendable {
  case path, client, status, userAgent
  package var title: String { ["paths", "clients", "statuses", "user agents"][rawValue] }
  package var fieldName: String { ["path", "client", "status", "user_agent"][rawValue] }
}

package struct DashCounts: Sendable, Equatable {
  package var windowRecords = 0
  package var alertEvents = 0
  package var scaleDecisions = 0
  package var accessRecords = 0
  package var provisional = 0
  /// Window records older than the window being filled, access records older than their window.
  package var late = 0
  package var records: Int { windowRecords + alertEvents + scaleDecisions + accessRecords + provisional }
}

package final class DashModel {
  package let config: DashConfig
  let reader = RecordReader(timeField: nil)
  package internal(set) var recent: RingBuffer<WindowPoint>
  package internal(set) var overview: OverviewSeries
  /// The window being filled (window records of one window, or access records).
  package internal(set) var open: WindowPoint?
  var openTops: [TopTable]
  var closedTops: [TopTable]
  /// Whole-run tables (paths with errors, clients with 4xx/5xx, statuses).
  package private(set) var runTops: [TopTable]
  var latency = LatencyHistogram()
  package var alerts: AlertBoard
  package var scaling: DashScaleHistory
  package var counts = DashCounts()
  /// The largest event time seen: "now" for ages, so a replay shows the ages it had live.
  package private(set) var latestTime: EpochMicros = 0
  package private(set) var firstTime: EpochMicros?
  /// Requests and errors over the whole run.
  package private(set) var totalRequests: Double = 0
  package private(set) var totalErrors: Double = 0
  var roles: [String: FieldRole] = [:]
  var errorsField: String?
  var quantileMetric: String?
  let chartCombine: [ChartCombine]

  package init(config: DashConfig) {
    self.config = config
    recent = RingBuffer(capacity: config.recentPoints)
    chartCombine = config.chartFields.map(ChartCombine.init(fieldName:))
    overview = OverviewSeries(capacity: config.overviewPoints, chartCombine: chartCombine)
    let table = TopTable(maxDistinct: config.maxDistinct)
    openTops = Array(repeating: table, count: TopKind.allCases.count)
    closedTops = openTops
    runTops = openTops
    alerts = AlertBoard(timelineCapacity: config.timelineEvents)
    scaling = DashScaleHistory(capacity: config.timelineEvents)
  }

  /// Reads one line into the model.
  package func ingest(_ line: UnsafeRawBufferPointer) -> DashIngest {
    do { try reader.scanOnly(line) } catch { return .rejected(error.description) }
    let scanner = reader.scanner
    let result: DashIngest
    // Alert events carry their window's start and end too: look for them first.
    if scanner.fieldIndex(named: "alert") != nil && scanner.fieldIndex(named: "state") != nil {
      result = addAlertEvent()
    } else if scanner.fieldIndex(named: "from") != nil && scanner.fieldIndex(named: "to") != nil
      && scanner.fieldIndex(named: "reason") != nil {
      result = addScaleDecision()
    } else if scanner.fieldIndex(named: "start") != nil && scanner.fieldIndex(named: "end") != nil {
      result = addWindowRecord()
    } else if scanner.fieldIndex(named: "time") != nil
      && (scanner.fieldIndex(named: "status") != nil || scanner.fieldIndex(named: "path") != nil) {
      result = addAccessRecord()
    } else {
      result = .rejected("not a window record (start, end), alert event (alert, state), scale decision (from, to, reason) or access record (time, status or path)")
    }
    return result
  }

  /// End of input: the open window is complete.
  package func finish() {
    closeOpenWindow()
  }

  /// Points for the live charts: the recent ring plus the open window.
  package var recentPoints: [WindowPoint] {
    var points = recent.elements
    if let open, open.records > 0 { points.append(open) }
    return points
  }

  /// Points of the whole run (compacted), plus the open window.
  package var overviewPoints: [WindowPoint] {
    var points = overview.all
    if let open, open.records > 0 { points.append(open) }
    return points
  }

  /// The latest window's table of `kind` (the open one once it has values).
  package func latestTop(_ kind: TopKind) -> TopTable {
    openTops[kind.rawValue].isEmpty ? closedTops[kind.rawValue] : openTops[kind.rawValue]
  }

  /// The latest window (open or closed).
  package var latestPoint: WindowPoint? {
    if let open, open.records > 0 { return open }
    return recent.last
  }

  func noteTime(_ t: EpochMicros) {
    if t > latestTime { latestTime = t }
    if firstTime == nil || t < (firstTime ?? t) { firstTime = t }
  }

  /// Moves the open window into the histories.
  func closeOpenWindow() {
    guard var point = open else { return }
    if latency.count > 0 {
      for (i, q) in [0.5, 0.9, 0.95, 0.99].enumerated() { point.quantiles[i] = latency.quantile(q) }
      latency.reset()
    }
    recent.append(point)
    overview.append(point)
    swap(&openTops, &closedTops)
    for i in openTops.indices { openTops[i].removeAll() }
    open = nil
  }

  /// Starts a window, closing the one open.
  func openWindow(start: EpochMicros, end: EpochMicros) {
    closeOpenWindow()
    open = WindowPoint(start: start, end: end, chartCount: config.chartFields.count)
  }

  /// Adds a request count and its errors to the open window and the run totals.
  func addRequests(_ count: Double?, errors: Double?) {
    guard var point = open else { return }
    if let count {
      point.count = (point.count ?? 0) + count
      totalRequests += count
    }
    if let errors {
      point.errors = (point.errors ?? 0) + errors
      totalErrors += errors
    }
    open = point
  }

  func addTop(_ kind: TopKind, _ value: String, count: Double, errors: Double) {
    openTops[kind.rawValue].add(value, count: count, errors: errors)
    runTops[kind.rawValue].add(value, count: count, errors: errors)
  }

  func updateOpen(_ body: (inout WindowPoint) -> Void) {
    guard var point = open else { return }
    body(&point)
    open = point
  }
}
