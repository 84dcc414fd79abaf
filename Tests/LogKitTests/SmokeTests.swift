import Testing
@testable import LogKit

@Suite struct SmokeTests {
  @Test func rfc3339() {
    let t = TimeParser.any("10/Oct/2000:13:55:36 -0700")
    #expect(t.map { formatRFC3339($0.micros) } == "2000-10-10T20:55:36Z")
  }
}
