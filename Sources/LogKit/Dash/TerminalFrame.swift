/*
 A terminal frame as a grid of cells (character and style), drawn by the
 layout and turned into escape sequences by ScreenWriter. Text put here is
 made inert first; a wide character takes two cells (the second is a
 continuation the writer skips).
*/

package enum CellStyle: UInt8, Sendable {
  case plain, bold, dim, red, green, yellow, blue, reverse

  var sgr: String {
    ["0", "0;1", "0;2", "0;31", "0;32", "0;33", "0;34", "0;7"][Int(rawValue)]
  }
}

package struct Cell: Equatable, Sendable {
  package var scalar: Unicode.Scalar
  package var style: CellStyle
  /// The right half of a wide character.
  package var continuation = false
  static let blank = Cell(scalar: " ", style: .plain)
}

package struct TerminalFrame: Equatable, Sendable {
  package let width: Int
  package let height: Int
  package private(set) var cells: [Cell]

  package init(width: Int, height: Int) {
    self.width = Swift.max(0, width)
    self.height = Swift.max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  package subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set { cells[y * width + x] = newValue }
  }

  /// Writes log-derived or fixed text at (x, y), escaped, clipped to `maxWidth` columns.
  /// Returns the columns used.
  @discardableResult
  package mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
    guard y >= 0, y < height, x < width else { return 0 }
    let limit = Swift.min(width - x, maxWidth ?? width)
    guard limit > 0 else { return 0 }
    let fitted = InertText.fit(text, limit)
    var col = x
    for u in fitted.unicodeScalars {
      let w = InertText.scalarWidth(u)
      guard col + w <= x + limit else { break }
      if col >= 0 {
        self[col, y] = Cell(scalar: u, style: style)
        if w == 2 { self[col + 1, y] = Cell(scalar: " ", style: style, continuation: true) }
      }
      col += w
    }
    return col - x
  }

  /// Right-aligns `text` so it ends at column `right` (exclusive).
  package mutating func putRight(_ text: String, right: Int, y: Int, style: CellStyle = .plain) {
    let w = InertText.width(InertText.escape(text))
    put(text, x: right - w, y: y, style: style)
  }

  package mutating func fill(_ rect: Rect, style: CellStyle) {
    for y in rect.y..<(rect.y + rect.height) where y >= 0 && y < height {
      for x in rect.x..<(rect.x + rect.width) where x >= 0 && x < width { self[x, y] = Cell(scalar: " ", style: style) }
    }
  }

  /// A box with a title in the top border; returns the inner rectangle.
  package mutating func box(_ rect: Rect, title: String, style: CellStyle = .dim) -> Rect {
    guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
    let right = rect.x + rect.width - 1
    let bottom = rect.y + rect.height - 1
    for x in rect.x...right {
      setScalar(x, rect.y, "─", style)
      setScalar(x, bottom, "─", style)
    }
    for y in rect.y...bottom {
      setScalar(rect.x, y, "│", style)
      setScalar(right, y, "│", style)
    }
    setScalar(rect.x, rect.y, "┌", style)
    setScalar(right, rect.y, "┐", style)
    setScalar(rect.x, bottom, "└", style)
    setScalar(right, bottom, "┘", style)
    put(" " + title + " ", x: rect.x + 1, y: rect.y, style: .bold, maxWidth: rect.width - 2)
    return Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
  }

  package mutating func setScalar(_ x: Int, _ y: Int, _ scalar: Unicode.Scalar, _ style: CellStyle) {
    guard x >= 0, x < width, y >= 0, y < height else { return }
    self[x, y] = Cell(scalar: scalar, style: style)
  }

  /// The characters, one line per row, trailing spaces kept (for golden tests).
  package var text: String {
    var lines: [String] = []
    for y in 0..<height {
      var line = ""
      for x in 0..<width where !self[x, y].continuation { line.unicodeScalars.append(self[x, y].scalar) }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

package struct Rect: Equatable, Sendable {
  package var x: Int
  package var y: Int
  package var width: Int
  package var height: Int
  package init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = Swift.max(0, width)
    self.height = Swift.max(0, height)
  }
}
