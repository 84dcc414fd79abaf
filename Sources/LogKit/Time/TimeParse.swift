/*
 Parsing timestamps from bytes, without Foundation dates.

 Accepted forms:
   CLF / Apache %t      10/Oct/2000:13:55:36 -0700   (also 4/Dec/2001:2:9:5 -0500)
   ISO 8601 / RFC 3339  2000-10-10T20:55:36Z, 2000-10-10 20:55:36.123+05:30
   W3C                  date `2000-10-10` and time `20:55:36` (UTC), joined by the caller
   epoch               1438095600, 1438095600.123 (nginx $msec), 13 digits = ms
 Every field is range-checked (month names, day of month with leap years,
 hours, minutes, seconds, zone offsets up to ±14:00).
*/

/// A parsed time and how many fractional digits its source had (for output).
package struct ParsedTime: Equatable, Sendable {
  package var micros: EpochMicros
  package var fractionDigits: Int
  package init(micros: EpochMicros, fractionDigits: Int = 0) {
    self.micros = micros
    self.fractionDigits = fractionDigits
  }
}

/// A cursor over bytes for small fixed grammars.
struct ByteCursor {
  let bytes: UnsafeRawBufferPointer
  var i = 0

  init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

  var atEnd: Bool { i >= bytes.count }
  var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

  mutating func take(_ byte: UInt8) -> Bool {
    if i < bytes.count && bytes[i] == byte { i += 1; return true }
    return false
  }

  /// Between `minDigits` and `maxDigits` decimal digits.
  mutating func number(minDigits: Int, maxDigits: Int) -> Int? {
    var value = 0
    var n = 0
    while n < maxDigits, i < bytes.count, bytes[i] &- 48 < 10 {
      value = value * 10 + Int(bytes[i] &- 48)
      i += 1
      n += 1
    }
    return n >= minDigits ? value : nil
  }

  /// `.123456…`: returns (micros, digits) with digits capped at 6 for output.
  mutating func fraction() -> (Int64, Int)? {
    guard take(UInt8(ascii: ".")) || take(UInt8(ascii: ",")) else { return (0, 0) }
    var micros: Int64 = 0
    var n = 0
    while i < bytes.count, bytes[i] &- 48 < 10 {
      if n < 6 { micros = micros * 10 + Int64(bytes[i] &- 48) }
      i += 1
      n += 1
    }
    guard n > 0 else { return nil }
    for _ in min(n, 6)..<6 { micros *= 10 }
    return (micros, n <= 3 ? 3 : 6)
  }
}

@inline(__always)
func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
  // Case-insensitive: "Jan", "JAN", "jan".
  switch (a | 0x20, b | 0x20, c | 0x20) {
  case (0x6A, 0x61, 0x6E): return 1  // jan
  case (0x66, 0x65, 0x62): return 2  // feb
  case (0x6D, 0x61, 0x72): return 3  // mar
  case (0x61, 0x70, 0x72): return 4  // apr
  case (0x6D, 0x61, 0x79): return 5  // may
  case (0x6A, 0x75, 0x6E): return 6  // jun
  case (0x6A, 0x75, 0x6C): return 7  // jul
  case (0x61, 0x75, 0x67): return 8  // aug
  case (0x73, 0x65, 0x70): return 9  // sep
  case (0x6F, 0x63, 0x74): return 10  // oct
  case (0x6E, 0x6F, 0x76): return 11  // nov
  case (0x64, 0x65, 0x63): return 12  // dec
  default: return nil
  }
}

package enum TimeParser {
  /// `10/Oct/2000:13:55:36 -0700` (the brackets already removed). Fractions after the
  /// seconds (`:36.123`) are accepted.
  package static func clf(_ bytes: UnsafeRawBufferPointer) -> ParsedTime? {
    var c = ByteCursor(bytes)
    guard let day = c.number(minDigits: 1, maxDigits: 2), c.take(UInt8(ascii: "/")),
      c.i + 3 <= bytes.count, let month = monthNumber(bytes[c.i], bytes[c.i + 1], bytes[c.i + 2])
    else { return nil }
    c.i += 3
    guard c.take(UInt8(ascii: "/")), let year = c.number(minDigits: 4, maxDigits: 4),
      c.take(UInt8(ascii: ":")), let hour = c.number(minDigits: 1, maxDigits: 2),
      c.take(UInt8(ascii: ":")), let minute = c.number(minDigits: 1, maxDigits: 2),
      c.take(UInt8(ascii: ":")), let second = c.number(minDigits: 1, maxDigits: 2),
      let (micros, digits) = c.fraction(),
      c.take(UInt8(ascii: " ")), let offset = zoneOffset(&c, colonAllowed: false), c.atEnd
    else { return nil }
    guard let t = epochMicros(year: year, month: month, day: day, hour: hour, minute: minute,
                              second: second, micros: micros, offsetSeconds: offset)
    else { return nil }
    return ParsedTime(micros: t, fractionDigits: digits)
  }

  /// RFC 3339 / ISO 8601: `2000-10-10T20:55:36Z`, `…+05:30`, `…+0530`, a space instead of
  /// `T`, fractions of any length. No zone means UTC.
  package static func iso8601(_ bytes: UnsafeRawBufferPointer) -> ParsedTime? {
    var c = ByteCursor(bytes)
    guard let year = c.number(minDigits: 4, maxDigits: 4), c.take(UInt8(ascii: "-")),
      let month = c.number(minDigits: 2, maxDigits: 2), c.take(UInt8(ascii: "-")),
      let day = c.number(minDigits: 2, maxDigits: 2),
      c.take(UInt8(ascii: "T")) || c.take(UInt8(ascii: "t")) || c.take(UInt8(ascii: " ")),
      let hour = c.number(minDigits: 2, maxDigits: 2), c.take(UInt8(ascii: ":")),
      let minute = c.number(minDigits: 2, maxDigits: 2), c.take(UInt8(ascii: ":")),
      let second = c.number(minDigits: 2, maxDigits: 2),
      let (micros, digits) = c.fraction()
    else { return nil }
    var offset = 0
    if !c.atEnd {
      if c.take(UInt8(ascii: "Z")) || c.take(UInt8(ascii: "z")) {
      } else {
        _ = c.take(UInt8(ascii: " "))
        guard let o = zoneOffset(&c, colonAllowed: true) else { return nil }
        offset = o
      }
      guard c.atEnd else { return nil }
    }
    guard let t = epochMicros(year: year, month: month, day: day, hour: hour, minute: minute,
                              second: second, micros: micros, offsetSeconds: offset)
    else { return nil }
    return ParsedTime(micros: t, fractionDigits: digits)
  }

  /// W3C extended log `date` (`2000-10-10`) and `time` (`20:55:36`, maybe with fraction), UTC.
  package static func w3c(date: UnsafeRawBufferPointer, time: UnsafeRawBufferPointer) -> ParsedTime? {
    var d = ByteCursor(date)
    var c = ByteCursor(time)
    guard let year = d.number(minDigits: 4, maxDigits: 4), d.take(UInt8(ascii: "-")),
      let month = d.number(minDigits: 2, maxDigits: 2), d.take(UInt8(ascii: "-")),
      let day = d.number(minDigits: 2, maxDigits: 2), d.atEnd,
      let hour = c.number(minDigits: 1, maxDigits: 2), c.take(UInt8(ascii: ":")),
      let minute = c.number(minDigits: 2, maxDigits: 2), c.take(UInt8(ascii: ":")),
      let second = c.number(minDigits: 2, maxDigits: 2), let (micros, digits) = c.fraction(), c.atEnd,
      let t = epochMicros(year: year, month: month, day: day, hour: hour, minute: minute,
                          second: second, micros: micros)
    else { return nil }
    return ParsedTime(micros: t, fractionDigits: digits)
  }

  /// Epoch seconds (`1438095600`, `1438095600.123`) or milliseconds (13 digits, no fraction).
  package static func epoch(_ bytes: UnsafeRawBufferPointer) -> ParsedTime? {
    var c = ByteCursor(bytes)
    let negative = c.take(UInt8(ascii: "-"))
    let digitStart = c.i
    guard let whole = c.number(minDigits: 1, maxDigits: 16) else { return nil }
    let wholeDigits = c.i - digitStart
    guard let (micros, digits) = c.fraction(), c.atEnd else { return nil }
    let millis = wholeDigits >= 13 && digits == 0
    let (scaled, overflow) = Int64(whole).multipliedReportingOverflow(by: millis ? 1000 : microsPerSecond)
    guard !overflow, scaled <= representableTimes.upperBound else { return nil }
    var t = millis ? scaled : scaled + micros
    if negative { t = -t }
    guard representableTimes.contains(t) else { return nil }
    return ParsedTime(micros: t, fractionDigits: millis ? 3 : digits)
  }

  /// Any of the forms above, chosen by shape (for JSON logs and `--time-field`).
  package static func any(_ bytes: UnsafeRawBufferPointer) -> ParsedTime? {
    guard bytes.count >= 1 else { return nil }
    if bytes.count >= 10 && bytes[4] == UInt8(ascii: "-") { return iso8601(bytes) }
    if bytes.count >= 20 && (bytes[2] == UInt8(ascii: "/") || bytes[1] == UInt8(ascii: "/")) {
      var inner = bytes
      if inner.first == UInt8(ascii: "[") && inner.last == UInt8(ascii: "]") {
        inner = UnsafeRawBufferPointer(rebasing: inner.dropFirst().dropLast())
      }
      return clf(inner)
    }
    return epoch(bytes)
  }

  /// `+0530`, `-0030`, `+05:30` (when allowed), `+05`; at most ±14:00. Returns seconds east of UTC.
  static func zoneOffset(_ c: inout ByteCursor, colonAllowed: Bool) -> Int? {
    let sign: Int
    if c.take(UInt8(ascii: "+")) { sign = 1 } else if c.take(UInt8(ascii: "-")) { sign = -1 } else { return nil }
    guard let hours = c.number(minDigits: 2, maxDigits: 2) else { return nil }
    var minutes = 0
    if colonAllowed && c.take(UInt8(ascii: ":")) {
      guard let m = c.number(minDigits: 2, maxDigits: 2) else { return nil }
      minutes = m
    } else if let m = c.number(minDigits: 2, maxDigits: 2) {
      minutes = m
    } else if !colonAllowed {
      return nil
    }
    guard minutes < 60, hours * 60 + minutes <= 14 * 60 else { return nil }
    return sign * (hours * 3600 + minutes * 60)
  }
}

extension TimeParser {
  /// Convenience for Strings (tests, options such as `--start`).
  package static func any(_ text: String) -> ParsedTime? {
    var s = text
    return s.withUTF8 { any(UnsafeRawBufferPointer($0)) }
  }
}
