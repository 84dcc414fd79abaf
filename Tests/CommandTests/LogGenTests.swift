// loggen end to end: determinism, formats, incidents against the truth file, replay, pipes.
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct LogGenTests {
  private let sim = "loggen --start 2025-07-01T00:00:00Z"

  @Test func seededRunsAreByteIdenticalAndSeedsDiffer() throws {
    let a = try Shell.run("\(sim) --seed 7 --count 5000 --incident 'errors path=/checkout at=5s for=10s' | cksum")
    let b = try Shell.run("\(sim) --seed 7 --count 5000 --incident 'errors path=/checkout at=5s for=10s' | cksum")
    let c = try Shell.run("\(sim) --seed 8 --count 5000 --incident 'errors path=/checkout at=5s for=10s' | cksum")
    #expect(a.status == 0 && a.stdout == b.stdout)
    #expect(a.stdout != c.stdout)
  }

  /// --rate max changes only how fast the simulated clock runs (the requests stay the
  /// same), and the formats share one random stream: the same seed gives the same requests
  /// (client, target, status; incidents included) in every format. Read here with awk,
  /// independently of logparse.
  @Test func formatsShareOneRandomStream() throws {
    let run = "\(sim) --seed 7 --count 5000 --incident 'errors path=/checkout status=503 ratio=0.7 at=5s for=10s'"
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      \(run) --format json > paced.ndjson
      \(sim) --seed 7 --count 5000 --format json | cut -d, -f2- > paced-untimed.txt
      \(sim) --seed 7 --count 5000 --format json --rate max | cut -d, -f2- > max-untimed.txt
      cmp paced-untimed.txt max-untimed.txt && echo same-requests
      \(run) --format combined | awk '{ print $1, $7, $9 }' > combined.txt
      \(run) --format common | awk '{ print $1, $7, $9 }' > common.txt
      \(run) --format vhost_combined | awk '{ print $2, $8, $10 }' > vhost_combined.txt
      \(run) --format nginx | awk '{ print $1, $7, $9 }' > nginx.txt
      \(run) --format w3c | awk '!/^#/ { print $9, $5 ($6 == "-" ? "" : "?" $6), $14 }' > w3c.txt
      """, in: dir)
    #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
    #expect(result.stdout == "same-requests\n")
    let requests = decodeNDJSON(try Data(contentsOf: URL(fileURLWithPath: dir + "/paced.ndjson"))).map { r in
      let query = (r["query"] as? String).map { "?" + $0 } ?? ""
      return "\(r["client"] as? String ?? "?") \(r["path"] as? String ?? "?")\(query) \(r["status"] as? Int ?? -1)"
    }
    #expect(requests.count == 5000)
    #expect(requests.contains { $0.hasSuffix(" 503") }, "the incident's 503s are in the stream")
    for format in ["combined", "common", "vhost_combined", "nginx", "w3c"] {
      let lines = try String(contentsOfFile: dir + "/\(format).txt", encoding: .utf8).split(separator: "\n").map(String.init)
      #expect(lines.count == requests.count, "\(format)")
      let first = zip(lines, requests).enumerated().first { $0.element.0 != $0.element.1 }
      #expect(first == nil, "\(format) request \((first?.offset ?? 0) + 1): \(first?.element.0 ?? "") vs json \(first?.element.1 ?? "")")
    }
  }

  private static let ip = #"(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]+)"#
  private static let clf = #"\#(ip) - (-|[a-z]+) \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\] "(GET|POST) /[^ "]* HTTP/[12]\.[01]" [1-5]\d\d \d+"#
  private static let tail = #" "[^"]*" "[^"]+""#

  @Test(arguments: [
    ("combined", "^" + clf + tail + "$"),
    ("common", "^" + clf + "$"),
    ("vhost_combined", #"^[a-z.]+:(80|443) "# + clf + tail + "$"),
    ("nginx", "^" + clf + tail + #" \d+\.\d{3}$"#),
    ("w3c", #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 10\.0\.0\.5 (GET|POST) /\S* \S+ (80|443) \S+ \#(ip) HTTP/[12]\.[01] \S+ \S+ [a-z.]+ [1-5]\d\d \d+ \d+$"#),
  ])
  func linesAreWellFormed(format: String, pattern: String) throws {
    let result = try Shell.run("\(sim) --seed 3 --count 3000 --format \(format)")
    #expect(result.status == 0)
    let regex = try NSRegularExpression(pattern: pattern)
    var lines = result.stdoutLines
    if format == "w3c" {
      #expect(Array(lines.prefix(4).map { $0.split(separator: ":").first.map(String.init) ?? "" }) == ["#Software", "#Version", "#Date", "#Fields"])
      lines.removeFirst(4)
    }
    #expect(lines.count == 3000)
    for line in lines {
      let range = NSRange(line.startIndex..., in: line)
      #expect(regex.firstMatch(in: line, range: range) != nil, "\(format): \(line)")
    }
  }

  @Test func jsonRecordsCarryTheSchema() throws {
    let result = try Shell.run("\(sim) --seed 3 --count 2000 --format json")
    let records = decodeNDJSON(result.stdout)
    #expect(records.count == 2000)
    for r in records {
      for key in ["time", "client", "method", "path", "protocol", "status", "bytes", "request_time"] {
        #expect(r[key] != nil, "missing \(key)")
      }
      #expect((r["time"] as? String)?.hasSuffix("Z") == true)
      #expect(r.values.allSatisfy { ($0 as? String) != "-" })
    }
    // The same seed gives the same requests in every format.
    let combined = try Shell.run("\(sim) --seed 3 --count 2000")
    let first = try #require(combined.stdoutLines.first)
    #expect(first.hasPrefix("\(records[0]["client"] as? String ?? "?") "))
    #expect(first.contains(" \(records[0]["bytes"] as? Int ?? -1) "))
  }

  @Test func errorBurstIsWhereTheTruthSaysItIs() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run(
      "\(sim) --seed 5 --rate 400 --duration 6m --format json --incident 'errors path=/checkout status=503 ratio=0.7 at=2m for=2m' --incident 'scanner rate=30 at=4m30s for=30s' --truth truth.ndjson > out.ndjson && cat truth.ndjson",
      in: dir)
    #expect(result.status == 0)
    let truth = decodeNDJSON(result.stdout)
    #expect(truth.count == 2)
    let errors = try #require(truth.first { $0["kind"] as? String == "errors" })
    #expect(errors["path"] as? String == "/checkout" && errors["status"] as? Int == 503)
    let start = try #require(errors["start"] as? String)
    let end = try #require(errors["end"] as? String)
    #expect(start == "2025-07-01T00:02:00Z" && end == "2025-07-01T00:04:00Z")
    let records = decodeNDJSON(try String(contentsOfFile: dir + "/out.ndjson", encoding: .utf8))
    func ratio(_ inside: Bool) -> Double {
      let hits = records.filter { r in
        guard r["path"] as? String == "/checkout", let t = r["time"] as? String else { return false }
        return (t >= start && t < end) == inside
      }
      #expect(hits.count > 20, "too few /checkout requests \(inside ? "inside" : "outside") the burst")
      return Double(hits.filter { ($0["status"] as? Int ?? 0) >= 500 }.count) / Double(max(hits.count, 1))
    }
    #expect(ratio(true) > 0.5)
    #expect(ratio(false) < 0.1)
    let scanner = try #require(truth.first { $0["kind"] as? String == "scanner" })
    let client = try #require(scanner["client"] as? String)
    let scans = records.filter { $0["client"] as? String == client }
    #expect(scans.count > 500)
    #expect(scans.allSatisfy { ($0["time"] as? String ?? "") >= "2025-07-01T00:04:30Z" && ($0["time"] as? String ?? "") < "2025-07-01T00:05:00Z" })
    #expect(Double(scans.filter { $0["status"] as? Int == 404 }.count) / Double(scans.count) > 0.8)
  }

  @Test func spikeAndOutageChangeTheRate() throws {
    let result = try Shell.run(
      "\(sim) --seed 2 --rate 100 --duration 5m --incident 'spike factor=4 at=1m for=1m' --incident 'outage at=3m for=1m' | cut -c1-200 | sed 's/.*\\[01\\/Jul\\/2025:00:\\(..\\).*/\\1/' | uniq -c")
    let perMinute = result.stdoutLines.compactMap { Int($0.split(separator: " ").first ?? "") }
    #expect(perMinute.count == 5)
    #expect(perMinute[1] > 3 * perMinute[0])
    #expect(perMinute[3] * 10 < perMinute[2])
  }

  /// factor=0 means no traffic at all while the outage lasts (not one line per second).
  @Test func outageWithFactorZeroWritesNothing() throws {
    let result = try Shell.run(
      "\(sim) --seed 3 --rate 100 --duration 4m --incident 'outage mode=drop factor=0 at=1m for=2m' --truth truth.ndjson | cut -d'[' -f2 | cut -c13-17 | uniq -c; cat truth.ndjson")
    #expect(result.status == 0, "\(result.stderr)")
    let minutes = result.stdoutLines.dropLast().map { $0.split(separator: " ").map(String.init) }
    #expect(minutes.map { $0.last ?? "" } == ["00:00", "00:03"], "\(result.stdout)")
    #expect(minutes.allSatisfy { (Int($0.first ?? "") ?? 0) > 5000 }, "\(result.stdout)")
    #expect(result.stdoutLines.last?.contains(#""factor":0"#) == true, "\(result.stdout)")
  }

  /// Lines per wall-clock second of a real run, from a reader that stamps each line
  /// as it arrives (bucketed from the first line).
  private func linesPerSecond(_ command: String) throws -> (buckets: [Int], span: Double) {
    let result = try Shell.run("\(command) | while IFS= read -r line; do date +%s.%N; done")
    #expect(result.status == 0, "\(result.stderr)")
    let stamps = result.stdoutLines.compactMap(Double.init)
    guard let first = stamps.first, let last = stamps.last else { return ([], 0) }
    var buckets: [Int] = []
    for t in stamps {
      let b = Int((t - first).rounded(.down))
      while buckets.count <= b { buckets.append(0) }
      buckets[b] += 1
    }
    return (buckets, last - first)
  }

  /// A live demo at --rate 20 writes about 20 lines in every second of wall-clock time
  /// (counts per interval with generous bounds, not a benchmark).
  @Test func realClockRateIsEvenAtLowRates() throws {
    let (buckets, span) = try linesPerSecond("loggen --rate 20 --duration 3s")
    #expect(buckets.count == 3, "\(buckets)")
    #expect(buckets.dropLast().allSatisfy { (12...28).contains($0) }, "\(buckets)")
    #expect(span > 2.3, "\(span)")
  }

  /// --speedup 1 paces a slow simulated clock too: 300 lines at 100/s take about 3 s of
  /// wall-clock time, about 100 a second (before, the 64-line pacing check let them all
  /// out in a fraction of a second).
  @Test func speedupPacesSlowRates() throws {
    let (buckets, span) = try linesPerSecond("\(sim) --seed 4 --speedup 1 --rate 100 --count 300")
    #expect(span > 2 && span < 6, "\(span)")
    #expect(buckets.count >= 3, "\(buckets)")
    #expect(buckets.dropLast().allSatisfy { (50...160).contains($0) }, "\(buckets)")
  }

  @Test func scenarioFileDrivesTheRunAndReportsBadLines() throws {
    let dir = Shell.makeTempDirectory()
    let ok = try Shell.run(
      "printf '# test\\nformat common\\nseed 1\\nstart 2025-07-01T00:00:00Z\\ncount 10\\n' > s.scn && loggen --scenario s.scn | wc -l", in: dir)
    #expect(ok.status == 0 && ok.stdout.trimmingCharacters(in: .whitespaces) == "10\n")
    let bad = try Shell.run("printf 'rate 5\\n\\nincident errors ratio=3\\n' > bad.scn && loggen --scenario bad.scn", in: dir)
    #expect(bad.status == 2)
    #expect(bad.stderr.hasPrefix("loggen: bad.scn:3: invalid value '3' for ratio"))
  }

  @Test(arguments: [
    ("--rate fast", "loggen: invalid value 'fast' for --rate"),
    ("--format xml", "loggen: invalid value 'xml' for --format"),
    ("--incident 'errors ratio=2'", "loggen: invalid --incident 'errors ratio=2': invalid value '2' for ratio"),
    ("--start tomorrow", "loggen: invalid value 'tomorrow' for --start"),
  ])
  func badOptionsAreUsageErrors(arguments: String, message: String) throws {
    let result = try Shell.run("loggen \(arguments) --count 1")
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix(message))
  }

  /// Arguments are not files to loggen: a positional is a usage error, not ignored.
  @Test func positionalArgumentsAreUsageErrors() throws {
    let result = try Shell.run("loggen access.log --count 1")
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("loggen: unexpected argument 'access.log': loggen takes options only\n"), "\(result.stderr)")
  }

  /// One rule for files named by options (logkit(7) CONVENTIONS): a file that cannot be
  /// opened is a runtime failure, exit 1, whichever option names it; bad content in a
  /// settings file stays a usage error (scenarioFileDrivesTheRunAndReportsBadLines).
  @Test(arguments: [
    "loggen --scenario /nonexistent/s.scn --count 1", "loggen --replay /nonexistent/base.log --count 1",
    "loggen --truth /nonexistent/t.ndjson --count 1", "logalert --rules /nonexistent/web.rules",
    "logparse --rejects /nonexistent/bad.log", "logwindow --every 1m -a count --late /nonexistent/late.ndjson",
  ])
  func unreadableOptionFilesAreRuntimeFailures(command: String) throws {
    let result = try Shell.run(command + " < /dev/null")
    #expect(result.status == 1, "\(command): \(result.stderr)")
    let name = command.prefix { $0 != " " }
    #expect(result.stderr.hasPrefix("\(name): /nonexistent/"), "\(command): \(result.stderr)")
    #expect(result.stderr.contains("no such file or directory"), "\(result.stderr)")
  }

  @Test func replayReEmitsTheBaseInOrder() throws {
    let result = try Shell.run("\(sim) --replay \"$FIXTURES/loggen/nasa-like.log\" --in-order --count 70 --format json")
    #expect(result.status == 0)
    #expect(result.stderr.contains("loggen: \(Shell.fixture("loggen/nasa-like.log")):31: "))
    #expect(result.stderr.contains("loggen: 1 of 36 input lines of \(Shell.fixture("loggen/nasa-like.log")) rejected"))
    let paths = decodeNDJSON(result.stdout).compactMap { $0["path"] as? String }
    let base = try String(contentsOfFile: Shell.fixture("loggen/nasa-like.log"), encoding: .utf8)
      .split(separator: "\n").filter { $0.contains("\"GET ") }
      .map { line -> String in
        let target = line.split(separator: "\"")[1].split(separator: " ")[1]
        return String(target.split(separator: "?", omittingEmptySubsequences: false)[0])
      }
    #expect(paths.count == 70)
    #expect(Array(paths.prefix(base.count)) == base)
    #expect(Array(paths.dropFirst(base.count).prefix(5)) == Array(base.prefix(5)))  // wraps around
    let times = decodeNDJSON(result.stdout).compactMap { $0["time"] as? String }
    #expect(times.count == 70)
    #expect(times.allSatisfy { $0.hasPrefix("2025-07-01T") })
  }

  /// Replay reads the base with logparse's parser: in order, it re-emits exactly the values logparse reads.
  @Test(arguments: ["loggen/nasa-like.log", "nasa/NASA_access_log_Jul95.rex-sample1000.log", "apache/apache_logs"])
  func replayKeepsWhatLogparseReads(base: String) throws {
    let file: String
    if base.hasPrefix("loggen/") { file = Shell.fixture(base) } else {
      guard let data = Shell.sharedData else { try Test.cancel("needs ../shared/data for \(base)") }
      file = data + "/" + base
    }
    let parsed = decodeNDJSON(try Shell.run("logparse '\(file)' 2>/dev/null").stdout)
      .filter { $0["method"] != nil && $0["path"] != nil }
    let replayed = decodeNDJSON(
      try Shell.run("\(sim) --replay '\(file)' --in-order --count \(parsed.count) --format json 2>/dev/null").stdout)
    #expect(parsed.count > 30 && replayed.count == parsed.count)
    for (r, p) in zip(replayed, parsed) {
      for f in ["client", "user", "method", "path", "query", "protocol", "status", "referer", "user_agent"] {
        #expect(String(describing: r[f]) == String(describing: p[f]), "\(base) \(f)")
      }
      // loggen writes sizes as numbers, never `-` (which logparse leaves out).
      #expect(r["bytes"] as? Int == (p["bytes"] as? Int ?? 0))
    }
  }

  /// A JSON base (loggen's own records) replays with its request times, and replayed text
  /// with quotes and backslashes survives a trip through combined and logparse.
  @Test func replayOfAJSONBase() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run(
      #"\#(sim) --seed 9 --count 3000 --format json > base.ndjson && printf '%s\n' '{"client":"::1","method":"GET","path":"/q","status":200,"bytes":0,"user_agent":"a \"b\" \\ c","request_time":0.002}' >> base.ndjson && \#(sim) --replay base.ndjson --in-order --count 3001 --format json > replayed.ndjson && \#(sim) --replay base.ndjson --in-order --count 3001 | logparse --strict > reparsed.ndjson"#,
      in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let base = decodeNDJSON(try String(contentsOfFile: dir + "/base.ndjson", encoding: .utf8))
    let replayed = decodeNDJSON(try String(contentsOfFile: dir + "/replayed.ndjson", encoding: .utf8))
    let reparsed = decodeNDJSON(try String(contentsOfFile: dir + "/reparsed.ndjson", encoding: .utf8))
    #expect(base.count == 3001 && replayed.count == 3001 && reparsed.count == 3001)
    let fields = ["client", "user", "method", "path", "query", "protocol", "status", "bytes", "referer", "user_agent"]
    for (r, b) in zip(replayed, base) {
      // vhost and port come from the base when it has them (the hand-written last line has none).
      let kept = fields + ["request_time"] + (b["vhost"] != nil ? ["vhost", "port"] : [])
      for f in kept { #expect(String(describing: r[f]) == String(describing: b[f]), "\(f)") }
    }
    for (r, b) in zip(reparsed, base) {
      for f in fields { #expect(String(describing: r[f]) == String(describing: b[f]), "\(f)") }
    }
    #expect(reparsed.last?["user_agent"] as? String == #"a "b" \ c"#)
  }

  @Test func replayFormatOptionsReachTheParser() throws {
    let nginx = #"$remote_addr [$time_local] "$request" $status $body_bytes_sent"#
    let result = try Shell.run(
      "printf '1.2.3.4 [01/Jul/1995:00:00:01 -0400] \"GET /x HTTP/1.0\" 200 5\\n' > b.log && \(sim) --replay b.log --replay-nginx-format '\(nginx)' --count 2 --format common && \(sim) --replay b.log --count 1",
      in: Shell.makeTempDirectory())
    #expect(result.stdoutLines.count == 2 && result.stdoutLines.allSatisfy { $0.hasPrefix("1.2.3.4 - - [01/Jul/2025:00:00:00 +0000] \"GET /x HTTP/1.0\" 200 5") })
    #expect(result.status == 1 && result.stderr.contains("no requests to replay"))
    let bad = try Shell.run("\(sim) --replay x --replay-format json --replay-apache-format '%h'")
    #expect(bad.status == 2 && bad.stderr.hasPrefix("loggen: --replay-format cannot be combined with --replay-apache-format or --replay-nginx-format"))
  }

  @Test func replayMixesInIncidentsAndWritesToAFile() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run(
      "\(sim) --seed 6 --replay \"$FIXTURES/loggen/nasa-like.log\" --rate 20 --duration 3m --format json --incident 'errors path=/shuttle status=500 ratio=1 at=1m for=1m' --output out.ndjson 2>/dev/null && cat out.ndjson",
      in: dir)
    #expect(result.status == 0)
    let records = decodeNDJSON(result.stdout)
    #expect(records.count > 2000)
    var seen = (inside: 0, outside: 0)
    for r in records where (r["path"] as? String ?? "").hasPrefix("/shuttle") {
      let t = r["time"] as? String ?? ""
      let inside = t >= "2025-07-01T00:01:00Z" && t < "2025-07-01T00:02:00Z"
      if inside { seen.inside += 1 } else { seen.outside += 1 }
      #expect(((r["status"] as? Int) == 500) == inside, "\(r)")
    }
    #expect(seen.inside > 10 && seen.outside > 10, "/shuttle requests inside and outside the incident: \(seen)")
  }

  @Test func clickstreamSessionsAreConsistent() throws {
    let result = try Shell.run("\(sim) --seed 4 --rate 50 --count 20000 --format clickstream")
    let events = decodeNDJSON(result.stdout)
    #expect(events.count == 20000)
    var userOfSession: [String: String] = [:]
    var purchases = 0
    for e in events {
      let session = e["session"] as? String ?? ""
      let user = e["user"] as? String ?? ""
      if let known = userOfSession[session] { #expect(known == user) } else { userOfSession[session] = user }
      let action = e["action"] as? String
      #expect(["view", "add_to_cart", "purchase"].contains(action ?? ""))
      if action == "purchase" {
        purchases += 1
        #expect((e["amount"] as? Double ?? 0) > 0)
      } else {
        #expect(e["course"] != nil || e["page"] != nil)
      }
    }
    let conversion = Double(purchases) / Double(userOfSession.count)
    #expect(conversion > 0.01 && conversion < 0.15)
  }

  /// --stats is logparse's line: the counts are the real ones (bytes as wc -c counts them).
  @Test func statsLineOnStderr() throws {
    let result = try Shell.run("{ \(sim) --seed 1 --count 1234 --stats | wc -c; } 2>&1")
    let lines = result.stdoutLines
    #expect(result.status == 0 && lines.count == 2)
    let bytes = try #require(lines.first { !$0.hasPrefix("loggen:") }?.trimmingCharacters(in: .whitespaces))
    let stats = try #require(lines.first { $0.hasPrefix("loggen:") })
    let regex = try NSRegularExpression(pattern: #"^loggen: 1234 lines, "# + bytes + #" bytes in \d+\.\d{3} s \(\d+ lines/s, \d+ MB/s\)$"#)
    #expect(regex.firstMatch(in: stats, range: NSRange(stats.startIndex..., in: stats)) != nil, "\(stats)")
    #expect(try Shell.run("\(sim) --count 10").stderr.isEmpty)
  }

  @Test func quietOnBrokenPipe() throws {
    let result = try Shell.run("{ loggen --rate max; echo $? > rc; } | head -1; cat rc")
    #expect(result.stdoutLines.count == 2)
    #expect(result.stdoutLines.last == "0")
    #expect(result.stderr.isEmpty)
  }

  @Test func interruptFlushesCompleteLines() throws {
    let result = try Shell.run("env --default-signal=INT loggen --rate 200 > out.log & pid=$!; sleep 1; kill -INT $pid; wait $pid; echo $?; wc -l < out.log; tail -c 1 out.log | od -An -c")
    let lines = result.stdoutLines
    #expect(lines.first == "130")
    #expect((Int(lines.dropFirst().first?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0) > 50)
    #expect(lines.last?.contains("\\n") == true)
  }

  /// Every format must parse back into the values loggen meant: 100k lines each,
  /// compared field by field with `--format json` of the same seed.
  @Test(arguments: [
    ("combined", "--format combined"), ("common", "--format common"), ("vhost_combined", "--format vhost_combined"),
    ("nginx", "--nginx-format '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time'"),
    ("w3c", "--format w3c"), ("combined", ""),
  ])
  func roundTripsThroughLogparse(format: String, parseArguments: String) throws {
    let dir = Shell.makeTempDirectory()
    let count = 100_000
    let run = try Shell.run(
      "\(sim) --seed 11 --count \(count) --format \(format) | logparse --strict \(parseArguments) > parsed.ndjson && \(sim) --seed 11 --count \(count) --format json > expected.ndjson",
      in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let parsed = decodeNDJSON(try String(contentsOfFile: dir + "/parsed.ndjson", encoding: .utf8))
    let expected = decodeNDJSON(try String(contentsOfFile: dir + "/expected.ndjson", encoding: .utf8))
    #expect(parsed.count == count && expected.count == count)
    var fields = ["time", "client", "user", "method", "path", "query", "protocol", "status", "bytes"]
    if format != "common" { fields += ["referer", "user_agent"] }
    if format == "nginx" || format == "w3c" { fields.append("request_time") }
    if format == "vhost_combined" || format == "w3c" { fields += ["vhost", "port"] }
    // IIS writes spaces as `+` and logparse reads `+` back as a space in these columns, so a
    // literal `+` (Googlebot's `+http://...`) comes back as a space: compare after that mapping.
    let iisMapped: Set<String> = format == "w3c" ? ["referer", "user_agent"] : []
    var mismatches: [String: (count: Int, first: String)] = [:]
    for (p, e) in zip(parsed, expected) {
      for f in fields {
        var want = String(describing: e[f])
        if iisMapped.contains(f) { want = want.replacingOccurrences(of: "+", with: " ") }
        let got = String(describing: p[f])
        if got != want { mismatches[f, default: (0, "\(got) vs \(want)")].count += 1 }
      }
    }
    #expect(mismatches.isEmpty, "\(format): \(mismatches)")
  }
}

@Suite struct LogGenExampleTests {
  @Test func demoScriptShowsTheIncidents() throws {
    let result = try Shell.run("sh \"$ROOT/examples/loggen-demo.sh\"")
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdoutLines
    #expect(lines.filter { $0.hasPrefix("{\"kind\":") }.count == 2)
    // The minutes of the error burst (00:03, 00:04) have 5xx on /checkout; the others none.
    #expect(lines.contains("== per minute: lines, 5xx on /checkout, 404s"), "no per-minute table")
    let table = lines.drop { !$0.hasPrefix("== per minute") }.dropFirst()
    #expect(table.map { String($0.prefix(5)) } == (0..<10).map { "00:0\($0)" }, "one row per minute: \(Array(table))")
    for row in table {
      let cols = row.split(separator: " ")
      try #require(cols.count == 4, "\(row)")
      #expect((Int(cols[1]) ?? 0) > 1000, "50 lines/s: \(row)")
      let errors = Int(cols[2]) ?? -1
      #expect(["00:03", "00:04"].contains(String(cols[0])) ? errors > 0 : errors == 0, "\(row)")
    }
  }
}
