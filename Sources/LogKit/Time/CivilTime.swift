/*
 Calendar arithmetic without Foundation.

 Event time inside logkit is `EpochMicros`: microseconds since 1970-01-01T00:00Z
 as Int64. Conversions use Howard Hinnant's days_from_civil / civil_from_days
 algorithms (proleptic Gregorian calendar), which are exact for every year.
*/

/// Microseconds since the Unix epoch, UTC.
package typealias EpochMicros = Int64

package let microsPerSecond: Int64 = 1_000_000
package let microsPerDay: Int64 = 86_400_000_000

/// Days since 1970-01-01 for a proleptic Gregorian date.
@inline(__always)
package func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
  let y = Int64(month <= 2 ? year - 1 : year)
  let era = (y >= 0 ? y : y - 399) / 400
  let yoe = y - era * 400
  let m = Int64(month)
  let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
  return era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count since 1970-01-01.
@inline(__always)
package func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
  let z = days + 719_468
  let era = (z >= 0 ? z : z - 146_096) / 146_097
  let doe = z - era * 146_097
  let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
  let y = yoe + era * 400
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
  let mp = (5 * doy + 2) / 153
  let d = doy - (153 * mp + 2) / 5 + 1
  let m = mp < 10 ? mp + 3 : mp - 9
  return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
}

@inline(__always)
package func isLeapYear(_ year: Int) -> Bool {
  year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

@inline(__always)
package func daysInMonth(year: Int, month: Int) -> Int {
  switch month {
  case 2: return isLeapYear(year) ? 29 : 28
  case 4, 6, 9, 11: return 30
  default: return 31
  }
}

/// Validated civil time to epoch microseconds; nil when a field is out of range.
/// `offsetSeconds` is the zone's offset east of UTC (`+0530` is 19800).
@inline(__always)
package func epochMicros(
  year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int,
  micros: Int64 = 0, offsetSeconds: Int = 0
) -> EpochMicros? {
  guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
    (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
  else { return nil }
  // A leap second (:60) is folded onto the next second, as most log tools do.
  let days = daysFromCivil(year: year, month: month, day: day)
  let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
  let t = seconds * microsPerSecond + micros
  return representableTimes.contains(t) ? t : nil
}

/// The instants RFC 3339 text can show, 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z:
/// times outside (a zone offset past year 9999, 16-digit epochs) are invalid, as no
/// record could write them.
package let representableTimes: ClosedRange<EpochMicros> = -62_167_219_200_000_000...253_402_300_799_999_999

/// Splits epoch microseconds into UTC fields.
@inline(__always)
package func utcFields(_ t: EpochMicros) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, micros: Int) {
  var days = t / microsPerDay
  var rest = t % microsPerDay
  if rest < 0 { rest += microsPerDay; days -= 1 }
  let (y, m, d) = civilFromDays(days)
  let secondsOfDay = Int(rest / microsPerSecond)
  return (y, m, d, secondsOfDay / 3600, secondsOfDay / 60 % 60, secondsOfDay % 60, Int(rest % microsPerSecond))
}
