/*
 logalert end to end: loggen with an injected incident through logparse and
 logwindow into logalert gives a firing then a resolved event for the
 incident's key and time; bad rules exit 2 with FILE:LINE:COLUMN; bad input
 is counted and kept; --check; the examples' rules file parses.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite struct LogAlertTests {
  static let minuteWindows = "logparse | logwindow --every 1m --by path -a count -a 'errors=count_if(status>=500)'"

  static func time(_ value: Any?) -> Date? {
    (value as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
  }

  @Test func errorBurstFiresThenResolvesForTheIncidentPath() throws {
    let script = """
      loggen --start 2025-07-01T00:00:00Z --seed 7 --duration 20m --rate 50 \
        --incident 'errors path=/checkout status=503 ratio=0.6 at=8m for=4m' --truth truth.ndjson \
      | \(Self.minuteWindows) \
      | logalert --rule 'high_5xx: errors / count > 0.2 and count >= 5 for 1m by path summary "{path}: {value:%} 5xx"' \
      > alerts.ndjson && cat truth.ndjson && echo --- && cat alerts.ndjson
      """
    let result = try Shell.run(script)
    #expect(result.status == 0, "\(result.stderr)")
    let parts = result.stdout.components(separatedBy: "---\n")
    try #require(parts.count == 2)
    let truth = try #require(decodeNDJSON(parts[0]).first)
    let alerts = decodeNDJSON(parts[1])
    #expect(alerts.map { $0["state"] as? String } == ["firing", "resolved"])
    #expect(alerts.allSatisfy { $0["path"] as? String == "/checkout" && $0["alert"] as? String == "high_5xx" })
    let start = try #require(Self.time(truth["start"])), end = try #require(Self.time(truth["end"]))
    let fired = try #require(Self.time(alerts.first?["time"])), resolved = try #require(Self.time(alerts.last?["time"]))
    // for 1m on 1-minute windows: firing at the end of the incident's second window.
    #expect(fired > start && fired <= start.addingTimeInterval(180))
    #expect(resolved > end && resolved <= end.addingTimeInterval(120))
    #expect((alerts.first?["summary"] as? String)?.hasSuffix("% 5xx") == true)
    #expect((alerts.first?["value"] as? Double ?? 0) > 0.2)
  }

  @Test func trafficSpikeIsFoundByAnomaly() throws {
    let script = """
      loggen --start 2025-07-01T00:00:00Z --seed 3 --duration 60m --rate 50 --incident 'spike factor=5 at=40m for=5m' \
      | logparse | logwindow --every 1m -a count | logalert --rule 'traffic: anomaly(count) >= 0.5'
      """
    let result = try Shell.run(script)
    #expect(result.status == 0, "\(result.stderr)")
    let alerts = decodeNDJSON(result.stdout)
    #expect(alerts.map { $0["state"] as? String } == ["firing", "resolved"])
    #expect(alerts.first?["time"] as? String == "2025-07-01T00:41:00Z")
    let detector = (alerts.first?["detectors"] as? [[String: Any]])?.first
    #expect((detector?["observed"] as? Double ?? 0) > (detector?["high"] as? Double ?? .infinity))
  }

  /// A live stream that stops entirely: --idle lets the wall clock move event time on,
  /// so absent() fires without another record; with --idle 0 nothing happens.
  @Test func absentFiresOnAStreamThatStoppedWithIdle() throws {
    let record = #"{"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","path":"/a","count":5}"#
    let result = try Shell.run("""
      ( echo '\(record)'; sleep 2.5 ) | logalert --idle 500ms --rule 'gone: absent(1s) by path'
      echo ---
      ( echo '\(record)'; sleep 2.5 ) | logalert --idle 0 --rule 'gone: absent(1s) by path'
      """)
    let parts = result.stdout.components(separatedBy: "---\n")
    try #require(parts.count == 2, "\(result.stdout) \(result.stderr)")
    let fired = decodeNDJSON(parts[0])
    #expect(fired.map { $0["state"] as? String } == ["firing"], "\(result.stdout)")
    #expect(fired.first?["path"] as? String == "/a")
    let at = Self.time(fired.first?["time"]).map { $0.timeIntervalSince1970 - 1_751_328_060 } ?? -1
    #expect(at >= 1 && at < 2.5, "fired one second of quiet after the record's end: +\(at) s")
    #expect(parts[1].isEmpty, "no wall clock with --idle 0: \(parts[1])")
  }

  @Test func badRulesExitTwoWithLineAndColumn() throws {
    let file = try Shell.run("""
      printf 'ok: count > 1\\n# comment\\nbad: zscroe(count) > 3\\n' > r.rules && logalert --rules r.rules < /dev/null
      """)
    #expect(file.status == 2)
    #expect(file.stderr.hasPrefix("logalert: invalid --rules: r.rules:3:6: unknown function 'zscroe'; did you mean 'zscore'?"))
    let inline = try Shell.run("logalert --rule 'x: count > 1 for soon' < /dev/null")
    #expect(inline.status == 2)
    #expect(inline.stderr.contains("invalid --rule 'x: count > 1 for soon': column 18:"))
    let none = try Shell.run("logalert < /dev/null")
    #expect(none.status == 2)
    #expect(none.stderr.contains("no rules"))
  }

  @Test func badInputIsCountedAndKept() throws {
    let input = """
      {"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","count":50}
      not json
      {"count":3}
      {"start":"2025-07-01T00:01:00Z","end":"2025-07-01T00:02:00Z","count":5}

      """
    let result = try Shell.run("logalert --rule 'hot: count > 10' --rejects bad.txt && cat bad.txt", stdin: input)
    #expect(result.status == 0)
    let lines = result.stdoutLines
    #expect(lines.count == 4)
    #expect(decodeNDJSON(lines[0]).first?["state"] as? String == "firing")
    #expect(decodeNDJSON(lines[1]).first?["state"] as? String == "resolved")
    #expect(Array(lines[2...]) == ["not json", #"{"count":3}"#])
    #expect(result.stderr.contains("<stdin>:3: missing time field 'end'"))
    #expect(result.stderr.contains("logalert: 2 of 4 input lines rejected"))
    let strict = try Shell.run("logalert --rule 'hot: count > 10' --strict", stdin: input)
    #expect(strict.status == 1)
  }

  @Test func checkPrintsTheParsedRulesAndHeadStaysQuiet() throws {
    let check = try Shell.run("logalert --rule 'a: anomaly(count) >= 0.5 for 2m by path' --check")
    #expect(check.status == 0)
    #expect(check.stdout == "a: anomaly(count) >= 0.5 for 2m by path  [detectors: anomaly(count)]\n")
    let head = try Shell.run("""
      i=0; while [ $i -lt 3000 ]; do printf '{"end":"2025-07-01T00:%02d:00Z","count":%d}\\n' $((i % 60)) $((i % 2 * 100)); i=$((i+1)); done \
      | logalert --rule 'flip: count > 50' --all | head -1
      """)
    #expect(head.status == 0)
    #expect(head.stderr.isEmpty)
    #expect(head.stdoutLines.count == 1)
  }
}
