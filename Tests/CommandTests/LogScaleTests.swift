/*
 logscale end to end: the built binary after loggen | logparse | logwindow,
 the HPA formula recomputed here from the decisions, the simulated startup
 delay, grouping by `end`, bad input, usage errors, `| head`, no flapping on
 a noisy day, and examples/scale-day.sh.
*/
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct LogScaleTests {
  static func int(_ r: [String: Any], _ key: String) -> Int { r[key] as? Int ?? -1 }
  static func metric(_ r: [String: Any], _ name: String) -> [String: Any] {
    (r["metrics"] as? [String: Any])?[name] as? [String: Any] ?? [:]
  }

  @Test func simulatedDayWithSpikeFollowsTheHPAFormula() throws {
    let script = """
      loggen --start 2025-01-01T10:00:00Z --seed 3 --rate 4 --duration 6h --diurnal -i 'spike factor=5 at=2h for=20m' \
        | logparse | logwindow --every 15s -a count \
        | logscale -m 'rps=count/15' --target 1 --max 50 --simulate --startup-delay 30s --all
      """
    let result = try Shell.run(script)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let out = decodeNDJSON(result.stdout)
    #expect(out.count > 1400)  // one per 15 s window
    var previousTo: Int?
    var sawStarting = false
    for r in out {
      let from = Self.int(r, "from"), to = Self.int(r, "to"), ready = Self.int(r, "ready")
      if let previousTo { #expect(from == previousTo, "each decision starts where the last ended") }
      previousTo = to
      #expect((1...50).contains(to))
      #expect(ready <= from)
      if ready < from { sawStarting = true }
      #expect(!(r["reason"] as? String ?? "").isEmpty)
      // The HPA formula, recomputed: within 10 % of target per replica -> keep, else ceil(rps / 1).
      let m = Self.metric(r, "rps")
      guard let value = m["value"] as? Double ?? (m["value"] as? Int).map(Double.init), let proposal = m["proposal"] as? Int else {
        Issue.record("no value/proposal in \(r)")
        continue
      }
      let ratio = value / Double(from)
      #expect(proposal == (abs(ratio - 1) <= 0.1 ? from : Int(value.rounded(.up))), "\(r)")
      #expect(Self.int(r, "desired") == proposal)
    }
    #expect(sawStarting, "new replicas must be starting for --startup-delay")
    func peak(_ from: String, _ to: String) -> Int {
      out.filter { ($0["time"] as? String ?? "") >= from && ($0["time"] as? String ?? "") < to }.map { Self.int($0, "to") }.max() ?? 0
    }
    let before = peak("2025-01-01T10:30:00Z", "2025-01-01T11:55:00Z")
    let spike = peak("2025-01-01T12:00:00Z", "2025-01-01T12:20:00Z")
    let after = peak("2025-01-01T13:00:00Z", "2025-01-01T16:00:00Z")
    #expect(spike > 2 * before, "spike \(spike), before \(before)")
    #expect(after < spike / 2, "after \(after), spike \(spike)")
    // Without --all only the changes are written: the same decisions.
    let changesOnly = try Shell.run(script.replacingOccurrences(of: " --all", with: ""))
    let changed = out.filter { Self.int($0, "from") != Self.int($0, "to") }
    #expect(decodeNDJSON(changesOnly.stdout).map { Self.int($0, "to") } == changed.map { Self.int($0, "to") })
  }

  @Test func recordsWithTheSameEndAreOneEvaluation() throws {
    let input = """
      {"end":"2025-01-01T00:00:15Z","path":"/a","count":300,"p95":0.2}
      {"end":"2025-01-01T00:00:15Z","path":"/b","count":150,"p95":0.9}
      {"end":"2025-01-01T00:00:30Z","path":"/a","count":30}
      {"end":"2025-01-01T00:00:30Z","path":"/b","count":30,"p95":0.1}

      """
    let result = try Shell.run(
      "logscale -m 'rps=sum(count)/15' --target 10 -m 'p95=max(p95)' --target 0.3 --type value --replicas 2 --max 10 --all",
      stdin: input)
    #expect(result.status == 0, "\(result.stderr)")
    let out = decodeNDJSON(result.stdout)
    #expect(out.count == 2)
    #expect(Self.metric(out[0], "rps")["value"] as? Int == 30)
    #expect(Self.metric(out[0], "rps")["proposal"] as? Int == 3)
    #expect(Self.metric(out[0], "p95")["proposal"] as? Int == 6)  // ceil(2 * 0.9 / 0.3)
    #expect(Self.int(out[0], "to") == 6)
    #expect((out[0]["reason"] as? String ?? "").hasPrefix("p95 0.9 at target 0.3 proposes 6"), "\(out[0])")
    #expect(Self.metric(out[1], "p95")["value"] as? Double == 0.1)
  }

  @Test func badInputIsCountedReportedAndKept() throws {
    let input = """
      {"end":"2025-01-01T00:00:15Z","count":15}
      not json
      {"count":3}
      {"end":"2025-01-01T00:00:45Z","count":15}
      {"end":"2025-01-01T00:00:30Z","count":15}

      """
    let result = try Shell.run("logscale -m 'rps=count/15' --target 1 --max 5 --all --rejects bad.ndjson && cat bad.ndjson", stdin: input)
    #expect(result.status == 0)
    #expect(decodeNDJSON(result.stdoutLines.prefix(2).joined(separator: "\n")).count == 2)
    #expect(result.stdoutLines.suffix(3) == ["not json", #"{"count":3}"#, #"{"end":"2025-01-01T00:00:30Z","count":15}"#])
    #expect(result.stderr.contains("logscale: <stdin>:2: invalid JSON"), "\(result.stderr)")
    #expect(result.stderr.contains("logscale: <stdin>:3: missing time field 'end'"), "\(result.stderr)")
    #expect(result.stderr.contains("logscale: <stdin>:5: end 2025-01-01T00:00:30Z is before the open evaluation"), "\(result.stderr)")
    #expect(result.stderr.contains("logscale: 3 of 5 input lines rejected"))
    let strict = try Shell.run("logscale -m 'rps=count/15' --target 1 --max 5 --strict", stdin: input)
    #expect(strict.status == 1)
  }

  @Test(arguments: [
    ("--max 5", "a metric is required"),
    ("--target 1 --max 5", "--target belongs to a --metric"),
    ("-m rps=count/15 --max 5", "--metric 'rps' needs a --target after it"),
    ("--target 1 -m rps=count/15 --max 5", "--target belongs to a --metric"),
    ("-m rps=count/15 --target 1", "--max is required"),
    ("-m rps=count/15 --target 1 --max 5 --type avg", "invalid value 'avg' for --type"),
    ("-m 'rps=summ(count)' --target 1 --max 5", "unknown function 'summ'"),
    ("-m 'sum(count)' --target 1 --max 5", "name the metric"),
    ("-m rps=count --target 0 --max 5", "target 0 of metric 'rps' must be a positive number"),
    ("-m rps=count --target 1 --max 5 --min 6", "min replicas 6 is above max replicas 5"),
    ("-m rps=count --target 1 --max 5 --up-policy 'pods=4'", "invalid --up-policy 'pods=4'"),
    ("-m rps=count --target 1 --max 5 --down-policy 'percent=0 per 1m'", "the value must be positive"),
    ("-m rps=count --target 1 --max 5 --down-select most", "invalid value 'most' for --down-select"),
    ("-m rps=count --target 1 --max 5 --startup-delay 10s", "--startup-delay needs --simulate"),
    ("-m rps=count --target 1 --type value --type average --max 5", "--type is given twice"),
  ])
  func usageErrorsExitTwo(arguments: String, message: String) throws {
    let result = try Shell.run("logscale \(arguments) < /dev/null")
    #expect(result.status == 2, "\(arguments): \(result.stderr)")
    #expect(result.stderr.hasPrefix("logscale: "), "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
  }

  @Test func headEndsQuietly() throws {
    let result = try Shell.run(
      "loggen --start 2025-01-01T00:00:00Z --seed 1 --rate 20 --duration 1h --format json | logwindow --every 15s | logscale -m rps=count/15 --target 1 --max 100 --all | head -1")
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).count == 1)
  }

  /// The HPA's defaults (tolerance, 5 minute scale-down window) keep a noisy day calm:
  /// no scale-down within 5 minutes of a scale-up, and far fewer changes than the same
  /// traffic without them.
  @Test func noFlappingOnNoisyTraffic() throws {
    let dir = Shell.makeTempDirectory()
    let made = try Shell.run(
      "loggen --start 2025-01-01T00:00:00Z --seed 5 --rate 2 --duration 1d --diurnal --noise 0.3 --format json | logwindow --every 15s > w.ndjson",
      in: dir)
    #expect(made.status == 0, "\(made.stderr)")
    let calm = try Shell.run("logscale -m rps=count/15 --target 0.25 --max 100 w.ndjson", in: dir)
    let naive = try Shell.run("logscale -m rps=count/15 --target 0.25 --max 100 --tolerance 0 --scale-down-window 0s w.ndjson | wc -l", in: dir)
    let decisions = decodeNDJSON(calm.stdout)
    let naiveChanges = Int(naive.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    #expect(decisions.count > 20 && decisions.count < 300, "\(decisions.count) changes in a day")
    #expect(naiveChanges > 10 * decisions.count, "naive \(naiveChanges), calm \(decisions.count)")
    var lastUp: Date?
    let format = ISO8601DateFormatter()
    for d in decisions {
      let time = try #require(format.date(from: d["time"] as? String ?? ""))
      if Self.int(d, "to") > Self.int(d, "from") {
        lastUp = time
      } else if let lastUp {
        #expect(time.timeIntervalSince(lastUp) >= 300, "scale-down \(d) less than 5 minutes after a scale-up")
      }
    }
  }

  @Test func scaleDayExampleDrawsTheChart() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("\"$ROOT/examples/scale-day.sh\" out 1", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let rows = result.stdoutLines.filter { $0.count > 6 && $0.dropFirst(2).hasPrefix(":00 ") }
    #expect(rows.count == 24)
    // The spike hour needs the most replicas.
    let desired = rows.map { Int($0.split(separator: " ").dropLast().last ?? "") ?? 0 }
    #expect(desired.firstIndex(of: desired.max() ?? -1) == 14, "\(desired)")
    #expect(result.stdoutLines.last?.hasPrefix("evaluations: ") == true)
    // The SVG is well-formed XML with three series of one point per evaluation.
    let evaluations = try String(contentsOfFile: dir + "/out/decisions.ndjson", encoding: .utf8).split(separator: "\n").count
    let parser = try #require(XMLParser(contentsOf: URL(fileURLWithPath: dir + "/out/chart.svg")))
    let collector = PolylineCollector()
    parser.delegate = collector
    #expect(parser.parse(), "chart.svg is not well-formed: \(String(describing: parser.parserError))")
    #expect(collector.pointCounts == [evaluations, evaluations, evaluations])
  }
}

private final class PolylineCollector: NSObject, XMLParserDelegate {
  var pointCounts: [Int] = []
  func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
    if name == "polyline" { pointCounts.append(attributes["points"]?.split(separator: " ").count ?? 0) }
  }
}
