/*
 Timestamp parsing (CLF, ISO 8601, W3C, epoch) with range checks, and RFC 3339
 formatting round trips.
*/
import Testing
@testable import LogKit

@Suite struct TimeParserTests {
  private func clf(_ text: String) -> String? {
    var s = text
    return s.withUTF8 { TimeParser.clf(UnsafeRawBufferPointer($0)) }.map { formatRFC3339($0.micros, fractionDigits: $0.fractionDigits) }
  }

  private func iso(_ text: String) -> String? {
    var s = text
    return s.withUTF8 { TimeParser.iso8601(UnsafeRawBufferPointer($0)) }.map { formatRFC3339($0.micros, fractionDigits: $0.fractionDigits) }
  }

  @Test(arguments: [
    ("10/Oct/2000:13:55:36 -0700", "2000-10-10T20:55:36Z"),
    ("10/Oct/2000:13:55:36 +0530", "2000-10-10T08:25:36Z"),
    ("10/Oct/2000:13:55:36 -0030", "2000-10-10T14:25:36Z"),
    ("10/Oct/2000:13:55:36 +1400", "2000-10-09T23:55:36Z"),
    ("22/Jan/2019:03:56:14 +0330", "2019-01-22T00:26:14Z"),
    ("29/Feb/2024:23:59:59 +0000", "2024-02-29T23:59:59Z"),
    ("29/Feb/2000:00:00:00 +0000", "2000-02-29T00:00:00Z"),
    ("01/Jan/1970:00:59:59 +0100", "1969-12-31T23:59:59Z"),
    ("4/Dec/2001:2:9:5 -0500", "2001-12-04T07:09:05Z"),
    ("10/OCT/2000:13:55:36 +0000", "2000-10-10T13:55:36Z"),
    ("10/Oct/2000:13:55:36.123 +0000", "2000-10-10T13:55:36.123Z"),
  ])
  func clfValid(text: String, expected: String) {
    #expect(clf(text) == expected)
  }

  @Test(arguments: [
    "29/Feb/2023:00:00:00 +0000",  // not a leap year
    "29/Feb/1900:00:00:00 +0000",  // century, not a leap year
    "31/Apr/2024:00:00:00 +0000",
    "00/Jan/2024:00:00:00 +0000",
    "10/Foo/2024:00:00:00 +0000",
    "10/10/2024:00:00:00 +0000",
    "10/Oct/2000:24:00:00 +0000",
    "10/Oct/2000:23:60:00 +0000",
    "10/Oct/2000:13:55:36 -05:00",
    "10/Oct/2000:13:55:36",
    "10/Oct/2000:13:55:36 +1500",
    "10/Oct/2000:13:55:36 +0060",
    "29/Aug/2023 22:02:58",
  ])
  func clfInvalid(text: String) {
    #expect(clf(text) == nil)
  }

  @Test(arguments: [
    ("2000-10-10T20:55:36Z", "2000-10-10T20:55:36Z"),
    ("2000-10-10T20:55:36+05:30", "2000-10-10T15:25:36Z"),
    ("2000-10-10T20:55:36-0030", "2000-10-10T21:25:36Z"),
    ("2000-10-10 20:55:36.5", "2000-10-10T20:55:36.500Z"),
    ("2000-10-10T20:55:36.123456789Z", "2000-10-10T20:55:36.123456Z"),
    ("2024-02-29t00:00:00z", "2024-02-29T00:00:00Z"),
  ])
  func isoValid(text: String, expected: String) {
    #expect(iso(text) == expected)
  }

  @Test(arguments: ["2023-02-29T00:00:00Z", "2000-13-01T00:00:00Z", "2000-10-10T25:00:00Z", "2000-10-10T20:55", "2000-10-10T20:55:36+", "2000-10-10T20:55:36Zjunk"])
  func isoInvalid(text: String) {
    #expect(iso(text) == nil)
  }

  @Test func w3cAndEpoch() {
    var d = "2024-01-02"
    var t = "03:04:05.25"
    let w = d.withUTF8 { date in t.withUTF8 { time in TimeParser.w3c(date: UnsafeRawBufferPointer(date), time: UnsafeRawBufferPointer(time)) } }
    #expect(w.map { formatRFC3339($0.micros, fractionDigits: $0.fractionDigits) } == "2024-01-02T03:04:05.250Z")
    #expect(TimeParser.any("1438095600") == ParsedTime(micros: 1_438_095_600_000_000))
    #expect(TimeParser.any("1438095600.123") == ParsedTime(micros: 1_438_095_600_123_000, fractionDigits: 3))
    #expect(TimeParser.any("1438095600123") == ParsedTime(micros: 1_438_095_600_123_000, fractionDigits: 3))
    #expect(TimeParser.any("1646861401.5241024") == ParsedTime(micros: 1_646_861_401_524_102, fractionDigits: 6))
    #expect(TimeParser.any("12ab") == nil)
  }

  /// Found by the `time` fuzz target: a 16-digit epoch read as milliseconds is past year 9999
  /// (it wrote as "5352-11-11T…"), and 9999999999999999 ms overflowed Int64. Only times that
  /// RFC 3339 can show are accepted, at both ends.
  @Test(arguments: [
    "2000170002030012", "9999999999999999", "-9999999999999999", "253402300800", "-62167219201",
    "9999-12-31T23:59:59-00:01", "0000-01-01T00:00:00+00:01", "31/Dec/9999:23:59:59 -0100",
  ])
  func timesBeyondRFC3339AreInvalid(text: String) {
    #expect(TimeParser.any(text) == nil)
  }

  @Test func rfc3339RangeEnds() {
    #expect(TimeParser.any("253402300799") == ParsedTime(micros: 253_402_300_799_000_000))
    #expect(TimeParser.any("-62167219200") == ParsedTime(micros: -62_167_219_200_000_000))
    #expect(iso("9999-12-31T23:59:59.999999Z") == "9999-12-31T23:59:59.999999Z")
    #expect(iso("0000-01-01T00:00:00Z") == "0000-01-01T00:00:00Z")
  }

  @Test(arguments: [0, 3, 6])
  func rfc3339RoundTrip(digits: Int) {
    // Every text we write parses back to the same instant (at the written precision).
    var t: EpochMicros = -2_208_988_800_000_000  // 1900-01-01
    let step: EpochMicros = 7_777_777_777_777
    while t < 4_102_444_800_000_000 {  // 2100-01-01
      let text = formatRFC3339(t, fractionDigits: digits)
      var unit: EpochMicros = 1_000_000
      for _ in 0..<digits { unit /= 10 }
      let truncated = t - ((t % unit) + unit) % unit
      #expect(TimeParser.any(text)?.micros == truncated, "\(text)")
      t += step
    }
  }
}
