/*
 Charts in terminal cells: braille (2 x 4 dots per cell) area charts and
 line charts, and a one-row block sparkline. The newest values are at the
 right; y runs from 0 to the largest value shown.
*/

package enum BrailleChart {
  /// Dot bit for column dx (0, 1) and row dy (0 at the top ... 3).
  static let bits: [[UInt32]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

  /// Draws `series` (each a value list, oldest first) into `rect`. The first
  /// series is filled (area), the others are lines. Returns the y scale top.
  @discardableResult
  package static func draw(
    _ series: [[Double]], into frame: inout TerminalFrame, rect: Rect, styles: [CellStyle]
  ) -> Double {
    guard rect.width > 0, rect.height > 0 else { return 0 }
    let columns = rect.width * 2
    let rows = rect.height * 4
    let shown = series.map { Array($0.suffix(columns)) }
    let top = Swift.max(shown.flatMap { $0 }.filter(\.isFinite).max() ?? 0, 1e-12)
    var dots = [UInt32](repeating: 0, count: rect.width * rect.height)
    var owner = [Int](repeating: -1, count: rect.width * rect.height)
    for (s, values) in shown.enumerated() {
      let offset = columns - values.count
      for (i, v) in values.enumerated() where v.isFinite {
        let col = offset + i
        let level = Int((Swift.min(1, Swift.max(0, v / top)) * Double(rows)).rounded())
        let lowest = s == 0 ? rows - level : rows - Swift.max(level, 1)
        let from = Swift.max(0, lowest)
        let to = s == 0 ? rows : Swift.min(rows, from + 1)
        guard from < to else { continue }
        for dotRow in from..<to {
          let cell = (dotRow / 4) * rect.width + col / 2
          dots[cell] |= bits[col % 2][dotRow % 4]
          if s > 0 || owner[cell] < 0 { owner[cell] = s }
        }
      }
    }
    for cy in 0..<rect.height {
      for cx in 0..<rect.width {
        let d = dots[cy * rect.width + cx]
        guard d != 0, let scalar = Unicode.Scalar(0x2800 + d) else { continue }
        let style = styles[Swift.max(0, owner[cy * rect.width + cx]) % Swift.max(1, styles.count)]
        frame.setScalar(rect.x + cx, rect.y + cy, scalar, style)
      }
    }
    return top
  }

  static let blocks: [Unicode.Scalar] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

  /// One row of blocks, the newest value at the right.
  package static func sparkline(_ values: [Double], into frame: inout TerminalFrame, x: Int, y: Int, width: Int, style: CellStyle) {
    let shown = Array(values.suffix(width))
    let top = Swift.max(shown.filter(\.isFinite).max() ?? 0, 1e-12)
    let offset = width - shown.count
    for (i, v) in shown.enumerated() where v.isFinite {
      let level = Swift.min(7, Swift.max(0, Int((v / top * 7).rounded())))
      frame.setScalar(x + offset + i, y, blocks[level], style)
    }
  }
}

/// Turns frames into escape sequences: everything once, then only the cells that changed.
package struct ScreenWriter {
  private var previous: TerminalFrame?

  package init() {}

  package mutating func invalidate() { previous = nil }

  package mutating func update(to frame: TerminalFrame) -> String {
    var out = ""
    var style: CellStyle?
    let full = previous.map { $0.width != frame.width || $0.height != frame.height } ?? true
    if full { out += "\u{1B}[0m\u{1B}[2J" }
    var cursor: (Int, Int)? = nil
    for y in 0..<frame.height {
      for x in 0..<frame.width {
        let cell = frame[x, y]
        if cell.continuation { continue }
        if !full, let old = previous, old[x, y] == cell { continue }
        if cursor.map({ $0 != (x, y) }) ?? true { out += "\u{1B}[\(y + 1);\(x + 1)H" }
        if style != cell.style {
          out += "\u{1B}[\(cell.style.sgr)m"
          style = cell.style
        }
        out.unicodeScalars.append(cell.scalar)
        cursor = (x + InertText.scalarWidth(cell.scalar), y)
      }
    }
    if style != nil { out += "\u{1B}[0m" }
    previous = frame
    return out
  }
}
