/*
 The panels of the HTML page. Values carry `data-k` names, rows of tables
 are plain <tr>s; every log-derived string passes through HTMLText.
*/

enum HTMLPanels {
  static func panel(_ id: String, _ title: String, _ content: String) -> String {
    "<section id=\"\(id)\" class=\"panel\"><h2>\(HTMLText.escape(title))</h2>\(content)</section>\n"
  }

  static func charts(_ model: DashModel) -> String {
    let points = model.recentPoints
    guard !points.isEmpty else { return panel("rate", "Request rate", "<p class=\"empty\">no windows yet</p>") }
    let times = points.map(\.start)
    var out = panel("rate", "Request rate (per second)", SVGChart.render(
      title: "requests per second", series: [ChartSeries(name: "requests/s", color: "#0969da", values: points.map { $0.rate ?? .nan })],
      times: times, format: { formatNumber($0) }))
    out += panel("error-ratio", "Error ratio", SVGChart.render(
      title: "error ratio", series: [ChartSeries(name: "errors / requests", color: "#cf222e", values: points.map { $0.errorRatio ?? .nan })],
      times: times, format: { DashFormat.percent($0) }))
    let colors = ["#1a7f37", "#9a6700", "#8250df", "#cf222e"]
    let latency = WindowPoint.quantileNames.indices.compactMap { q -> ChartSeries? in
      let values = points.map { $0.quantiles[q] }
      return values.contains(where: \.isFinite) ? ChartSeries(name: WindowPoint.quantileNames[q], color: colors[q], values: values) : nil
    }
    if !latency.isEmpty {
      out += panel("latency", "Latency quantiles", SVGChart.render(title: "latency", series: latency, times: times, format: DashFormat.seconds))
    }
    for (i, name) in model.config.chartFields.enumerated() {
      out += panel("chart-\(i)", name, SVGChart.render(
        title: name, series: [ChartSeries(name: name, color: "#0550ae", values: points.map { $0.charts[i] })],
        times: times, format: { formatNumber($0) }))
    }
    return out
  }

  static func tops(_ model: DashModel) -> String {
    var out = ""
    let latest = model.latestPoint.map { " (window \(DashFormat.dateTime($0.start)))" } ?? ""
    for kind in TopKind.allCases {
      let table = model.latestTop(kind)
      guard !table.isEmpty else { continue }
      out += panel("top-\(kind.fieldName)", "Top \(kind.title)\(latest)", topTable(table, kind: kind, n: model.config.topN))
    }
    return out
  }

  static func topTable(_ table: TopTable, kind: TopKind, n: Int, byErrors: Bool = false) -> String {
    var out = "<table><tr><th>\(kind.fieldName)</th><th class=\"n\">count</th><th class=\"n\">share</th><th class=\"n\">errors</th></tr>"
    for e in table.top(n, byErrors: byErrors) {
      let share = table.total > 0 ? e.count / table.total : nil
      out += "<tr><td class=\"t\">\(HTMLText.escape(e.value))</td><td class=\"n\">\(DashFormat.count(e.count))</td>"
      out += "<td class=\"n\">\(DashFormat.percent(share))</td><td class=\"n\">\(DashFormat.count(e.errors))</td></tr>"
    }
    out += "</table>"
    if table.approximate { out += "<p class=\"empty\">counts are lower bounds: the table was pruned</p>" }
    return out
  }

  static func alerts(_ model: DashModel) -> String {
    let active = model.alerts.sortedActive
    guard model.alerts.timeline.count > 0 else { return panel("alerts", "Alerts", "<p class=\"empty\">no alert events</p>") }
    var out = "<p><span data-k=\"firing\">\(model.alerts.firing)</span> firing, \(active.count - model.alerts.firing) pending</p>"
    if !active.isEmpty {
      out += "<table><tr><th>state</th><th>alert</th><th class=\"n\">for</th><th class=\"n\">value</th><th>summary</th></tr>"
      for a in active {
        out += "<tr class=\"\(a.state.rawValue)\"><td>\(a.state.rawValue)</td><td class=\"t\">\(HTMLText.escape(a.identity))</td>"
        out += "<td class=\"n\">\(DashFormat.age(model.latestTime - (a.since ?? a.time)))</td>"
        out += "<td class=\"n\">\(a.value.map(formatNumber) ?? "")</td><td class=\"t\">\(HTMLText.escape(a.summary))</td></tr>"
      }
      out += "</table>"
    }
    return panel("alerts", "Alerts", out)
  }

  static func scaling(_ model: DashModel) -> String {
    let decisions = model.scaling.decisions.elements
    guard let last = decisions.last else { return panel("scaling", "Replicas", "<p class=\"empty\">no scale decisions</p>") }
    var out = "<p><span data-k=\"replicas\">\(last.to)</span> replicas; last change \(HTMLText.escape(formatRFC3339(last.time))): "
    out += "\(last.from) → \(last.to): <span class=\"t\" data-k=\"reason\">\(HTMLText.escape(last.reason))</span></p>"
    out += SVGChart.render(
      title: "replicas", series: [ChartSeries(name: "replicas", color: "#0969da", values: decisions.map { Double($0.to) })],
      times: decisions.map(\.time), format: { formatNumber($0.rounded()) }, step: true)
    return panel("scaling", "Replicas", out)
  }

  static func overview(_ model: DashModel) -> String {
    let points = TextSummary.bucketed(model.overviewPoints, rows: 120)
    guard points.count > 1 else { return "" }
    let chart = SVGChart.render(
      title: "requests per interval, whole run",
      series: [ChartSeries(name: "requests", color: "#0969da", values: points.map { $0.count ?? 0 }),
               ChartSeries(name: "errors", color: "#cf222e", values: points.map { $0.errors ?? 0 })],
      times: points.map(\.start), format: { formatNumber($0) })
    var table = "<details><summary>per interval</summary><table><tr><th>start</th><th class=\"n\">requests</th><th class=\"n\">errors</th><th class=\"n\">rate</th></tr>"
    for p in TextSummary.bucketed(model.overviewPoints, rows: 48) {
      table += "<tr><td>\(DashFormat.dateTime(p.start))</td><td class=\"n\">\(DashFormat.count(p.count ?? 0))</td>"
      table += "<td class=\"n\">\(DashFormat.count(p.errors ?? 0))</td><td class=\"n\">\(DashFormat.rate(p.rate))</td></tr>"
    }
    return panel("overview", "Traffic over the whole run", chart + table + "</table></details>")
  }

  /// Whole-run tables (from access records, or window records with keys).
  static func runTables(_ model: DashModel) -> String {
    let n = model.config.topN
    let paths = model.runTops[TopKind.path.rawValue]
    let clients = model.runTops[TopKind.client.rawValue]
    var out = ""
    if !paths.isEmpty {
      out += panel("run-paths", "Top URLs (whole run)", topTable(paths, kind: .path, n: n))
      out += panel("run-error-paths", "Error-prone URLs (4xx/5xx, whole run)", topTable(paths, kind: .path, n: n, byErrors: true))
    }
    if !clients.isEmpty {
      out += panel("run-clients", "Top clients (whole run)", topTable(clients, kind: .client, n: n))
      out += panel("run-suspicious", "Clients with most 4xx/5xx (whole run)", topTable(clients, kind: .client, n: n, byErrors: true))
    }
    return out
  }

  static func timelines(_ model: DashModel) -> String {
    var out = ""
    let alerts = model.alerts.timeline
    if alerts.count > 0 {
      var t = alerts.dropped > 0 ? "<p class=\"empty\">\(alerts.dropped) earlier events not kept</p>" : ""
      t += "<table><tr><th>time</th><th>state</th><th>alert</th><th class=\"n\">value</th><th>summary</th></tr>"
      for e in alerts.elements.reversed() {
        t += "<tr class=\"\(e.state.rawValue)\"><td>\(DashFormat.dateTime(e.time))</td><td>\(e.state.rawValue)</td>"
        t += "<td class=\"t\">\(HTMLText.escape(e.identity))</td><td class=\"n\">\(e.value.map(formatNumber) ?? "")</td>"
        t += "<td class=\"t\">\(HTMLText.escape(e.summary))</td></tr>"
      }
      out += panel("alert-timeline", "Alert timeline (newest first)", t + "</table>")
    }
    let scale = model.scaling.decisions
    if scale.count > 0 {
      var t = scale.dropped > 0 ? "<p class=\"empty\">\(scale.dropped) earlier decisions not kept</p>" : ""
      t += "<table><tr><th>time</th><th class=\"n\">from</th><th class=\"n\">to</th><th>reason</th><th>metrics</th></tr>"
      for d in scale.elements.reversed() {
        let metrics = d.metrics.map { "\($0.0)=\(formatNumber($0.1))" }.joined(separator: " ")
        t += "<tr><td>\(DashFormat.dateTime(d.time))</td><td class=\"n\">\(d.from)</td><td class=\"n\">\(d.to)</td>"
        t += "<td class=\"t\">\(HTMLText.escape(d.reason))</td><td class=\"t\">\(HTMLText.escape(metrics))</td></tr>"
      }
      out += panel("scale-timeline", "Scaling timeline (newest first)", t + "</table>")
    }
    return out
  }
}
