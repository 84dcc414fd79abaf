/*
 Text made safe for roff, in one place.

 `escape` is the only escaping function: a backslash becomes `\e`, every `-`
 becomes `\-` (so options stay ASCII hyphens and can be searched for), and a
 line starting with `.` or `'` is prefixed with `\&` so roff does not take it
 for a request. `text` additionally turns `code` spans into bold.
*/

package enum RoffText {
  /// `startsLine`: whether `text` begins a roff line (false for a piece
  /// written after other text on the same line).
  package static func escape(_ text: String, startsLine: Bool = true) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    var atLineStart = startsLine
    for c in text {
      if atLineStart && (c == "." || c == "'") { out += "\\&" }
      switch c {
      case "\\": out += "\\e"
      case "-": out += "\\-"
      default: out.append(c)
      }
      atLineStart = c == "\n"
    }
    return out
  }

  /// Escaped running text where `code` spans are set in bold.
  package static func text(_ text: String) -> String {
    var out = ""
    for (index, part) in text.split(separator: "`", omittingEmptySubsequences: false).enumerated() {
      // Odd parts sit between backticks; only the first part starts the line.
      let escaped = escape(String(part), startsLine: index == 0)
      out += index % 2 == 1 ? "\\fB" + escaped + "\\fR" : escaped
    }
    return out
  }

  /// Roff for a spec text: filled paragraphs and preformatted blocks, the
  /// second and later introduced by `separator` (`.PP` at top level, `.sp`
  /// inside a `.TP`).
  package static func blocks(_ source: String, separator: String) -> [String] {
    var lines: [String] = []
    for (index, block) in DocText.blocks(source).enumerated() {
      if index > 0 { lines.append(separator) }
      switch block {
      case .paragraph(let words):
        lines.append(text(words.joined(separator: " ")))
      case .preformatted(let text):
        lines += [".RS 4", ".nf"] + text.map { escape($0) } + [".fi", ".RE"]
      }
    }
    return lines
  }

  /// A double-quoted macro argument.
  package static func quoted(_ text: String) -> String {
    "\"" + escape(text).replacingQuotes() + "\""
  }
}

extension String {
  /// `"` inside a quoted macro argument is written `\(dq`.
  fileprivate func replacingQuotes() -> String {
    var out = ""
    for c in self { if c == "\"" { out += "\\(dq" } else { out.append(c) } }
    return out
  }
}
