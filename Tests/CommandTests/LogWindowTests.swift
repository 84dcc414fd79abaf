/*
 logwindow end to end: the built binary in shell pipelines, bad input,
 --rejects, --late, 4 shards merged through the binary, `| head -1`, and
 every script in examples/ checked against counts computed here from the
 fixtures.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite struct LogWindowTests {
  static let access = "$FIXTURES/logwindow/access.ndjson"

  /// The fixture's records, decoded by Foundation (an independent reader).
  static func fixtureRecords(_ name: String) throws -> [[String: Any]] {
    let text = try String(contentsOfFile: Shell.fixture("logwindow/\(name)"), encoding: .utf8)
    return decodeNDJSON(text)
  }

  @Test func countsPerHourAndPathMatchTheInput() throws {
    let result = try Shell.run("cat \(Self.access) | logwindow --every 1h --by path -a count -a 'errors=count_if(status>=500)'")
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty)
    var expected: [String: (Int, Int)] = [:]
    for r in try Self.fixtureRecords("access.ndjson") {
      let hour = String((r["time"] as? String ?? "").prefix(13)) + ":00:00Z"
      let key = hour + " " + (r["path"] as? String ?? "")
      let status = r["status"] as? Int ?? 0
      expected[key, default: (0, 0)].0 += 1
      expected[key, default: (0, 0)].1 += status >= 500 ? 1 : 0
    }
    let out = decodeNDJSON(result.stdout)
    #expect(expected.count > 10)
    #expect(out.count == expected.count)
    for o in out {
      let key = (o["start"] as? String ?? "") + " " + (o["path"] as? String ?? "")
      #expect(o["count"] as? Int == expected[key]?.0, "\(key)")
      #expect(o["errors"] as? Int == expected[key]?.1, "\(key)")
    }
    // In order of window end, then key.
    let order = out.map { ($0["end"] as? String ?? "") + " " + ($0["path"] as? String ?? "") }
    #expect(order == order.sorted())
  }

  @Test func badInputIsCountedReportedAndKept() throws {
    let input = """
      {"time":"2024-01-01T00:00:01Z","v":1}
      not json
      {"v":2}
      {"time":"yesterday","v":3}
      {"time":"2024-01-01T00:00:02Z","v":4}

      """
    let result = try Shell.run("logwindow --every 1m -a 'sum(v)' --rejects bad.txt && cat bad.txt", stdin: input)
    #expect(result.status == 0)
    let lines = result.stdoutLines
    #expect(lines.count == 4)
    #expect(decodeNDJSON(lines[0])[0]["sum_v"] as? Int == 5)
    #expect(Array(lines[1...]) == ["not json", #"{"v":2}"#, #"{"time":"yesterday","v":3}"#])
    #expect(result.stderr.contains("<stdin>:3: missing time field 'time'"))
    #expect(result.stderr.contains("<stdin>:4: invalid time in field 'time'"))
    #expect(result.stderr.contains("logwindow: 3 of 5 input lines rejected"))
    let strict = try Shell.run("logwindow --every 1m --strict", stdin: input)
    #expect(strict.status == 1)
  }

  @Test func lateEventsGoToTheLateFile() throws {
    let input = [
      #"{"time":"2024-01-01T00:00:10Z"}"#, #"{"time":"2024-01-01T00:02:00Z"}"#, #"{"time":"2024-01-01T00:00:20Z","late":true}"#,
    ].joined(separator: "\n") + "\n"
    let result = try Shell.run("logwindow --every 1m --late late.ndjson && cat late.ndjson", stdin: input)
    #expect(result.status == 0)
    #expect(result.stdoutLines.last == #"{"time":"2024-01-01T00:00:20Z","late":true}"#)
    #expect(result.stderr.contains("logwindow: 1 of 3 events (33%) were later than the watermark and were written to late.ndjson; use --lateness DUR"))
  }

  /// Out-of-order input at the default --lateness 0s: the share dropped and the remedies; --lateness end keeps all.
  @Test func droppedLateEventsAreReportedWithShareAndRemedy() throws {
    let times = [10, 130, 20, 30, 140, 250, 40]
    let input = times.map { #"{"time":\#($0)}"# }.joined(separator: "\n") + "\n"
    let dropped = try Shell.run("logwindow --every 1m", stdin: input)
    #expect(dropped.status == 0)
    #expect(dropped.stderr == "logwindow: 3 of 7 events (42%) were later than the watermark and were dropped; "
      + "use --lateness DUR (or --lateness end for files out of time order) or --late FILE\n")
    let all = try Shell.run("logwindow --every 1m --lateness end", stdin: input)
    #expect(all.status == 0)
    #expect(all.stderr.isEmpty)
    #expect(decodeNDJSON(all.stdout).map { $0["count"] as? Int } == [4, 2, 1])
    let bounded = try Shell.run("logwindow --every 1m --lateness 4m", stdin: input)
    #expect(bounded.stderr.isEmpty)
    #expect(decodeNDJSON(bounded.stdout).map { $0["count"] as? Int } == [4, 2, 1])
  }

  @Test(arguments: [
    "--every 30m --by path", "--window 2h --every 30m --by status", "--session 20m --by client", "--window all --by client",
  ])
  func fourShardsMergedEqualOneProcess(window: String) throws {
    let aggregates = "-a count -a 'e=count_if(status>=400)' -a 'sum(bytes)' -a 'avg(request_time)' -a 'max(request_time)' -a 'p95(bytes)' -a 'distinct(path)' -a 'top(3,path)' -a 'first(path)'"
    let script = """
      set -e
      for k in 0 1 2 3; do
        awk -v k=$k 'NR % 4 == k' \(Self.access) | logwindow \(window) \(aggregates) --partial > shard$k.ndjson
      done
      logwindow \(window) \(aggregates) \(Self.access) > one.ndjson
      cat shard0.ndjson shard1.ndjson shard2.ndjson shard3.ndjson | logwindow --merge > merged.ndjson
      cmp one.ndjson merged.ndjson && wc -l < one.ndjson
      """
    let result = try Shell.run(script)
    #expect(result.status == 0, "\(result.stderr)")
    #expect((Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 1)
  }

  @Test func headEndsQuietly() throws {
    let script = """
      awk 'BEGIN { for (i = 0; i < 300000; i++) printf "{\\"time\\":%d}\\n", 1700000000 + i }' |
        { logwindow --every 1s; echo "status $?" >&2; } | head -1
      """
    let result = try Shell.run(script)
    #expect(result.stdoutLines.count == 1)
    #expect(result.stderr == "status 0\n")
  }

  @Test func closedWindowsReachALivePipeBeforeInputEnds() throws {
    // The writer keeps the FIFO open for 3 more seconds; the closed window must
    // come out (flushed on an idle tick) while it is still open.
    let script = """
      mkfifo in.fifo
      ( printf '{"time":"2024-01-01T00:00:01Z"}\\n{"time":"2024-01-01T00:01:01Z"}\\n'; sleep 3; touch writer-done ) > in.fifo &
      logwindow --every 1m in.fifo | { head -1; if [ -e writer-done ]; then echo after-input-ended; else echo live; fi; }
      wait
      """
    let result = try Shell.run(script)
    #expect(result.stdoutLines.count == 2)
    #expect(decodeNDJSON(result.stdoutLines.first ?? "").first?["end"] as? String == "2024-01-01T00:01:00Z")
    #expect(result.stdoutLines.last == "live")
  }

  /// The shape of every usage error; the messages themselves are pinned by the golden
  /// cases Tests/Fixtures/logwindow/*-usage-* (re-recordable with LOGKIT_RECORD=1).
  @Test func usageErrors() throws {
    for args in ["-a count", "--every 1m -a 'nope(x)'", "--every 1m --where 'status >'", "--merge --every 1m", "--every 1m --emit soon"] {
      let result = try Shell.run("logwindow \(args) < /dev/null")
      #expect(result.status == 2, "\(args)")
      let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.count == 3 && lines[0].hasPrefix("logwindow: ") && lines[0].count > 20, "\(args): \(result.stderr)")
      #expect(lines.dropFirst().first == "logwindow: try 'logwindow --help' for more information.", "\(args)")
      #expect(result.stdout.isEmpty)
    }
    let cases = GoldenCase.cases(of: "logwindow").filter { $0.name.contains("-usage-") }
    #expect(cases.count == 5)
  }

  @Test func statsLineCountsLinesRejectsAndRecords() throws {
    let input = "{\"time\":\"2025-01-01T00:00:00Z\"}\nnot json\n{\"time\":\"2025-01-01T00:01:30Z\"}\n"
    let result = try Shell.run("logwindow --every 1m -a count --stats", stdin: input)
    #expect(result.status == 0)
    #expect(result.stdoutLines.count == 2)
    #expect(result.stderr.contains("logwindow: 3 lines, 1 rejected, 2 records written, \(input.utf8.count) bytes in "))
  }

  @Test func helpListsTheOptions() throws {
    let help = try Shell.run("logwindow --help")
    #expect(help.status == 0)
    for option in ["--every", "--window", "--session", "--lateness", "--late", "--idle", "--by", "--aggregate", "--where",
                   "--max-groups", "--emit", "--partial", "--merge", "--rejects", "--line-buffered"] {
      #expect(help.stdout.contains(option), "\(option)")
    }
    let man = try Shell.run("logwindow --generate man")
    #expect(man.stdout.contains("\n.TH \"LOGWINDOW\" 1"))
  }
}

@Suite struct LogWindowExampleTests {
  func run(_ example: String, _ args: String = "") throws -> [[String: Any]] {
    let result = try Shell.run("$ROOT/examples/\(example) \(args)")
    #expect(result.status == 0, "\(example): \(result.stderr)")
    return decodeNDJSON(result.stdout)
  }

  func counts(_ records: [[String: Any]], by key: (([String: Any]) -> String?)) -> [String: Int] {
    var counts: [String: Int] = [:]
    for r in records { if let k = key(r) { counts[k, default: 0] += 1 } }
    return counts
  }

  @Test func topURLs() throws {
    let records = try LogWindowTests.fixtureRecords("access.ndjson")
    let out = try run("top-urls.sh")
    #expect(out.count == 1)
    #expect(out.first?["requests"] as? Int == records.count)
    let top = out.first?["top_urls"] as? [[String: Any]] ?? []
    let truth = counts(records) { $0["path"] as? String }
    #expect(top.count == 10)
    for entry in top { #expect(entry["count"] as? Int == truth[entry["value"] as? String ?? ""]) }
    let sortedCounts = truth.values.sorted(by: >)
    #expect(top.map { $0["count"] as? Int ?? 0 } == Array(sortedCounts.prefix(10)))
  }

  @Test func busiestHours() throws {
    let records = try LogWindowTests.fixtureRecords("access.ndjson")
    let truth = counts(records) { ($0["time"] as? String).map { String($0.prefix(13)) } }
    let out = try run("busiest-hours.sh")
    #expect(out.count == min(5, truth.count))
    #expect(out.map { $0["requests"] as? Int ?? 0 } == Array(truth.values.sorted(by: >).prefix(5)))
    let busiest = truth.max { $0.value < $1.value }?.key ?? ""
    #expect((out.first?["start"] as? String)?.hasPrefix(busiest) == true)
  }

  @Test func errorProneURLs() throws {
    let records = try LogWindowTests.fixtureRecords("access.ndjson")
    let truth = counts(records) { ($0["status"] as? Int ?? 0) >= 500 ? $0["path"] as? String : nil }
    let out = try run("error-prone-urls.sh")
    #expect(!truth.isEmpty)
    #expect(out.count == truth.count)
    for o in out { #expect(o["errors"] as? Int == truth[o["path"] as? String ?? ""]) }
    #expect(out.map { $0["errors"] as? Int ?? 0 } == out.map { $0["errors"] as? Int ?? 0 }.sorted(by: >))
  }

  @Test func suspiciousClients() throws {
    let out = try run("suspicious-clients.sh")
    #expect(!out.isEmpty)
    for o in out { #expect((o["not_found"] as? Int ?? 0) >= 10) }
    let records = try LogWindowTests.fixtureRecords("access.ndjson")
    let scanner = out.first?["client"] as? String ?? ""
    let probed = Set(records.filter { $0["client"] as? String == scanner && $0["status"] as? Int == 404 }.compactMap { $0["path"] as? String })
    #expect(out.first?["probed"] as? Int ?? 0 >= 1)
    #expect(out.first?["probed"] as? Int ?? 0 <= probed.count + 1)
  }

  @Test func sessionsPerUser() throws {
    let records = try LogWindowTests.fixtureRecords("clickstream.ndjson")
    let out = try run("sessions-per-user.sh")
    #expect(out.reduce(0) { $0 + ($1["events"] as? Int ?? 0) } == records.count)
    let purchases = records.filter { $0["action"] as? String == "purchase" }
    #expect(out.reduce(0) { $0 + ($1["conversions"] as? Int ?? 0) } == purchases.count)
    let revenue = purchases.reduce(0.0) { $0 + ($1["amount"] as? Double ?? 0) }
    #expect(abs(out.reduce(0.0) { $0 + ($1["revenue"] as? Double ?? 0) } - revenue) < 1e-9)
    #expect(revenue > 0)
    // Every user's sessions are separated by at least 30 minutes of silence.
    let users = Set(records.compactMap { $0["user"] as? String })
    #expect(Set(out.compactMap { $0["user"] as? String }) == users)
    #expect(out.count > users.count)
  }

  @Test func examplesTakeAFileArgument() throws {
    let result = try Shell.run("head -20 $FIXTURES/logwindow/access.ndjson > part.ndjson && $ROOT/examples/top-urls.sh part.ndjson")
    #expect(decodeNDJSON(result.stdout).first?["requests"] as? Int == 20)
  }
}
