/*
 The strftime-style path pattern of `--split-by-time`, on event time in UTC:
 `archive/date=%Y-%m-%d/hour=%H/access-%Y%m%d%H.ndjson`.

 Specifiers: %Y (year, 4 digits), %m (month), %d (day of month), %H (hour),
 %M (minute), %j (day of year, 3 digits), %% (a percent sign); any other is
 rejected, so a typo cannot silently put a whole archive in one file.

 The period of a file is the smallest unit the pattern names (minute for %M,
 hour for %H, day for %d or %j, month for %m, year for %Y; a pattern without
 specifiers is one file for all time): every record of a period lands in the
 same file, and the pattern must not name a unit that changes within it.
*/

package struct TimePattern: Equatable, Sendable {
  package enum Unit: Int, Comparable, Sendable {
    case minute, hour, day, month, year, all
    package static func < (a: Unit, b: Unit) -> Bool { a.rawValue < b.rawValue }
  }

  enum Piece: Equatable, Sendable {
    case text([UInt8])
    case year, month, day, hour, minute, dayOfYear
  }

  package let text: String
  let pieces: [Piece]
  /// The smallest unit named: the length of one file's period.
  package let unit: Unit

  /// Parses `text`; a message naming the problem when it is not a valid pattern.
  package init(_ text: String) throws(PatternError) {
    self.text = text
    var pieces: [Piece] = []
    var literal: [UInt8] = []
    var unit = Unit.all
    var bytes = Array(text.utf8)[...]
    while let byte = bytes.popFirst() {
      guard byte == UInt8(ascii: "%") else { literal.append(byte); continue }
      guard let spec = bytes.popFirst() else { throw PatternError("'\(text)' ends in a lone %") }
      let piece: Piece
      switch spec {
      case UInt8(ascii: "%"): literal.append(spec); continue
      case UInt8(ascii: "Y"): piece = .year; unit = min(unit, .year)
      case UInt8(ascii: "m"): piece = .month; unit = min(unit, .month)
      case UInt8(ascii: "d"): piece = .day; unit = min(unit, .day)
      case UInt8(ascii: "j"): piece = .dayOfYear; unit = min(unit, .day)
      case UInt8(ascii: "H"): piece = .hour; unit = min(unit, .hour)
      case UInt8(ascii: "M"): piece = .minute; unit = min(unit, .minute)
      default:
        throw PatternError("unknown specifier %\(String(decoding: [spec], as: UTF8.self)) in '\(text)': use %Y %m %d %H %M %j or %%")
      }
      if !literal.isEmpty { pieces.append(.text(literal)); literal = [] }
      pieces.append(piece)
    }
    if !literal.isEmpty { pieces.append(.text(literal)) }
    self.pieces = pieces
    self.unit = unit
    if text.isEmpty || text.hasSuffix("/") { throw PatternError("'\(text)' names a directory, not a file") }
  }

  /// The directory part before the first specifier ("archive/" for the example; "" for none):
  /// the archive's root, where leftover .partial files are looked for.
  package var staticPrefix: String {
    var literal: [UInt8] = []
    if case .text(let bytes)? = pieces.first { literal = bytes }
    guard let slash = literal.lastIndex(of: UInt8(ascii: "/")) else { return "" }
    return String(decoding: literal[...slash], as: UTF8.self)
  }

  /// The path for the period that starts at `start`.
  package func expand(_ start: EpochMicros) -> String {
    let f = utcFields(start)
    var out: [UInt8] = []
    for piece in pieces {
      switch piece {
      case .text(let bytes): out += bytes
      case .year: Self.digits(f.year, 4, &out)
      case .month: Self.digits(f.month, 2, &out)
      case .day: Self.digits(f.day, 2, &out)
      case .hour: Self.digits(f.hour, 2, &out)
      case .minute: Self.digits(f.minute, 2, &out)
      case .dayOfYear:
        let days = daysFromCivil(year: f.year, month: f.month, day: f.day) - daysFromCivil(year: f.year, month: 1, day: 1)
        Self.digits(Int(days) + 1, 3, &out)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// True when `path` is a name the pattern makes (each specifier as its digits).
  package func matches(_ path: String) -> Bool {
    let bytes = Array(path.utf8)
    var i = 0
    for piece in pieces {
      let width: Int
      switch piece {
      case .text(let literal):
        guard bytes.count - i >= literal.count, Array(bytes[i..<(i + literal.count)]) == literal else { return false }
        i += literal.count
        continue
      case .year: width = 4
      case .dayOfYear: width = 3
      case .month, .day, .hour, .minute: width = 2
      }
      guard bytes.count - i >= width, bytes[i..<(i + width)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
      i += width
    }
    return i == bytes.count
  }

  /// The period holding `t`: [start, end). The all-time period is [min, max).
  package func period(of t: EpochMicros) -> (start: EpochMicros, end: EpochMicros) {
    let minute: Int64 = 60 * microsPerSecond
    switch unit {
    case .minute: let s = floorDiv(t, minute) * minute; return (s, s &+ minute)
    case .hour: let s = floorDiv(t, 60 * minute) * 60 * minute; return (s, s &+ 60 * minute)
    case .day: let s = floorDiv(t, microsPerDay) * microsPerDay; return (s, s &+ microsPerDay)
    case .month, .year:
      let f = utcFields(t)
      let month = unit == .month ? f.month : 1
      let start = daysFromCivil(year: f.year, month: month, day: 1) * microsPerDay
      let next = unit == .month ? (month == 12 ? (f.year + 1, 1) : (f.year, month + 1)) : (f.year + 1, 1)
      return (start, daysFromCivil(year: next.0, month: next.1, day: 1) * microsPerDay)
    case .all: return (.min, .max)
    }
  }

  private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }

  private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
    var v = value.magnitude
    var scratch: [UInt8] = []
    repeat {
      scratch.append(UInt8(truncatingIfNeeded: v % 10) &+ 48)
      v /= 10
    } while v != 0
    while scratch.count < width { scratch.append(UInt8(ascii: "0")) }
    if value < 0 { scratch.append(UInt8(ascii: "-")) }
    out += scratch.reversed()
  }

  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return String(path[...slash])
  }
}

/// An invalid `--split-by-time` pattern.
package struct PatternError: Error, Equatable, Sendable, CustomStringConvertible {
  package let message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}

/// Part names: `access-2026120110.ndjson` → `access-2026120110.1.ndjson` (before the
/// extension, so `*.ndjson` still matches; a name without extension gets `.N` appended).
package func archivePartName(_ path: String, _ n: Int) -> String {
  let slash = path.lastIndex(of: "/")
  let nameStart = slash.map { path.index(after: $0) } ?? path.startIndex
  if let dot = path[nameStart...].lastIndex(of: "."), dot != nameStart {
    return String(path[..<dot]) + ".\(n)" + String(path[dot...])
  }
  return path + ".\(n)"
}
