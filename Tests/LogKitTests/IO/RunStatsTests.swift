// The fixed-point seconds of the shared --stats line.
import Testing
@testable import LogKit

@Suite struct RunStatsTests {
  @Test(arguments: [
    (Int64(0), "0.000"), (1, "0.000"), (499, "0.000"), (500, "0.001"), (41_237, "0.041"),
    (1_000_000, "1.000"), (12_345_678, "12.346"),
  ])
  func secondsWithThreeDecimals(micros: Int64, text: String) {
    #expect(RunStats.fixedPoint(micros, scale: 1_000_000, digits: 3) == text)
  }
}
