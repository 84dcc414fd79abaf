/*
 Text helpers shared by the renderers: log text made inert (control
 characters, escape sequences and bidi overrides shown as visible escapes,
 never interpreted), display width, clocks, ages and percentages.
*/

package enum InertText {
  /// `s` with every character that could act on a terminal or reorder text
  /// replaced by a visible escape: C0/C1 controls and DEL as `\x1b`, bidi and
  /// other invisible format characters as `\u{202e}`.
  package static func escape(_ s: String) -> String {
    var needs = false
    for u in s.unicodeScalars where !isPlain(u) { needs = true; break }
    guard needs else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count + 8)
    for u in s.unicodeScalars {
      if isPlain(u) {
        out.unicodeScalars.append(u)
      } else if u.value < 0x100 {
        out += "\\x" + hex(u.value, width: 2)
      } else {
        out += "\\u{" + hex(u.value, width: 4) + "}"
      }
    }
    return out
  }

  /// Shown as itself: printable, not a control, not a format character, not combining.
  static func isPlain(_ u: Unicode.Scalar) -> Bool {
    let v = u.value
    if v >= 0x20 && v < 0x7F { return true }
    if v < 0xA0 { return false }  // C0, DEL, C1
    switch u.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
      .nonspacingMark, .enclosingMark, .spacingMark:
      return false
    default:
      return v != 0xAD
    }
  }

  /// Terminal columns of already escaped text (wide East Asian characters count 2).
  package static func width(_ s: String) -> Int {
    var w = 0
    for u in s.unicodeScalars { w += scalarWidth(u) }
    return w
  }

  package static func scalarWidth(_ u: Unicode.Scalar) -> Int {
    let v = u.value
    if v < 0x1100 { return 1 }
    if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
      || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
      || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v) {
      return 2
    }
    return 1
  }

  /// Escaped, then cut to `columns` (with `…` when cut), for table cells.
  package static func fit(_ s: String, _ columns: Int) -> String {
    let text = escape(s)
    guard width(text) > columns else { return text }
    guard columns > 1 else { return columns == 1 ? "…" : "" }
    var out = ""
    var w = 0
    for u in text.unicodeScalars {
      let cw = scalarWidth(u)
      if w + cw > columns - 1 { break }
      out.unicodeScalars.append(u)
      w += cw
    }
    return out + "…"
  }

  static func hex(_ v: UInt32, width: Int) -> String {
    var text = String(v, radix: 16)
    while text.count < width { text = "0" + text }
    return text
  }
}

package enum DashFormat {
  /// `HH:MM:SS` of a time (UTC).
  package static func clock(_ t: EpochMicros) -> String {
    let f = utcFields(t)
    return two(f.hour) + ":" + two(f.minute) + ":" + two(f.second)
  }

  /// `YYYY-MM-DD HH:MM:SS` (UTC).
  package static func dateTime(_ t: EpochMicros) -> String {
    let f = utcFields(t)
    return "\(f.year)-\(two(f.month))-\(two(f.day)) \(two(f.hour)):\(two(f.minute)):\(two(f.second))"
  }

  /// `45s`, `12m`, `1h05m`, `3d04h`.
  package static func age(_ micros: Int64) -> String {
    let s = Swift.max(0, micros / 1_000_000)
    if s < 60 { return "\(s)s" }
    if s < 3600 { return "\(s / 60)m" + (s % 60 == 0 ? "" : two(Int(s % 60)) + "s") }
    if s < 86_400 { return "\(s / 3600)h" + two(Int(s % 3600 / 60)) + "m" }
    return "\(s / 86_400)d" + two(Int(s % 86_400 / 3600)) + "h"
  }

  /// `12.5%`.
  package static func percent(_ ratio: Double?) -> String {
    guard let ratio, ratio.isFinite else { return "-" }
    return formatFixed(ratio * 100, digits: 1) + "%"
  }

  /// Seconds as `850ms`, `1.20s`, `75µs`.
  package static func seconds(_ x: Double) -> String {
    guard x.isFinite else { return "-" }
    if x < 0.001 { return formatFixed(x * 1e6, digits: 0) + "µs" }
    if x < 1 { return formatFixed(x * 1000, digits: 0) + "ms" }
    return formatFixed(x, digits: 2) + "s"
  }

  /// A count with thousands separators: `1,234,567`.
  package static func count(_ x: Double) -> String {
    guard x.isFinite, abs(x) < 1e15, x == x.rounded() else { return formatNumber(x) }
    var digits = String(Int64(abs(x)))
    var out = ""
    while digits.count > 3 {
      out = "," + digits.suffix(3) + out
      digits.removeLast(3)
    }
    return (x < 0 ? "-" : "") + digits + out
  }

  /// A rate: `55.6/s`.
  package static func rate(_ x: Double?) -> String {
    guard let x, x.isFinite else { return "-" }
    return (x >= 100 ? formatFixed(x, digits: 0) : formatFixed(x, digits: 1)) + "/s"
  }

  static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
