/*
 logdash end to end: the built binary on the fixtures and in real pipelines
 (logparse | logdash), the text summary, bad input, the HTML report written
 atomically and escaped, --serve answered over loopback by curl (page, SSE,
 read-only) without a stalled client holding up the input, the terminal in
 tmux (panels, resize, keys, restored on q), and examples/live.sh.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct LogDashTests {
  static let pipeline = "$FIXTURES/logdash/pipeline.ndjson"
  static let hostile = "$FIXTURES/logdash/hostile-access.ndjson"

  @Test func summaryAtEndOfInputWhenNotATerminal() throws {
    let result = try Shell.run("logdash < \(Self.pipeline)")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let text = result.stdout
    #expect(text.hasPrefix("logdash summary 2025-07-01T00:01:00Z .. 2025-07-01T00:30:00Z"))
    #expect(text.contains("input: 90 window records, 4 alert events, 4 scale decisions, 0 access records; 0 rejected, 0 late"))
    // Requests: the sum of every window record's count, computed here.
    let records = decodeNDJSON(try String(contentsOfFile: Shell.fixture("logdash/pipeline.ndjson"), encoding: .utf8))
    let total = records.compactMap { $0["start"] != nil && $0["alert"] == nil ? $0["count"] as? Int : nil }.reduce(0, +)
    let formatted = total.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
    #expect(text.contains("requests: \(formatted),"), "expected \(formatted)")
    #expect(text.contains("FIRING slow_api path=/api/items"))
    #expect(text.contains("scaling: 3 replicas after 4 decisions"))
  }

  @Test func accessRecordsFromLogparseAlone() throws {
    let result = try Shell.run("cat $FIXTURES/logwindow/access.ndjson | logdash --every 1h --top 3")
    #expect(result.status == 0, "\(result.stderr)")
    let records = decodeNDJSON(try String(contentsOfFile: Shell.fixture("logwindow/access.ndjson"), encoding: .utf8))
    #expect(result.stdout.contains("\(records.count) access records"))
    #expect(result.stdout.contains("most 4xx/5xx by path (whole run)") == records.contains { ($0["status"] as? Int ?? 0) >= 400 })
  }

  @Test func badInputIsReportedCountedAndStrictFails() throws {
    let input = "{\"start\":\"2025-07-01T00:00:00Z\",\"end\":\"2025-07-01T00:01:00Z\",\"count\":3}\nnot json\n{\"x\":1}\n"
    let result = try Shell.run("logdash --rejects bad.txt; cat bad.txt", stdin: input)
    #expect(result.status == 0)
    #expect(result.stdout.contains("; 2 rejected, 0 late"))
    #expect(result.stdout.hasSuffix("not json\n{\"x\":1}\n"))
    #expect(result.stderr.contains("<stdin>:2: invalid JSON"))
    #expect(result.stderr.contains("<stdin>:3: not a window record"))
    #expect(result.stderr.contains("logdash: 2 of 3 input lines rejected"))
    let strict = try Shell.run("logdash --strict", stdin: input)
    #expect(strict.status == 1)
    let usage = try Shell.run("logdash --top 0 --summary", stdin: "")
    #expect(usage.status == 2 && usage.stderr.hasPrefix("logdash: "))
    let address = try Shell.run("logdash --serve nowhere", stdin: "")
    #expect(address.status == 2 && address.stderr.contains("invalid --serve"))
  }

  @Test func periodicSummaries() throws {
    let result = try Shell.run("(cat \(Self.pipeline); sleep 1.2; cat \(Self.pipeline)) | logdash --every-report 300ms")
    #expect(result.status == 0, "\(result.stderr)")
    let count = result.stdout.components(separatedBy: "logdash summary").count - 1
    #expect(count >= 3, "\(count) summaries")
  }

  @Test func htmlReportIsWrittenAtomicallyAndEscaped() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("logdash --html report.html \(Self.hostile) && ls", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "report.html\n", "no temporary files left: \(result.stdout)")
    #expect(result.stderr == "logdash: report written to report.html\n")
    let page = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>") && page.hasSuffix("</html>\n"))
    #expect(!page.contains("<script") && !page.contains("<img") && !page.contains("http-equiv=\"refresh\""))
    #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(page.contains("data-k=\"access-records\">120<"))
  }

  @Test func htmlReportIsRewrittenWhileInputRuns() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      (cat \(Self.pipeline); sleep 1.5; cat \(Self.pipeline)) | logdash --html report.html --html-every 200ms &
      sleep 0.8; grep -c 'http-equiv="refresh"' report.html; grep -o 'data-k="window-records">[0-9]*' report.html
      wait; grep -c 'http-equiv="refresh"' report.html; grep -o 'data-k="window-records">[0-9]*' report.html
      """, in: dir)
    #expect(result.stdout == "1\ndata-k=\"window-records\">90\n0\ndata-k=\"window-records\">180\n", "\(result.stdout) \(result.stderr)")
  }

  @Test(.enabled(if: Shell.has("curl"), "needs curl"))
  func serveAnswersOverLoopbackAndPushesUpdates() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      mkfifo in.fifo
      env --default-signal=INT logdash --serve 127.0.0.1:0 in.fifo 2> err.txt & pid=$!
      exec 3> in.fifo
      cat \(Self.pipeline) >&3
      for i in 1 2 3 4 5 6 7 8 9 10; do grep -q serving err.txt && break; sleep 0.2; done
      port=$(sed -n 's|.*http://127.0.0.1:\\([0-9]*\\)/.*|\\1|p' err.txt)
      sleep 1.2
      echo "page $(curl -s --max-time 5 http://127.0.0.1:$port/ | grep -o 'data-k="window-records">[0-9]*')"
      echo "post $(curl -s --max-time 5 -X POST -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/)"
      echo "missing $(curl -s --max-time 5 -o /dev/null -w '%{http_code}' http://127.0.0.1:$port/nothing)"
      # A client that (almost) never reads, held open while lots of input flows.
      curl -s -N --limit-rate 1 --max-time 20 http://127.0.0.1:$port/events > /dev/null & stalled=$!
      curl -s -N --max-time 3 http://127.0.0.1:$port/events > events.txt & reader=$!
      sleep 0.5
      # If a stalled client could block logdash, this writer would stall too (timeout says so).
      timeout 60 awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\\"start\\":%d,\\"end\\":%d,\\"count\\":1}\\n", 1751400000 + i * 10, 1751400010 + i * 10 }' >&3
      echo "writer $?"
      wait $reader
      echo "events $(grep -c '^event: page' events.txt)"
      sleep 1.2
      echo "last $(curl -s --max-time 5 http://127.0.0.1:$port/ | grep -o 'data-k="window-records">[0-9]*')"
      exec 3>&-
      sleep 0.3
      kill -INT $pid; wait $pid; echo "status $?"
      kill $stalled 2>/dev/null; wait $stalled 2>/dev/null
      cat err.txt
      """, in: dir)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains("page data-k=\"window-records\">90"), "\(result.stdout)")
    #expect(lines.contains("post 405"))
    #expect(lines.contains("missing 404"))
    let events = lines.first { $0.hasPrefix("events ") }.flatMap { Int($0.dropFirst(7)) } ?? 0
    #expect(events >= 2, "an update arrived over SSE: \(result.stdout)")
    // With a stalled client attached, all 100,000 records were read.
    #expect(lines.contains("writer 0"))
    #expect(lines.contains("last data-k=\"window-records\">100090"), "\(result.stdout)")
    #expect(lines.contains("status 130"))
    #expect(result.stdout.contains("logdash: serving http://127.0.0.1:"))
  }

  @Test func liveExampleWritesTheReportOffATerminalAndStopsCleanly() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      mkdir tmp
      TMPDIR=$PWD/tmp LOGDASH_HTML=$PWD/report.html $ROOT/examples/live.sh 18 < /dev/null
      echo "status $?"
      grep -o 'data-k="[a-z-]*">[0-9,]*' report.html
      ls tmp | wc -l
      TMPDIR=$PWD/tmp LOGDASH_HTML=$PWD/second.html $ROOT/examples/live.sh 60 < /dev/null > out.txt & pid=$!
      # (A background script ignores SIGINT; Ctrl-C on a terminal reaches its trap directly.)
      sleep 2; kill -TERM $pid; wait $pid; echo "interrupted $?"
      sleep 0.2; ls tmp | wc -l
      """, in: dir)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "live.sh: ran 18s; HTML report written to \(dir)/report.html", "\(result.stdout) \(result.stderr)")
    #expect(lines.contains("status 0"))
    func panel(_ key: String) -> Int {
      let prefix = "data-k=\"\(key)\">"
      let value = lines.first { $0.hasPrefix(prefix) }.map { $0.dropFirst(prefix.count).replacingOccurrences(of: ",", with: "") }
      return value.flatMap { Int($0) } ?? 0
    }
    #expect(panel("requests") > 2000, "about 200 lines/s (400 in the spike) for 18 s: \(result.stdout)")
    // All three streams reached the dashboard: the 503 burst on /checkout from 10 s
    // fired high_5xx, the fleet scaled out of its 2 replicas in the first window.
    #expect(panel("alert-events") >= 1, "\(result.stdout)")
    #expect(panel("scale-decisions") >= 1, "\(result.stdout)")
    #expect(lines.contains("interrupted 143"))
    // The FIFO folders are gone after both runs.
    #expect(lines.filter { $0 == "0" }.count == 2, "\(result.stdout)")
    // No stage outlives the script.
    let stray = try Shell.run("ps -eo args | grep -c '[l]ogkit-live' || true")
    #expect(stray.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "stray stages: \(stray.stdout)")
  }

  static let chromium: String? = ["chromium", "chromium-browser", "google-chrome", "chrome"].first { Shell.has($0) }

  /// The report and the served page in headless Chromium, driven over the DevTools
  /// protocol by scripts/browser-check: the DOM holds the panel values, the served page
  /// swaps in an update pushed over SSE within 2 s, nothing is logged as an error, and
  /// every request stays on the page's own origin (no network assets).
  @Test(.enabled(if: chromium != nil, "needs chromium (Debian's chromium package; installed by .ci/run when CI runs as root)"))
  func reportAndServedPageInHeadlessChromium() throws {
    let browser = try #require(Self.chromium)
    let dir = Shell.makeTempDirectory()
    let check = "$ROOT/scripts/browser-check --chromium \(browser)"
    let result = try Shell.run("""
      logdash --html report.html \(Self.pipeline) 2> /dev/null
      \(check) --screenshot report.png file://$PWD/report.html > report.json
      mkfifo in.fifo
      env --default-signal=INT logdash --serve 127.0.0.1:0 in.fifo 2> err.txt & pid=$!
      exec 3> in.fifo
      cat \(Self.pipeline) >&3
      for i in $(seq 50); do grep -q serving err.txt && break; sleep 0.1; done
      url=$(sed -n 's|.*\\(http://127.0.0.1:[0-9]*/\\).*|\\1|p' err.txt)
      \(check) --wait-change window-records --ready-file ready --wait-ms 5000 --screenshot served.png "$url" > served.json & check=$!
      for i in $(seq 300); do [ -e ready ] && break; sleep 0.05; done
      cat \(Self.pipeline) >&3
      wait $check
      exec 3>&-
      kill -INT $pid; wait $pid
      """, in: dir)
    #expect(result.status == 0 || result.status == 130, "\(result.stderr)")
    let report = try Self.browserReport(dir + "/report.json")
    #expect(report.values["replicas"] == "3")
    #expect(report.values["window-records"] == "90")
    #expect(!report.hasScript, "the report file runs no script")
    #expect(report.consoleErrors.isEmpty, "\(report.consoleErrors)")
    #expect(report.requests.allSatisfy { $0.hasPrefix("file://") }, "\(report.requests)")
    let served = try Self.browserReport(dir + "/served.json")
    let update = try #require(served.updateMillis, "no update arrived over SSE within 5 s")
    #expect(update <= 2000, "the update took \(update) ms")
    #expect(served.values["window-records"] == "180", "both batches shown: \(served.values)")
    #expect(served.consoleErrors.isEmpty, "\(served.consoleErrors)")
    #expect(served.requests.allSatisfy { $0.hasPrefix("http://127.0.0.1:") }, "\(served.requests)")
    for shot in ["report.png", "served.png"] {
      let size = (try? FileManager.default.attributesOfItem(atPath: dir + "/" + shot)[.size] as? Int) ?? 0
      #expect(size > 10_000, "\(shot) is a real screenshot")
    }
  }

  struct BrowserReport {
    var values: [String: String]
    var requests: [String]
    var consoleErrors: [String]
    var updateMillis: Int?
    var hasScript: Bool
  }

  /// What scripts/browser-check printed.
  static func browserReport(_ path: String) throws -> BrowserReport {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "browser-check wrote \(path)")
    return BrowserReport(
      values: object["values"] as? [String: String] ?? [:],
      requests: object["requests"] as? [String] ?? [],
      consoleErrors: object["console_errors"] as? [String] ?? [],
      updateMillis: object["update_ms"] as? Int,
      hasScript: object["has_script"] as? Bool ?? true)
  }

  /// Runs a tmux command on a private server.
  static func tmux(_ socket: String, _ arguments: String) throws -> String {
    popenOutput("tmux -L \(socket) \(arguments) 2>/dev/null")
  }

  /// stdout of `sh -c command` through popen(3): Foundation's Process did not reap
  /// the tmux client once tmux had forked its server, which hung the test.
  static func popenOutput(_ command: String) -> String {
    let full = "PATH='\(Shell.binDirectory)':\"$PATH\" LC_ALL=C.UTF-8 TZ=UTC; export PATH LC_ALL TZ; \(command)"
    guard let pipe = popen(full, "r") else { return "" }
    var out = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = fread(&buffer, 1, buffer.count, pipe)
      if n <= 0 { break }
      out += buffer[0..<n]
    }
    pclose(pipe)
    return String(decoding: out, as: UTF8.self)
  }

  @Test(.enabled(if: Shell.has("tmux"), "needs tmux (installed by .ci/run when CI runs as root)"))
  func terminalDashboardInTmux() throws {
    let socket = "logdash-test-\(getpid())-\(Int.random(in: 0..<1_000_000))"
    defer { _ = Self.popenOutput("tmux -L \(socket) kill-server > /dev/null 2>&1") }
    let dir = Shell.makeTempDirectory()
    let script = """
      logdash \(Shell.fixture("logdash/pipeline.ndjson"))
      echo "EXITED $?"
      stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon
      sleep 30

      """
    try script.write(toFile: dir + "/run.sh", atomically: true, encoding: .utf8)
    _ = Self.popenOutput("tmux -L \(socket) -f /dev/null new-session -d -x 100 -y 30 'sh \(dir)/run.sh' < /dev/null > /dev/null 2>&1")
    func capture() throws -> String { try Self.tmux(socket, "capture-pane -p") }
    func waitFor(_ text: String) throws -> String {
      var screen = ""
      for _ in 0..<50 {
        screen = try capture()
        if screen.contains(text) { return screen }
        usleep(100_000)
      }
      return screen
    }
    var screen = try waitFor("Totals and input")
    for panel in ["logdash", "Requests/s", "Error ratio", "Latency p95", "Top paths", "/checkout", "Alerts: 1 firing",
                  "slow_api path=/api/items", "Replicas: 3 (4 decisions)", "requests 59,"] {
      #expect(screen.contains(panel), "\(panel) on screen:\n\(screen)")
    }
    #expect(try Self.tmux(socket, "display -p '#{alternate_on}'") == "1\n")
    _ = try Self.tmux(socket, "resize-window -x 40 -y 10")
    screen = try waitFor("FIRING 1")
    #expect(screen.contains("FIRING 1: slow_api"), "compact view after resize:\n\(screen)")
    #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 40 })
    _ = try Self.tmux(socket, "resize-window -x 100 -y 30")
    _ = try waitFor("Top paths")
    _ = try Self.tmux(socket, "send-keys t")
    screen = try waitFor("Top clients")
    #expect(screen.contains("Top clients"), "t switches the panel:\n\(screen)")
    _ = try Self.tmux(socket, "send-keys q")
    screen = try waitFor("icanon")
    #expect(screen.contains("EXITED 0"), "\(screen)")
    #expect(screen.contains("\nicanon") || screen.hasPrefix("icanon"), "terminal mode restored:\n\(screen)")
    #expect(try Self.tmux(socket, "display -p '#{alternate_on},#{cursor_flag}'") == "0,1\n")
  }

}
