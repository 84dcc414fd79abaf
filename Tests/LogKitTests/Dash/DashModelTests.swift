/*
 The dashboard model: records told apart by their fields, window records of
 one window folded into one point, logdash's own windowing of access
 records checked against a count done here, alerts and scaling, and
 bounded memory over a long input.
*/
import Foundation
import Testing
@testable import LogKit

@Suite struct DashModelTests {
  @Test func classifiesEachKindOfRecord() {
    let model = DashModel(config: DashConfig())
    let results = DashHarness.feed(model, [
      #"{"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","count":5}"#,
      #"{"time":"2025-07-01T00:01:00Z","alert":"a","state":"firing"}"#,
      #"{"time":"2025-07-01T00:01:00Z","from":1,"to":2,"reason":"r"}"#,
      #"{"time":"2025-07-01T00:01:00Z","status":200,"path":"/"}"#,
      #"{"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","count":5,"final":false}"#,
      #"{"hello":1}"#,
      "not json",
      #"{"time":"2025-07-01T00:01:00Z","alert":"a","state":"sleeping"}"#,
      #"{"start":"yesterday","end":"2025-07-01T00:01:00Z"}"#,
    ])
    #expect(Array(results.prefix(5)) == [.window, .alert, .scale, .access, .provisional])
    for r in results.suffix(4) {
      guard case .rejected = r else { Issue.record("expected a rejection, got \(r)"); continue }
    }
    #expect(model.counts.windowRecords == 1 && model.counts.alertEvents == 1 && model.counts.scaleDecisions == 1)
    #expect(model.counts.accessRecords == 1 && model.counts.provisional == 1)
  }

  @Test func groupsOfOneWindowFoldIntoOnePoint() throws {
    let model = DashHarness.pipelineModel()
    let lines = DashHarness.fixtureLines("pipeline.ndjson")
    // Independent totals with Foundation's JSON.
    var perWindow: [String: (count: Double, errors: Double, p95: Double)] = [:]
    for line in lines {
      let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      guard let start = object["start"] as? String, object["alert"] == nil else { continue }
      var w = perWindow[start] ?? (0, 0, 0)
      w.count += object["count"] as? Double ?? 0
      w.errors += object["errors"] as? Double ?? 0
      w.p95 = max(w.p95, object["p95_request_time"] as? Double ?? 0)
      perWindow[start] = w
    }
    let points = model.recentPoints
    #expect(points.count == perWindow.count)
    for p in points {
      let expected = try #require(perWindow[formatRFC3339(p.start)])
      #expect(p.count == expected.count)
      #expect(p.errors == expected.errors)
      #expect(p.quantiles[2] == expected.p95)
      #expect(p.records == 3)
      #expect(p.end - p.start == 60_000_000)
    }
    #expect(model.totalRequests == perWindow.values.map(\.count).reduce(0, +))
    // The latest window's paths, with their counts.
    let top = model.latestTop(.path).top(10)
    #expect(top.map(\.value) == ["/checkout", "/api/items", "/"])
    #expect(model.counts.late == 0)
  }

  @Test func olderWindowAfterANewerOneIsLate() {
    let model = DashModel(config: DashConfig())
    DashHarness.feed(model, [
      #"{"start":"2025-07-01T00:01:00Z","end":"2025-07-01T00:02:00Z","count":5}"#,
      #"{"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","count":7}"#,
    ])
    model.finish()
    #expect(model.counts.late == 1)
    #expect(model.recentPoints.map(\.count) == [5])
  }

  @Test func accessRecordsAreWindowedPerEvery() throws {
    var config = DashConfig()
    config.accessEvery = 10_000_000
    let model = DashModel(config: config)
    var lines: [String] = []
    var expected: [Int64: (Int, Int)] = [:]
    var rng = SplitMix64(seed: 5)
    let base: Int64 = 1_751_328_000
    var t = base
    for _ in 0..<5000 {
      t += Int64(rng.next() % 3)
      if rng.next() % 500 == 0 { t += 45 }  // a gap of several empty windows
      let status = rng.next() % 8 == 0 ? 503 : 200
      lines.append(#"{"time":\#(t),"status":\#(status),"path":"/p\#(rng.next() % 4)","client":"c\#(rng.next() % 9)","request_time":0.\#(100 + rng.next() % 800)}"#)
      let window = (t / 10) * 10
      expected[window, default: (0, 0)].0 += 1
      expected[window, default: (0, 0)].1 += status >= 500 ? 1 : 0
    }
    #expect(DashHarness.feed(model, lines).allSatisfy { $0 == .access })
    model.finish()
    let points = model.recentPoints
    let first = try #require(expected.keys.min()), last = try #require(expected.keys.max())
    #expect(points.count == Int((last - first) / 10 + 1))
    for p in points {
      let e = expected[p.start / 1_000_000] ?? (0, 0)
      #expect(p.count == Double(e.0), "window \(formatRFC3339(p.start))")
      #expect(p.errors == Double(e.1))
    }
    #expect(model.totalRequests == 5000)
    // Quantiles within 2% of the exact value over the last window.
    let lastValues = lines.compactMap { line -> Double? in
      guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
        let time = o["time"] as? Int64, (time / 10) * 10 == last else { return nil }
      return o["request_time"] as? Double
    }.sorted()
    let p50 = lastValues[Int((0.5 * Double(lastValues.count)).rounded(.up)) - 1]
    let lastPoint = try #require(points.last)
    #expect(abs(lastPoint.quantiles[0] - p50) / p50 < 0.02)
  }

  @Test func alertsFireResolveAndKeepTheirAge() throws {
    let model = DashHarness.pipelineModel()
    let active = model.alerts.sortedActive
    #expect(active.map(\.identity) == ["slow_api path=/api/items"])
    #expect(active.first?.state == .firing)
    #expect(model.alerts.firedCount == 2 && model.alerts.resolvedCount == 1)
    #expect(model.alerts.timeline.count == 4)
    let since = try #require(active.first?.since)
    #expect(model.latestTime - since == 4 * 60_000_000)  // 00:26 -> 00:30
  }

  @Test func pendingThenFiringKeepsTheFirstSince() {
    let model = DashModel(config: DashConfig())
    DashHarness.feed(model, [
      #"{"time":"2025-07-01T00:01:00Z","alert":"a","state":"pending","host":"h1"}"#,
      #"{"time":"2025-07-01T00:03:00Z","alert":"a","state":"firing","host":"h1"}"#,
    ])
    let active = model.alerts.sortedActive
    #expect(active.count == 1)
    #expect(active.first?.since == DashHarness.time("2025-07-01T00:01:00Z"))
    #expect(active.first?.identity == "a host=h1")
  }

  @Test func scaleDecisionsGiveReplicasReasonAndMetrics() {
    let model = DashHarness.pipelineModel()
    #expect(model.scaling.replicas == 3)
    #expect(model.scaling.total == 4)
    #expect(model.scaling.lastReason == "requests_per_replica 420 < target 500: 3 replicas")
    let decisions = model.scaling.decisions.elements
    #expect(decisions.map(\.to) == [3, 5, 4, 3])
    #expect(decisions[0].metrics.first?.1 == 700)  // {name: {value, proposal}}
    #expect(decisions[3].metrics.first?.1 == 420)  // {name: number}
  }

  @Test func memoryStaysBoundedOverALongInput() {
    var config = DashConfig()
    config.recentPoints = 100
    config.overviewPoints = 64
    config.timelineEvents = 50
    config.maxDistinct = 1000
    let model = DashModel(config: config)
    var total = 0.0
    for i in 0..<60_000 {
      let start = 1_751_328_000 + i * 10
      let line = #"{"start":\#(start),"end":\#(start + 10),"path":"/p\#(i)","count":\#(i % 7)}"#
      total += Double(i % 7)
      DashHarness.feed(model, [line])
      if i % 100 == 0 {
        DashHarness.feed(model, [#"{"time":\#(start),"alert":"a\#(i)","state":"firing"}"#])
      }
    }
    model.finish()
    #expect(model.recent.count == 100)
    #expect(model.overview.points.count <= 64)
    #expect(model.alerts.timeline.count == 50)
    #expect(model.alerts.active.count <= 1000)
    #expect(model.runTops[TopKind.path.rawValue].distinct <= 1000)
    #expect(model.runTops[TopKind.path.rawValue].approximate)
    // The overview still adds up to every request.
    #expect(model.overview.all.compactMap(\.count).reduce(0, +) == total)
    #expect(model.overview.all.first?.start == Int64(1_751_328_000_000_000))
  }

  @Test func ringBufferKeepsTheNewestInOrder() {
    var ring = RingBuffer<Int>(capacity: 4)
    for i in 0..<10 { ring.append(i) }
    #expect(ring.elements == [6, 7, 8, 9])
    #expect(ring.suffix(2) == [8, 9])
    #expect(ring.dropped == 6)
    #expect(ring.last == 9)
  }

  @Test func chartFieldsFollowTheirCombineRule() {
    var config = DashConfig()
    config.chartFields = ["distinct_client", "bytes"]
    let model = DashModel(config: config)
    DashHarness.feed(model, [
      #"{"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","path":"/a","distinct_client":5,"bytes":10}"#,
      #"{"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","path":"/b","distinct_client":9,"bytes":20}"#,
    ])
    model.finish()
    #expect(model.recentPoints.first?.charts == [9, 30])
  }
}
