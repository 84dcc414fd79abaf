/*
 The plain-text summary (stdout not a terminal, no --html/--serve): what
 came in, traffic over the run, the latest window and its top-N, alerts and
 scaling. Suitable for cron mail; log text is escaped like on the terminal.
*/

package enum TextSummary {
  package static func render(_ model: DashModel, health: DashHealth) -> String {
    var out: [String] = []
    out.append(header(model))
    out.append(inputLine(model, health: health))
    if model.totalRequests > 0 || model.counts.windowRecords > 0 || model.counts.accessRecords > 0 {
      out += traffic(model)
    }
    if let point = model.latestPoint { out += latest(model, point) }
    out += alerts(model)
    out += scaling(model)
    return out.joined(separator: "\n") + "\n"
  }

  static func header(_ model: DashModel) -> String {
    guard let first = model.firstTime else { return "logdash summary: no records" }
    let span = model.latestTime - first
    return "logdash summary \(formatRFC3339(first)) .. \(formatRFC3339(model.latestTime)) (\(DashFormat.age(span)))"
  }

  static func inputLine(_ model: DashModel, health: DashHealth) -> String {
    let c = model.counts
    var parts = [
      "\(c.windowRecords) window records", "\(c.alertEvents) alert events", "\(c.scaleDecisions) scale decisions",
      "\(c.accessRecords) access records",
    ]
    if c.provisional > 0 { parts.append("\(c.provisional) early updates skipped") }
    return "input: " + parts.joined(separator: ", ") + "; \(health.rejected) rejected, \(c.late) late"
  }

  static func traffic(_ model: DashModel) -> [String] {
    var lines = ["requests: \(DashFormat.count(model.totalRequests)), errors \(DashFormat.count(model.totalErrors))"
      + " (\(DashFormat.percent(model.totalRequests > 0 ? model.totalErrors / model.totalRequests : nil)))"]
    let rows = bucketed(model.overviewPoints, rows: 24)
    guard rows.count > 1 else { return lines }
    lines.append("traffic (\(rows.count) intervals):")
    let peak = rows.compactMap(\.count).max() ?? 0
    for p in rows {
      let bar = peak > 0 ? String(repeating: "#", count: Int(((p.count ?? 0) / peak * 30).rounded())) : ""
      lines.append("  \(DashFormat.dateTime(p.start))  \(pad(DashFormat.count(p.count ?? 0), 10))  "
        + "\(pad(DashFormat.rate(p.rate), 9))  err \(pad(DashFormat.percent(p.errorRatio), 6))  \(bar)")
    }
    return lines
  }

  static func latest(_ model: DashModel, _ point: WindowPoint) -> [String] {
    var line = "latest window \(formatRFC3339(point.start)) +\(DashFormat.age(point.end - point.start)): "
    line += "\(DashFormat.count(point.count ?? 0)) requests (\(DashFormat.rate(point.rate))), "
    line += "errors \(DashFormat.count(point.errors ?? 0)) (\(DashFormat.percent(point.errorRatio)))"
    for (i, name) in WindowPoint.quantileNames.enumerated() where !point.quantiles[i].isNaN {
      line += " \(name) \(DashFormat.seconds(point.quantiles[i]))"
    }
    for (i, name) in model.config.chartFields.enumerated() where !point.charts[i].isNaN {
      line += " \(InertText.escape(name)) \(formatNumber(point.charts[i]))"
    }
    var lines = [line]
    for kind in TopKind.allCases {
      let table = model.latestTop(kind)
      guard !table.isEmpty else { continue }
      lines.append("top \(kind.title) (latest window):")
      for e in table.top(model.config.topN) {
        let share = table.total > 0 ? e.count / table.total : nil
        lines.append("  \(pad(DashFormat.count(e.count), 10))  \(pad(DashFormat.percent(share), 6))  \(InertText.escape(e.value))")
      }
    }
    let paths = model.runTops[TopKind.path.rawValue]
    let errorProne = paths.top(model.config.topN, byErrors: true)
    if !errorProne.isEmpty && model.counts.accessRecords > 0 {
      lines.append("most 4xx/5xx by path (whole run\(paths.approximate ? ", approximate" : "")):")
      for e in errorProne {
        lines.append("  \(pad(DashFormat.count(e.errors), 10))  of \(pad(DashFormat.count(e.count), 10))  \(InertText.escape(e.value))")
      }
    }
    return lines
  }

  static func alerts(_ model: DashModel) -> [String] {
    let board = model.alerts
    guard board.timeline.count > 0 else { return [] }
    var lines = ["alerts: \(board.firing) firing, \(board.active.count - board.firing) pending (fired \(board.firedCount), resolved \(board.resolvedCount))"]
    for a in board.sortedActive {
      lines.append("  \(a.state.rawValue.uppercased()) \(InertText.escape(a.identity))  for \(DashFormat.age(model.latestTime - (a.since ?? a.time)))"
        + (a.value.map { "  value \(formatNumber($0))" } ?? "") + (a.summary.isEmpty ? "" : "  \(InertText.escape(a.summary))"))
    }
    let recent = board.timeline.suffix(10)
    lines.append("alert timeline (last \(recent.count) of \(board.timeline.count + board.timeline.dropped)):")
    for e in recent {
      lines.append("  \(formatRFC3339(e.time))  \(pad(e.state.rawValue, 8))  \(InertText.escape(e.identity))" + (e.value.map { "  value \(formatNumber($0))" } ?? ""))
    }
    return lines
  }

  static func scaling(_ model: DashModel) -> [String] {
    guard let last = model.scaling.decisions.last else { return [] }
    var lines = ["scaling: \(last.to) replicas after \(model.scaling.total) decisions; last at \(formatRFC3339(last.time)): \(last.from) -> \(last.to): \(InertText.escape(last.reason))"]
    let history = model.scaling.decisions.suffix(10)
    lines.append("replica history (last \(history.count)):")
    for d in history {
      lines.append("  \(formatRFC3339(d.time))  \(pad(String(d.from), 3)) -> \(pad(String(d.to), 3))  \(InertText.escape(d.reason))")
    }
    return lines
  }

  /// Merges neighbouring points so at most `rows` remain.
  package static func bucketed(_ points: [WindowPoint], rows: Int) -> [WindowPoint] {
    guard points.count > rows, let first = points.first else { return points }
    let per = (points.count + rows - 1) / rows
    var out: [WindowPoint] = []
    var current = first
    var n = 1
    for p in points.dropFirst() {
      if n == per {
        out.append(current)
        current = p
        n = 1
      } else {
        current = current.merged(with: p, chartCombine: Array(repeating: .sum, count: p.charts.count))
        n += 1
      }
    }
    out.append(current)
    return out
  }

  /// Right-aligned in `width` columns.
  static func pad(_ s: String, _ width: Int) -> String {
    let w = InertText.width(s)
    return w >= width ? s : String(repeating: " ", count: width - w) + s
  }
}
