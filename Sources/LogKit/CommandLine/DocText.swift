/*
 The small text model shared by `--help` and the man page.

 Spec texts (descriptions, discussions) are plain paragraphs separated by
 blank lines; a paragraph whose first line is indented is preformatted and
 kept line for line (tables, pipelines). `--help` wraps paragraphs at 79
 columns, the man page hands them to roff to fill, so both come from one
 reading of the text.
*/

package enum DocText {
  /// One paragraph of a spec text.
  package enum Block: Equatable, Sendable {
    /// Words of a filled paragraph, whitespace collapsed.
    case paragraph([String])
    /// Lines kept as written, common indentation removed.
    case preformatted([String])
  }

  /// The terminal width `--help` is written for.
  package static let width = 79

  /// Splits a spec text into paragraphs.
  package static func blocks(_ text: String) -> [Block] {
    var blocks: [Block] = []
    var current: [Substring] = []
    func finish() {
      defer { current = [] }
      guard let first = current.first else { return }
      if first.first == " " || first.first == "\t" {
        let indent = current.map { $0.prefix { $0 == " " || $0 == "\t" }.count }.min() ?? 0
        blocks.append(.preformatted(current.map { String($0.dropFirst(indent)) }))
      } else {
        blocks.append(.paragraph(current.flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }) }.map(String.init)))
      }
    }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
        finish()
      } else {
        current.append(line)
      }
    }
    finish()
    return blocks
  }

  /// Greedy word wrap: the first line starts with `first`, later ones with
  /// `rest`; a word longer than a line stands alone rather than being cut.
  package static func wrap(_ words: [String], first: String, rest: String, width: Int = DocText.width) -> [String] {
    var lines: [String] = []
    var line = first
    var lineHasWords = false
    for word in words {
      if lineHasWords && line.count + 1 + word.count > width {
        lines.append(line)
        line = rest
        lineHasWords = false
      }
      line += lineHasWords ? " " + word : word
      lineHasWords = true
    }
    if lineHasWords || lines.isEmpty { lines.append(line) }
    return lines
  }

  /// `text` padded with spaces to `count` columns.
  package static func pad(_ text: String, to count: Int) -> String {
    text.count >= count ? text : text + String(repeating: " ", count: count - text.count)
  }
}
