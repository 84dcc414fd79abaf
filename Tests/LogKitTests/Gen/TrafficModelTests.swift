// The synthetic traffic looks like a site: popularity, status mix, who asks for what.
import Testing
@testable import LogKit

@Suite struct TrafficModelTests {
  private func sample(_ n: Int, seed: UInt64 = 11) -> (TrafficModel, [(path: String, status: Int, bytes: Int, millis: Int, agent: String, client: String)]) {
    var rng = Xoshiro256(seed: seed)
    let model = TrafficModel(clients: 500, rng: &rng)
    var events: [(String, Int, Int, Int, String, String)] = []
    var e = AccessEvent()
    for _ in 0..<n {
      model.fill(&e, rng: &rng, load: 1)
      events.append((
        String(decoding: e.path, as: UTF8.self), e.status, e.bytes, e.requestMillis,
        String(decoding: e.agent, as: UTF8.self), String(decoding: e.client, as: UTF8.self)))
    }
    return (model, events.map { (path: $0.0, status: $0.1, bytes: $0.2, millis: $0.3, agent: $0.4, client: $0.5) })
  }

  @Test func popularityIsSkewed() {
    let (_, events) = sample(50_000)
    var counts: [String: Int] = [:]
    for e in events { counts[e.path, default: 0] += 1 }
    let sorted = counts.values.sorted(by: >)
    // A handful of paths carry a large share; the tail is long.
    #expect(Double(sorted.prefix(5).reduce(0, +)) / 50_000 > 0.25)
    #expect(counts.count > 60)
    #expect(counts["/"] ?? 0 > counts["/about"] ?? 0)
  }

  @Test func statusMixIsMostlySuccess() {
    let (_, events) = sample(50_000)
    let ok = events.filter { (200..<400).contains($0.status) }.count
    let server = events.filter { $0.status >= 500 }.count
    let notFound = events.filter { $0.status == 404 }.count
    #expect(Double(ok) / 50_000 > 0.95)
    #expect(server > 0 && Double(server) / 50_000 < 0.01)
    #expect(notFound > 0)
    let notModified = events.filter { $0.status == 304 }
    #expect(notModified.count > 10, "too few 304s to judge their sizes")
    #expect(notModified.allSatisfy { $0.bytes == 0 })
  }

  @Test func assetsHaveFixedSizesAndAreFast() throws {
    let (_, events) = sample(20_000)
    let app = events.filter { $0.path.hasPrefix("/static/js/app.") && $0.status == 200 }
    #expect(app.count > 100)
    #expect(Set(app.map(\.bytes)).count == 1)
    let search = events.filter { $0.path == "/search" }.map(\.millis).sorted()
    let assets = events.filter { $0.path.hasPrefix("/static/") }.map(\.millis).sorted()
    try #require(search.count > 20 && assets.count > 20, "searches \(search.count), assets \(assets.count)")
    #expect(search[search.count / 2] > 10 * max(assets[assets.count / 2], 1))
  }

  @Test func crawlersFetchPagesScriptsCallTheAPI() {
    let (_, events) = sample(50_000)
    let bots = events.filter { $0.agent.contains("Googlebot") || $0.agent.contains("bingbot") }
    #expect(bots.count > 20, "too few crawler requests to judge: \(bots.count)")
    #expect(bots.allSatisfy { !$0.path.hasPrefix("/static/") && !$0.path.hasPrefix("/api/") })
    let curl = events.filter { $0.agent.hasPrefix("curl/") }
    #expect(curl.count > 20, "too few curl requests to judge: \(curl.count)")
    #expect(curl.allSatisfy { $0.path.hasPrefix("/api/") })
    #expect(events.contains { $0.client.contains(":") })  // IPv6 present
  }

  @Test func loadSlowsRequestsDown() {
    var rng = Xoshiro256(seed: 2)
    let model = TrafficModel(clients: 100, rng: &rng)
    var e = AccessEvent()
    var calm = 0, busy = 0
    for _ in 0..<5000 { model.fill(&e, rng: &rng, load: 1); calm += e.requestMillis }
    for _ in 0..<5000 { model.fill(&e, rng: &rng, load: 3); busy += e.requestMillis }
    #expect(busy > 4 * calm)
  }
}
