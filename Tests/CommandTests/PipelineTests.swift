/*
 End-to-end tests of whole pipelines, loggen | logparse | logwindow, through
 /bin/sh with the built binaries: incidents found where the truth file says,
 sharded partial aggregation merged back, named FIFOs, `| head`, live latency,
 SIGINT, write errors, progress on a terminal, and the quickstart example.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite struct PipelineTests {
  /// Ten simulated minutes at 200 lines/s, 60% 503s on /checkout from minute 3 to 7.
  static let generate = """
    loggen --seed 7 --start 2025-07-01T00:00:00Z --rate 200 --duration 10m --format nginx \
      --incident 'errors path=/checkout status=503 ratio=0.6 at=3m for=4m' --truth truth.ndjson
    """
  static let aggregates = #"-a count -a errors='count_if(status>=500)' -a 'p95(request_time)' -a 'distinct(client)' -a 'sum(bytes)' -a 'min(bytes)' -a 'max(bytes)'"#


  static func date(_ value: Any?) -> Date? {
    guard let text = value as? String else { return nil }
    return ISO8601DateFormatter().date(from: text)
  }

  @Test func errorWindowsMatchTheTruthFile() throws {
    let result = try Shell.run("""
      \(Self.generate) | logparse | logwindow --every 1m --where 'startswith(path, "/checkout")' \
        -a count -a errors='count_if(status>=500)'
      echo '--- truth'; cat truth.ndjson
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let parts = result.stdout.components(separatedBy: "--- truth\n")
    try #require(parts.count == 2)
    let windows = decodeNDJSON(parts[0])
    let truth = decodeNDJSON(parts[1]).filter { $0["kind"] as? String == "errors" }
    try #require(truth.count == 1)
    let start = try #require(Self.date(truth[0]["start"]))
    let end = try #require(Self.date(truth[0]["end"]))
    #expect(windows.count == 10)
    var high = 0
    for window in windows {
      let from = try #require(Self.date(window["start"]))
      let to = try #require(Self.date(window["end"]))
      let count = try #require(window["count"] as? Int)
      let errors = try #require(window["errors"] as? Int)
      #expect(count > 20, "too little /checkout traffic to judge: \(window)")
      let rate = Double(errors) / Double(max(count, 1))
      if from >= start && to <= end {
        #expect(rate > 0.35, "inside the incident: \(window)")
        high += 1
      } else if to <= start.addingTimeInterval(-60) || from >= end.addingTimeInterval(60) {
        #expect(rate < 0.15, "outside the incident: \(window)")
      }
    }
    #expect(high == 4)
  }

  @Test func fourMergedShardsEqualOneProcess() throws {
    let window = "--every 1m --by path \(Self.aggregates)"
    let result = try Shell.run("""
      \(Self.generate) | logparse > parsed.ndjson
      for k in 0 1 2 3; do
        awk -v k=$k 'NR % 4 == k' parsed.ndjson | logwindow --partial \(window) > shard$k.ndjson
      done
      cat shard0.ndjson shard1.ndjson shard2.ndjson shard3.ndjson | logwindow --merge > merged.ndjson
      logwindow \(window) parsed.ndjson > single.ndjson
      wc -l < parsed.ndjson; cat merged.ndjson; echo '--- single'; cat single.ndjson
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let parts = result.stdout.components(separatedBy: "--- single\n")
    try #require(parts.count == 2)
    var mergedText = parts[0]
    let firstLine = mergedText.prefix { $0 != "\n" }
    let records = try #require(Int(firstLine.trimmingCharacters(in: .whitespaces)))
    mergedText.removeFirst(firstLine.count + 1)
    let merged = decodeNDJSON(mergedText)
    let single = decodeNDJSON(parts[1])
    #expect(single.count > 100)
    #expect(single.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == records)
    #expect(merged.count == single.count)
    func key(_ r: [String: Any]) -> String { "\(r["start"] ?? "") \(r["path"] ?? "")" }
    let byKey = Dictionary(merged.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
    for one in single {
      guard let other = byKey[key(one)] else {
        Issue.record("missing after merge: \(key(one))")
        continue
      }
      #expect(Set(one.keys) == Set(other.keys))
      for field in ["end", "count", "errors", "sum_bytes", "min_bytes", "max_bytes"] {
        #expect(String(describing: one[field]) == String(describing: other[field]), "\(key(one)) \(field)")
      }
      // Sketches: DDSketch relative error 1%, HyperLogLog standard error 0.81%.
      if let a = one["p95_request_time"] as? Double {
        let b = try #require(other["p95_request_time"] as? Double, "\(key(one))")
        #expect(abs(a - b) <= 0.02 * abs(a), "\(key(one)) p95 \(a) vs \(b)")
      } else {
        #expect(other["p95_request_time"] is NSNull, "\(key(one))")
      }
      let a = try #require(one["distinct_client"] as? Int)
      let b = try #require(other["distinct_client"] as? Int)
      #expect(abs(a - b) <= max(1, a / 25), "\(key(one)) distinct \(a) vs \(b)")
    }
  }

  @Test func namedFIFOsBetweenEveryStageEqualPipes() throws {
    let window = "logwindow --every 1m --by path \(Self.aggregates)"
    let result = try Shell.run("""
      \(Self.generate) | logparse | \(window) > piped.ndjson
      mkfifo raw parsed
      \(Self.generate) > raw &
      logparse raw > parsed &
      \(window) parsed > fifo.ndjson
      wait
      cmp piped.ndjson fifo.ndjson && echo same
      wc -l < fifo.ndjson
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    #expect(result.stdoutLines.first == "same")
    #expect((Int(result.stdoutLines.last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0) > 100)
  }

  @Test func headEndsEveryStageQuietly() throws {
    // POSIX sh has no pipefail: each stage records its status and stderr.
    let result = try Shell.run("""
      { loggen --rate max 2> e1; echo $? > s1; } |
        { logparse 2> e2; echo $? > s2; } |
        { logwindow --every 1s -a count 2> e3; echo $? > s3; } | head -1
      echo "status $(cat s1) $(cat s2) $(cat s3)"
      cat e1 e2 e3
      """)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdoutLines
    try #require(lines.count == 2, "\(result.stdout)")
    let window = decodeNDJSON(lines[0])
    #expect((window.first?["count"] as? Int ?? 0) > 0)
    #expect(lines[1] == "status 0 0 0")
  }

  @Test func liveWindowsArriveWhileTheProducerRuns() throws {
    // Each stage writes its pid, so the test can stop exactly the processes it started.
    let result = try Shell.run("""
      sh -c 'echo $$ > p1; exec loggen --rate 20 --duration 60s' |
        sh -c 'echo $$ > p2; exec logparse' |
        sh -c 'echo $$ > p3; exec logwindow --every 1s --idle 1s -a count' > out &
      i=0
      while [ ! -s out ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
      kill -0 "$(cat p1)" && echo producer-running
      # Read before stopping: on SIGTERM logwindow writes its open windows anyway.
      head -1 out > first
      kill "$(cat p1)" "$(cat p2)" "$(cat p3)" 2> /dev/null
      wait
      cat first
      """)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdoutLines
    try #require(lines.count == 2, "no window before the timeout: \(result.stdout) \(result.stderr)")
    #expect(lines[0] == "producer-running")
    #expect((decodeNDJSON(lines[1]).first?["count"] as? Int ?? 0) > 0)
  }

  /// SIGINT to every stage at once (one kill(2) to the pipeline's own process group, as
  /// Ctrl-C does; the shells ignore it): each stage flushes and exits 130, or 0 when the
  /// stage after it had already gone (a closed pipe is a quiet exit). logwindow, the last,
  /// always exits 130. The output holds only whole records.
  @Test(.enabled(if: Shell.has("setsid"), "needs util-linux setsid"))
  func sigintLeavesCompleteRecords() throws {
    let result = try Shell.run("""
      setsid sh -c '
        trap "" INT
        echo $$ > pgid
        # A command started with SIGINT ignored keeps ignoring it (POSIX): the stages get it back.
        { env --default-signal=INT loggen --rate 1000; echo $? > s1; } | { env --default-signal=INT logparse; echo $? > s2; } |
          tee -p parsed | { env --default-signal=INT logwindow --every 1s -a count; echo $? > s3; } > out
      ' &
      i=0
      while { [ ! -s out ] || [ ! -s pgid ]; } && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
      kill -INT "-$(cat pgid)"
      wait
      echo "$(cat s1) $(cat s2) $(cat s3)"
      tail -c 1 parsed | od -An -c | tr -d ' '
      cat out
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let lines = result.stdoutLines
    try #require(lines.count >= 3, "\(result.stdout)")
    let statuses = lines[0].split(separator: " ").map(String.init)
    #expect(statuses.count == 3)
    for status in statuses { #expect(status == "130" || status == "0", "\(lines[0])") }
    #expect(statuses.last == "130", "logwindow has no stage after it: \(lines[0])")
    // GNU tee -p (SIGINT ignored like the shells; goes on writing the file after logwindow
    // has gone) shows logparse's output also ends with a whole record.
    #expect(lines[1] == "\\n", "logparse output ends mid-record")
    #expect(result.stdout.hasSuffix("\n"))
    let records = decodeNDJSON(lines.dropFirst(2).joined(separator: "\n"))
    #expect(records.count == lines.count - 2)
    for record in records { #expect(record["count"] is Int && record["start"] is String) }
  }

  /// Record output to a full disk: exit 1 and one line naming the command and the failed
  /// write. Commands without a data run here (new ones) are still checked through --version.
  @Test(arguments: Shell.commands)
  func writeErrorExitsOne(_ command: String) throws {
    let dataRun = [
      "logparse": "logparse access.log",
      "logwindow": "logparse access.log > parsed.ndjson && logwindow --every 1m parsed.ndjson",
      "loggen": "loggen --seed 1 --start 2025-07-01T00:00:00Z --count 100000",
    ][command]
    if let dataRun {
      let result = try Shell.run("""
        loggen --seed 1 --start 2025-07-01T00:00:00Z --count 2000 > access.log
        \(dataRun) > /dev/full
        """)
      #expect(result.status == 1)
      #expect(result.stderr == "\(command): <stdout>: write failed: no space left on device\n")
    }
    let version = try Shell.run("\(command) --version > /dev/full")
    #expect(version.status == 1)
    #expect(version.stderr == "\(command): writing output failed: no space left on device\n", "\(version.stderr)")
  }

  /// A regular file's full buffers are written by a second thread: what it writes is the
  /// output in order, and its failure (here the file size limit) still exits 1 with one line.
  @Test func regularFileOutputIsWholeAndItsWriteErrorsExitOne() throws {
    let result = try Shell.run("""
      loggen --seed 1 --start 2025-07-01T00:00:00Z --count 30000 > access.log
      logparse access.log | cat > piped.ndjson
      logparse access.log > file.ndjson && cmp file.ndjson piped.ndjson && echo same
      (trap '' XFSZ; ulimit -f 1000; logparse access.log > limited.ndjson; echo "status=$?")
      wc -c < piped.ndjson
      """)
    #expect(result.stdoutLines.first == "same", "\(result.stdout) \(result.stderr)")
    #expect(Int(result.stdoutLines.last ?? "") ?? 0 > 4 << 20)  // several full buffers
    #expect(result.stdout.contains("status=1"))
    #expect(result.stderr == "logparse: <stdout>: write failed: file too large\n", "\(result.stderr)")
  }

  /// Progress shows on a terminal once a run is past a second. The first input, a FIFO
  /// written after 1.2 s, makes the run long whatever the build's speed; progress only
  /// counts regular files, so it shows while the file after it is read.
  @Test(.enabled(if: Shell.has("script"), "needs util-linux script"), arguments: ["", "--no-progress"])
  func progressOnATerminal(_ flag: String) throws {
    let result = try Shell.run("""
      loggen --seed 1 --start 2025-07-01T00:00:00Z --count 20000 > access.log
      mkfifo slow
      (sleep 1.2; echo > slow) &
      script -qec 'logparse \(flag) slow access.log > /dev/null' /dev/null > terminal
      wait
      tr '\\r' '\\n' < terminal | grep -c 'logparse: [0-9]* lines' || true
      """)
    #expect(result.status == 0, "\(result.stderr)")
    let shown = Int(result.stdoutLines.last ?? "") ?? -1
    if flag.isEmpty {
      #expect(shown >= 1, "no progress line: \(result.stdout)")
    } else {
      #expect(shown == 0, "progress despite --no-progress: \(result.stdout)")
    }
  }
}

@Suite struct PipelineExampleTests {
  @Test func quickstartFindsTheIncidents() throws {
    let result = try Shell.run("bash \"$ROOT/examples/quickstart.sh\" 100000 out && ls out")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let lines = result.stdoutLines
    #expect(lines.contains { $0.hasPrefix("generated 100000 lines, parsed 100000 records, wrote ") })
    // The minutes over 20% errors lie inside the truth file's burst and cover most of it
    // (/checkout has about 8 requests a minute here, so one minute may fall short).
    let truth = try #require(lines.first { $0.hasPrefix("truth: error burst on /checkout from ") }).split(separator: " ")
    let start = try #require(PipelineTests.date(String(truth[6])))
    let end = try #require(PipelineTests.date(String(truth[8])))
    let flagged = lines.filter { $0.hasPrefix("  2025-07-01T") }.compactMap { PipelineTests.date(String($0.dropFirst(2).prefix(20))) }
    #expect(flagged.allSatisfy { $0 >= start && $0 < end }, "\(result.stdout)")
    #expect(Double(flagged.count) >= 0.8 * end.timeIntervalSince(start) / 60, "\(result.stdout)")
    // The client with most 404s is the truth file's scanner.
    let top = lines.first { $0.contains(" not found of ") }?.split(separator: ":").first.map { $0.trimmingCharacters(in: .whitespaces) }
    let scanner = lines.first { $0.hasPrefix("truth: scanner ") }?.split(separator: " ")[2]
    #expect(top != nil && top == scanner.map(String.init))
    for file in ["access.log", "truth.ndjson", "parsed.ndjson", "windows.ndjson", "clients.ndjson"] {
      #expect(lines.contains(file))
    }
  }

  /// Every script in examples/ is executable and run by some test (this suite,
  /// LogGenExampleTests or LogWindowExampleTests).
  @Test func everyExampleIsExecutableAndTested() throws {
    let folder = Shell.packageRoot + "/examples"
    let scripts = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sh") }
    #expect(scripts.contains("quickstart.sh"))
    let tests = try FileManager.default.contentsOfDirectory(atPath: Shell.packageRoot + "/Tests/CommandTests")
      .filter { $0.hasSuffix(".swift") }
      .map { try String(contentsOfFile: Shell.packageRoot + "/Tests/CommandTests/" + $0, encoding: .utf8) }
      .joined()
    for script in scripts {
      #expect(FileManager.default.isExecutableFile(atPath: folder + "/" + script), "\(script) is not executable")
      #expect(tests.contains("examples/\(script)") || tests.contains("\"\(script)\""), "\(script) is run by no test")
    }
  }
}
