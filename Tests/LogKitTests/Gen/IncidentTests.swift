// Incident syntax, scheduling, and the effects the run loop sees.
import Testing
@testable import LogKit

@Suite struct IncidentTests {
  @Test func parsesAllKeys() throws {
    let i = try Incident.parse("errors path=/checkout status=503 ratio=0.6 at=2m for=90s")
    #expect(i.kind == .errors)
    #expect(i.path == "/checkout")
    #expect(i.status == 503)
    #expect(i.ratio == 0.6)
    #expect(i.at == 120_000_000)
    #expect(i.end == 210_000_000)
  }

  @Test func defaultsPerKind() throws {
    let outage = try Incident.parse("outage")
    #expect(!outage.failing && outage.factor == 0.02)
    let failing = try Incident.parse("outage mode=errors for=10s")
    #expect(failing.failing && failing.status == 503 && failing.duration == 10_000_000)
    let crawler = try Incident.parse("crawler agent=bingbot")
    #expect(crawler.agent == "bingbot" && crawler.rate == nil)
  }

  @Test(arguments: [
    ("", "empty incident"),
    ("flood at=1m", "unknown incident kind 'flood'"),
    ("errors ratio=1.5", "invalid value '1.5' for ratio"),
    ("errors status=99", "invalid status '99'"),
    ("latency client=1.2.3.4", "unknown key 'client' for latency"),
    ("spike at=soon", "invalid duration 'soon' for at"),
    ("errors path=checkout", "invalid path 'checkout'"),
    ("crawler agent=slurp", "unknown agent 'slurp'"),
    ("scanner for=0s", "'for' must be longer than 0s"),
    ("errors 503", "expected key=value, got '503'"),
  ])
  func rejectsBadSpecs(text: String, message: String) {
    #expect {
      try Incident.parse(text)
    } throws: { error in
      (error as? IncidentError)?.message.hasPrefix(message) == true
    }
  }

  @Test func scheduleEffectsAndBoundaries() throws {
    let specs = try [
      Incident.parse("errors path=/checkout status=503 ratio=0.6 at=2m for=90s"),
      Incident.parse("spike factor=3 at=3m for=1m"),
      Incident.parse("scanner rate=40 at=10s for=5s"),
      Incident.parse("outage mode=errors at=20m for=10s"),
    ]
    var rng = Xoshiro256(seed: 1)
    let schedule = IncidentSchedule(specs, baseRate: 100, rng: &rng) { _ in nil }
    #expect(!schedule.effects(at: 0).active)
    #expect(schedule.nextBoundary(after: 0) == 10_000_000)
    let scanning = schedule.effects(at: 12_000_000)
    #expect(scanning.active && scanning.extraRate == 40 && scanning.extraSources.map(\.0) == [2])
    #expect(schedule.nextBoundary(after: 12_000_000) == 15_000_000)
    #expect(!schedule.effects(at: 15_000_000).active)  // end is exclusive
    let both = schedule.effects(at: 200_000_000)  // 3m20s: errors and spike overlap
    #expect(both.errorRules == [0] && both.rateFactor == 3)
    #expect(schedule.effects(at: 1_205_000_000).failingStatus == 503)
    #expect(schedule.nextBoundary(after: 1_210_000_000) == Int64.max)
  }

  @Test func resolvesDefaultsAgainstTheRate() throws {
    var rng = Xoshiro256(seed: 1)
    let schedule = IncidentSchedule(
      [try Incident.parse("scanner"), try Incident.parse("crawler client=66.249.66.1"), try Incident.parse("spike path=/cart factor=4")],
      baseRate: 200, rng: &rng) { $0 == "/cart" ? 7 : nil }
    #expect(schedule.incidents[0].rate == 40)  // 20% of the rate
    #expect(schedule.incidents[0].spec.client != nil)
    #expect(schedule.incidents[1].rate == 200)
    #expect(schedule.strings.string(schedule.incidents[1].clientIndex) == "66.249.66.1")
    #expect(schedule.incidents[2].rate == 600 && schedule.incidents[2].spikeEndpoint == 7)
  }

  @Test func pathPrefixMatching() throws {
    var rng = Xoshiro256(seed: 1)
    let schedule = IncidentSchedule([try Incident.parse("latency path=/api"), try Incident.parse("latency")], baseRate: 1, rng: &rng) { _ in nil }
    let table = ByteTable(["/api/v1/cart", "/ap", "/checkout"])
    #expect(schedule.pathMatches(0, table[0]))
    #expect(!schedule.pathMatches(0, table[1]))
    #expect(!schedule.pathMatches(0, table[2]))
    #expect(schedule.pathMatches(1, table[2]))
  }
}
