/*
 The terminal dashboard as a pure function of the model and the screen
 size: a header, chart panels on the left (request rate, error ratio,
 latency quantiles, --chart fields), on the right the top-N of the latest
 window, firing alerts, replicas and input health. Below 60 x 16 a compact
 single-column view. Golden tests render it at fixed sizes.
*/

package struct TerminalView: Equatable, Sendable {
  package var top: TopKind = .path
  package var paused = false
  package init(top: TopKind = .path, paused: Bool = false) {
    self.top = top
    self.paused = paused
  }
}

package enum TerminalLayout {
  package static func render(_ model: DashModel, health: DashHealth, view: TerminalView, width: Int, height: Int) -> TerminalFrame {
    var frame = TerminalFrame(width: width, height: height)
    guard width > 0, height > 0 else { return frame }
    header(model, health: health, view: view, into: &frame)
    if width < 60 || height < 16 {
      compact(model, health: health, into: &frame)
      return frame
    }
    let leftWidth = width >= 120 ? width / 2 : width * 11 / 20
    let left = Rect(x: 0, y: 1, width: leftWidth, height: height - 1)
    let right = Rect(x: leftWidth, y: 1, width: width - leftWidth, height: height - 1)
    chartColumn(model, into: &frame, rect: left)
    sideColumn(model, health: health, view: view, into: &frame, rect: right)
    return frame
  }

  static func header(_ model: DashModel, health: DashHealth, view: TerminalView, into frame: inout TerminalFrame) {
    frame.fill(Rect(x: 0, y: 0, width: frame.width, height: 1), style: .reverse)
    let state = view.paused ? "PAUSED" : (health.inputEnded ? "ended" : "live")
    let narrow = frame.width < 60
    let time = model.firstTime == nil ? "no records yet" : (narrow ? DashFormat.clock : DashFormat.dateTime)(model.latestTime)
    let used = frame.put(" logdash  \(time)  \(state)", x: 0, y: 0, style: view.paused ? .yellow : .reverse)
    let keys = "q quit  p pause  t top "
    if frame.width - used > keys.count + 2 { frame.putRight(keys, right: frame.width, y: 0, style: .reverse) }
  }

  static func chartColumn(_ model: DashModel, into frame: inout TerminalFrame, rect: Rect) {
    let points = model.recentPoints
    let latency = WindowPoint.quantileNames.indices.filter { q in points.contains { $0.quantiles[q].isFinite } }
    var panels: [(String, [[Double]], [CellStyle], (Double) -> String, Int)] = []
    let last = points.last
    panels.append(("Requests/s \(DashFormat.rate(last?.rate))", [points.map { $0.rate ?? .nan }], [.blue], { formatNumber($0) }, 2))
    panels.append(("Error ratio \(DashFormat.percent(last?.errorRatio))", [points.map { $0.errorRatio ?? .nan }], [.red],
                   { DashFormat.percent($0) }, 1))
    if !latency.isEmpty {
      let title = "Latency " + latency.map { "\(WindowPoint.quantileNames[$0]) \(DashFormat.seconds(last?.quantiles[$0] ?? .nan))" }.joined(separator: " ")
      let palette: [CellStyle] = [.green, .yellow, .blue, .red]
      panels.append((title, latency.reversed().map { q in points.map { $0.quantiles[q] } }, latency.reversed().map { palette[$0] },
                     DashFormat.seconds, 1))
    }
    for (i, name) in model.config.chartFields.enumerated() {
      panels.append(("\(name) \(formatNumber(last?.charts[i] ?? .nan))", [points.map { $0.charts[i] }], [.blue], { formatNumber($0) }, 1))
    }
    // Heights by weight, at least 4 rows each; panels that do not fit are left out.
    let fitting = Array(panels.prefix(Swift.max(1, rect.height / 4)))
    let weights = fitting.map(\.4).reduce(0, +)
    var y = rect.y
    for (i, p) in fitting.enumerated() {
      let remaining = rect.y + rect.height - y
      let h = i == fitting.count - 1 ? remaining : Swift.max(4, rect.height * p.4 / weights)
      let inner = frame.box(Rect(x: rect.x, y: y, width: rect.width, height: h), title: p.0)
      chart(p.1, styles: p.2, format: p.3, into: &frame, rect: inner)
      y += h
    }
  }

  /// A chart with its scale in a left margin of 7 columns.
  static func chart(_ series: [[Double]], styles: [CellStyle], format: (Double) -> String, into frame: inout TerminalFrame, rect: Rect) {
    guard rect.width > 9, rect.height > 0 else { return }
    guard series.contains(where: { $0.contains(where: \.isFinite) }) else {
      frame.put("no data yet", x: rect.x + 1, y: rect.y, style: .dim)
      return
    }
    let plot = Rect(x: rect.x + 7, y: rect.y, width: rect.width - 7, height: rect.height)
    let top = BrailleChart.draw(series, into: &frame, rect: plot, styles: styles)
    frame.put(String(format(top).prefix(6)), x: rect.x, y: rect.y, style: .dim)
    if rect.height > 1 { frame.put("0", x: rect.x, y: rect.y + rect.height - 1, style: .dim) }
  }

  static func sideColumn(_ model: DashModel, health: DashHealth, view: TerminalView, into frame: inout TerminalFrame, rect: Rect) {
    let healthHeight = 4
    let replicaHeight = model.scaling.decisions.isEmpty ? 3 : 4
    let rest = rect.height - healthHeight - replicaHeight
    let alertHeight = Swift.max(3, Swift.min(rest / 3 + 1, model.alerts.active.count + 3))
    let topHeight = rest - alertHeight
    var y = rect.y
    TerminalPanels.top(model, view: view, into: &frame, rect: Rect(x: rect.x, y: y, width: rect.width, height: topHeight))
    y += topHeight
    TerminalPanels.alerts(model, into: &frame, rect: Rect(x: rect.x, y: y, width: rect.width, height: alertHeight))
    y += alertHeight
    TerminalPanels.replicas(model, into: &frame, rect: Rect(x: rect.x, y: y, width: rect.width, height: replicaHeight))
    y += replicaHeight
    TerminalPanels.health(model, health: health, into: &frame, rect: Rect(x: rect.x, y: y, width: rect.width, height: rect.y + rect.height - y))
  }

  /// Small screens: key figures as lines, then a rate chart in what is left.
  static func compact(_ model: DashModel, health: DashHealth, into frame: inout TerminalFrame) {
    let last = model.latestPoint
    var lines: [(String, CellStyle)] = []
    var figures = "req \(DashFormat.rate(last?.rate)) err \(DashFormat.percent(last?.errorRatio))"
    if let p95 = last?.quantiles[2], p95.isFinite { figures += " p95 \(DashFormat.seconds(p95))" }
    lines.append((figures, .plain))
    let firing = model.alerts.sortedActive.filter { $0.state == .firing }
    lines.append((firing.isEmpty ? "alerts: none firing" : "FIRING \(firing.count): \(firing[0].identity)", firing.isEmpty ? .green : .red))
    if let replicas = model.scaling.replicas { lines.append(("replicas \(replicas): \(model.scaling.lastReason ?? "")", .plain)) }
    lines.append(("in \(health.lines) rej \(health.rejected) late \(model.counts.late)", .dim))
    let chartRows = frame.height - 1 - lines.count
    var y = 1
    if chartRows >= 2 {
      chart([model.recentPoints.map { $0.rate ?? .nan }], styles: [.blue], format: { formatNumber($0) }, into: &frame,
            rect: Rect(x: 0, y: 1, width: frame.width, height: chartRows))
      y += chartRows
    }
    for (text, style) in lines where y < frame.height {
      frame.put(text, x: 0, y: y, style: style)
      y += 1
    }
  }
}
