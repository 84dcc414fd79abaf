/*
 The right-hand panels of the terminal dashboard.
*/

enum TerminalPanels {
  static func top(_ model: DashModel, view: TerminalView, into frame: inout TerminalFrame, rect: Rect) {
    let table = model.latestTop(view.top)
    let inner = frame.box(rect, title: "Top \(view.top.title), latest window [t]")
    guard inner.height > 0 else { return }
    guard !table.isEmpty else {
      frame.put("no \(view.top.fieldName) in the latest window", x: inner.x + 1, y: inner.y, style: .dim, maxWidth: inner.width - 1)
      return
    }
    for (i, e) in table.top(Swift.min(model.config.topN, inner.height)).enumerated() {
      let y = inner.y + i
      let count = DashFormat.count(e.count)
      let share = DashFormat.percent(table.total > 0 ? e.count / table.total : nil)
      frame.putRight(count, right: inner.x + 9, y: y)
      frame.putRight(share, right: inner.x + 16, y: y, style: .dim)
      frame.put(e.value, x: inner.x + 17, y: y, style: e.errors > 0 ? .red : .plain, maxWidth: inner.width - 17)
    }
  }

  static func alerts(_ model: DashModel, into frame: inout TerminalFrame, rect: Rect) {
    let active = model.alerts.sortedActive
    let firing = model.alerts.firing
    let inner = frame.box(rect, title: "Alerts: \(firing) firing, \(active.count - firing) pending")
    guard inner.height > 0 else { return }
    guard !active.isEmpty else {
      let text = model.alerts.timeline.isEmpty ? "no alert events" : "all clear (\(model.alerts.resolvedCount) resolved)"
      frame.put(text, x: inner.x + 1, y: inner.y, style: .green, maxWidth: inner.width - 1)
      return
    }
    for (i, a) in active.prefix(inner.height).enumerated() {
      let y = inner.y + i
      let age = DashFormat.age(model.latestTime - (a.since ?? a.time))
      let used = frame.put(a.state == .firing ? "FIRING" : "pend  ", x: inner.x, y: y, style: a.state == .firing ? .red : .yellow)
      frame.putRight(age, right: inner.x + used + 7, y: y)
      let value = a.value.map { " " + formatNumber($0) } ?? ""
      frame.put(a.identity + value, x: inner.x + used + 8, y: y, maxWidth: inner.width - used - 8)
    }
  }

  static func replicas(_ model: DashModel, into frame: inout TerminalFrame, rect: Rect) {
    let history = model.scaling.decisions
    let title = model.scaling.replicas.map { "Replicas: \($0) (\(model.scaling.total) decisions)" } ?? "Replicas"
    let inner = frame.box(rect, title: title)
    guard inner.height > 0 else { return }
    guard let last = history.last else {
      frame.put("no scale decisions", x: inner.x + 1, y: inner.y, style: .dim, maxWidth: inner.width - 1)
      return
    }
    BrailleChart.sparkline(history.suffix(inner.width).map { Double($0.to) }, into: &frame, x: inner.x, y: inner.y, width: inner.width, style: .blue)
    if inner.height > 1 {
      frame.put("\(last.from)→\(last.to) \(DashFormat.clock(last.time)) \(last.reason)", x: inner.x, y: inner.y + 1, maxWidth: inner.width)
    }
  }

  static func health(_ model: DashModel, health: DashHealth, into frame: inout TerminalFrame, rect: Rect) {
    let inner = frame.box(rect, title: "Totals and input")
    guard inner.height > 0 else { return }
    let c = model.counts
    let ratio = model.totalRequests > 0 ? model.totalErrors / model.totalRequests : nil
    frame.put("requests \(DashFormat.count(model.totalRequests))  errors \(DashFormat.percent(ratio))", x: inner.x, y: inner.y, maxWidth: inner.width)
    if inner.height > 1 {
      let text = "\(DashFormat.count(Double(health.lines))) lines \(formatFixed(health.linesPerSecond, digits: 0))/s  rejected \(health.rejected)  late \(c.late)"
      frame.put(text, x: inner.x, y: inner.y + 1, style: health.rejected > 0 ? .yellow : .plain, maxWidth: inner.width)
    }
  }
}
