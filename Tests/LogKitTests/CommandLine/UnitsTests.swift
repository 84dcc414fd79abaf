/*
 Durations and sizes as written on command lines.
*/
import Testing
@testable import LogKit

@Suite struct UnitsTests {
  @Test(arguments: [
    ("250ms", 250_000), ("10s", 10_000_000), ("5m", 300_000_000), ("1h", 3_600_000_000),
    ("1d", 86_400_000_000), ("1h30m", 5_400_000_000), ("1.5s", 1_500_000), ("10", 10_000_000),
    ("0.5", 500_000), ("750us", 750), ("2m30s", 150_000_000), ("0s", 0),
  ] as [(String, Int64)])
  func parsesDurations(text: String, micros: Int64) {
    #expect(parseDuration(text) == micros)
  }

  @Test(arguments: ["", "s", "ms", "abc", "10x", "-5s", "-1", "1.2.3s", "5 m", " 5m", "5m ", "1hh", "inf", "nan", "1e30d", "1e300", "0x8888880000000000", "99999999999999999999d", "9999999999999h9999999999999h"])
  func rejectsDurations(text: String) {
    #expect(parseDuration(text) == nil)
  }

  @Test(arguments: [
    (0, "0s"), (1_500_000, "1500ms"), (90_000_000, "90s"), (3_600_000_000, "1h"), (250, "250us"),
  ] as [(Int64, String)])
  func formatsDurations(micros: Int64, text: String) {
    #expect(formatDuration(micros) == text)
    #expect(parseDuration(text) == micros)
  }

  /// Found by the `units` fuzz target: whole amounts past 2^53 µs went through a Double
  /// and came back rounded, so what formatDuration wrote did not parse back.
  @Test(arguments: [13_333_261_862_020_021, 7_207_387_157_160_000_000, 9_223_372_036_854_775_807, 43_963_999_200_002_222] as [Int64])
  func largeDurationsRoundTripExactly(micros: Int64) {
    #expect(parseDuration(formatDuration(micros)) == micros, "\(formatDuration(micros))")
  }

  @Test func largeWholeAmountsAreExact() {
    #expect(parseDuration("13333261862020021us") == 13_333_261_862_020_021)
    #expect(parseDuration("120123119286m") == 7_207_387_157_160_000_000)
    #expect(parseDuration("9223372036854775807us") == .max)
    #expect(parseDuration("9223372036854775808us") == nil)
    #expect(parseDuration("9223372036854775807us1us") == nil)
    #expect(parseDuration("1.5s") == 1_500_000)
  }

  @Test(arguments: [
    ("4096", 4096), ("0", 0), ("64k", 65_536), ("64K", 65_536), ("1M", 1_048_576), ("1m", 1_048_576),
    ("2G", 2_147_483_648),
  ] as [(String, Int)])
  func parsesSizes(text: String, bytes: Int) {
    #expect(parseSize(text) == bytes)
  }

  @Test(arguments: ["", "k", "1KB", "1Ki", "1.5M", "-1", "1T", "abc", "99999999999999999G"])
  func rejectsSizes(text: String) {
    #expect(parseSize(text) == nil)
  }
}
