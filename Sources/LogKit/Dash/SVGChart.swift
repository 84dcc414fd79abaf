/*
 Inline SVG line charts for the HTML page: one or more series over the same
 points, y from 0 to the largest value, the first and last time on the x
 axis. Every text that reaches the markup goes through HTMLText.
*/

package struct ChartSeries {
  package var name: String
  package var color: String
  package var values: [Double]
  package init(name: String, color: String, values: [Double]) {
    self.name = name
    self.color = color
    self.values = values
  }
}

package enum SVGChart {
  static let width = 560.0
  static let height = 160.0
  static let left = 56.0
  static let bottom = 22.0

  /// An SVG element; `format` writes y-axis values; `step` draws a staircase (replica counts).
  package static func render(
    title: String, series: [ChartSeries], times: [EpochMicros], format: (Double) -> String, step: Bool = false
  ) -> String {
    let plotW = width - left - 8
    let plotH = height - bottom - 8
    let finite = series.flatMap(\.values).filter(\.isFinite)
    let top = Swift.max(finite.max() ?? 0, 1e-9)
    var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLText.attribute(title))\">"
    out += "<title>\(HTMLText.escape(title))</title>"
    out += "<rect x=\"\(left)\" y=\"8\" width=\"\(plotW)\" height=\"\(plotH)\" class=\"plot\"/>"
    for fraction in [0.0, 0.5, 1.0] {
      let y = 8 + plotH * (1 - fraction)
      out += "<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(fmt(y))\" y2=\"\(fmt(y))\" class=\"grid\"/>"
      out += "<text x=\"\(left - 4)\" y=\"\(fmt(y + 4))\" class=\"axis\" text-anchor=\"end\">\(HTMLText.escape(format(top * fraction)))</text>"
    }
    if let first = times.first, let last = times.last {
      out += "<text x=\"\(left)\" y=\"\(height - 6)\" class=\"axis\">\(HTMLText.escape(DashFormat.dateTime(first)))</text>"
      out += "<text x=\"\(left + plotW)\" y=\"\(height - 6)\" class=\"axis\" text-anchor=\"end\">\(HTMLText.escape(DashFormat.dateTime(last)))</text>"
    }
    for s in series {
      let n = s.values.count
      guard n > 0 else { continue }
      var points: [String] = []
      for (i, v) in s.values.enumerated() where v.isFinite {
        let x = left + (n == 1 ? plotW : plotW * Double(i) / Double(n - 1))
        let y = 8 + plotH * (1 - Swift.min(1, Swift.max(0, v / top)))
        if step, let previous = points.last?.split(separator: ",").last { points.append("\(fmt(x)),\(previous)") }
        points.append("\(fmt(x)),\(fmt(y))")
      }
      out += "<polyline fill=\"none\" stroke=\"\(HTMLText.attribute(s.color))\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\">"
      out += "<title>\(HTMLText.escape(s.name))</title></polyline>"
    }
    out += "</svg>"
    if series.count > 1 {
      out += "<div class=\"legend\">" + series.map {
        "<span style=\"color:\(HTMLText.attribute($0.color))\">&#9632;</span> \(HTMLText.escape($0.name))"
      }.joined(separator: " ") + "</div>"
    }
    return out
  }

  static func fmt(_ x: Double) -> String { formatFixed(x, digits: 1) }
}

package enum HTMLText {
  /// Text content: log text made inert, then `& < > " '` as entities.
  package static func escape(_ s: String) -> String {
    let inert = InertText.escape(s)
    var out = ""
    out.reserveCapacity(inert.utf8.count)
    for c in inert.unicodeScalars {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(c)
      }
    }
    return out
  }

  /// Inside a double-quoted attribute: the same escapes (quotes included).
  package static func attribute(_ s: String) -> String { escape(s) }
}
