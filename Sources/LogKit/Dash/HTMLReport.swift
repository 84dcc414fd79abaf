/*
 The HTML page: one self-contained document (inline CSS and SVG, nothing
 loaded from anywhere). As a file it reloads itself while input runs and
 not once written for the last time; served, a small inline script swaps in
 each new version pushed over Server-Sent Events. Panels carry ids and
 `data-k` cells so tests (and scripts) can read values.
*/

package enum HTMLReport {
  package enum Mode: Equatable, Sendable {
    case liveFile(refreshSeconds: Int)
    case finalFile
    case served
  }

  package static func render(_ model: DashModel, health: DashHealth, mode: Mode) -> String {
    var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    out += mode == .served ? "; script-src 'unsafe-inline'; connect-src 'self'\">" : "\">"
    if case .liveFile(let seconds) = mode { out += "<meta http-equiv=\"refresh\" content=\"\(seconds)\">" }
    out += "<meta name=\"viewport\" content=\"width=device-width\"><title>logdash</title><style>\(style)</style></head>\n"
    out += "<body>\n" + body(model, health: health) + "</body>"
    if mode == .served { out += "<script>\(script)</script>" }
    return out + "</html>\n"
  }

  /// The page's body (what SSE updates replace).
  package static func body(_ model: DashModel, health: DashHealth) -> String {
    var out = header(model, health: health)
    out += "<main>\n"
    out += HTMLPanels.charts(model)
    out += HTMLPanels.tops(model)
    out += HTMLPanels.alerts(model)
    out += HTMLPanels.scaling(model)
    out += HTMLPanels.overview(model)
    out += HTMLPanels.runTables(model)
    out += HTMLPanels.timelines(model)
    return out + "</main>\n"
  }

  static func header(_ model: DashModel, health: DashHealth) -> String {
    let c = model.counts
    var out = "<header><h1>logdash</h1><p class=\"range\">"
    if let first = model.firstTime {
      out += HTMLText.escape("\(formatRFC3339(first)) .. \(formatRFC3339(model.latestTime))")
    } else {
      out += "no records yet"
    }
    out += " · <span id=\"state\">\(health.inputEnded ? "input ended" : "live")</span></p></header>\n"
    out += "<section id=\"totals\" class=\"panel wide\"><h2>Totals and input</h2><table class=\"kv\"><tr>"
    let cells: [(String, String, String)] = [
      ("requests", "requests", DashFormat.count(model.totalRequests)),
      ("errors", "errors", DashFormat.count(model.totalErrors)),
      ("error-ratio", "error ratio", DashFormat.percent(model.totalRequests > 0 ? model.totalErrors / model.totalRequests : nil)),
      ("window-records", "window records", String(c.windowRecords)),
      ("alert-events", "alert events", String(c.alertEvents)),
      ("scale-decisions", "scale decisions", String(c.scaleDecisions)),
      ("access-records", "access records", String(c.accessRecords)),
      ("lines", "lines", String(health.lines)),
      ("rejected", "rejected", String(health.rejected)),
      ("late", "late", String(c.late)),
      ("lines-per-second", "lines/s", formatFixed(health.linesPerSecond, digits: 0)),
    ]
    for (key, label, value) in cells {
      out += "<td><span class=\"label\">\(label)</span><span class=\"value\" data-k=\"\(key)\">\(HTMLText.escape(value))</span></td>"
    }
    return out + "</tr></table></section>\n"
  }

  static let style = """
    body{font:14px/1.35 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
    header{background:#1b1f24;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:baseline}
    h1{font-size:18px;margin:0}h2{font-size:14px;margin:0 0 6px}.range{margin:0;color:#c9d1d9}
    main{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px;padding:12px}
    .panel{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px;overflow:auto}
    .wide{grid-column:1/-1;margin:12px 12px 0}
    table{border-collapse:collapse;width:100%}td,th{padding:2px 6px;text-align:left;vertical-align:top}
    th{border-bottom:1px solid #d0d7de}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
    .kv td{display:inline-block;margin-right:18px}.label{display:block;color:#57606a;font-size:12px}.value{font-size:18px}
    .chart{width:100%;height:auto}.plot{fill:#fbfcfd;stroke:#d0d7de}.grid{stroke:#eaeef2}.axis{font-size:10px;fill:#57606a}
    .legend{font-size:12px;color:#57606a}.firing{color:#cf222e;font-weight:600}.pending{color:#9a6700}.resolved{color:#1a7f37}
    .t{white-space:pre-wrap;word-break:break-all;font-family:ui-monospace,monospace;font-size:12px}.empty{color:#8c959f}
    """

  /// Replaces the body with each page pushed on /events; no other requests.
  static let script = """
    (function(){if(!window.EventSource)return;var s=new EventSource('/events');\
    s.addEventListener('page',function(e){var d=new DOMParser().parseFromString(e.data,'text/html');\
    document.body.replaceWith(d.body);document.documentElement.setAttribute('data-updates',\
    String(1+Number(document.documentElement.getAttribute('data-updates')||0)));});})();
    """
}
