/*
 logparse end to end: the built binary in real shell pipelines, FIFOs,
 signals, full disks, slow writers, and hostile input.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite struct LogParseTests {
  static let good = #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /a?b=1 HTTP/1.1" 200 512 "-" "curl/8""#
  static let good2 = #"5.6.7.8 - - [10/Oct/2000:13:55:37 -0700] "GET /x HTTP/1.1" 404 2 "-" "curl/8""#
  /// `awk` program writing N combined lines (N in the variable n).
  static let generator = #"awk -v n=200000 'BEGIN { for (i = 0; i < n; i++) printf "10.0.%d.%d - - [10/Oct/2000:13:55:%02d -0700] \"GET /p/%d HTTP/1.1\" 200 %d \"-\" \"ua\"\n", i % 250, i % 200, i % 60, i, i }'"#

  @Test func headOneEndsQuietly() throws {
    let r = try Shell.run("\(Self.generator) > big.log && { logparse big.log 2>err.txt; echo $? > status.txt; } | head -1; cat status.txt; cat err.txt")
    let lines = r.stdoutLines
    #expect(lines.count == 2, "\(r.stdout)")
    #expect(lines.first?.hasPrefix(#"{"time":"2000-10-10T20:55:00Z","client":"10.0.0.0""#) == true)
    #expect(lines.last == "0")
  }

  @Test func readsNamedFIFO() throws {
    let r = try Shell.run("mkfifo f && { printf '%s\\n%s\\n' '\(Self.good)' '\(Self.good2)' > f & } && logparse f")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(decodeNDJSON(r.stdout).map { $0["status"] as? Int } == [200, 404])
  }

  @Test func interruptFlushesAndExits130() throws {
    let r = try Shell.run(
      // sh starts background jobs with SIGINT ignored, which a command keeps (POSIX): give it back.
      "{ printf '%s\\n' '\(Self.good)'; sleep 3; } | env --default-signal=INT logparse > out.ndjson & pid=$!; sleep 0.7; kill -INT $pid; wait $pid; echo status=$?; cat out.ndjson")
    #expect(r.stdoutLines.first == "status=130", "\(r.stdout)")
    #expect(r.stdoutLines.dropFirst().count == 1)
  }

  /// POSIX: started with SIGINT ignored (`cmd &` in a script), a command keeps ignoring it; SIGTERM still ends it.
  @Test func ignoredInterruptStaysIgnored() throws {
    let r = try Shell.run(
      "{ printf '%s\\n' '\(Self.good)'; sleep 3; } | (trap '' INT; exec logparse > out.ndjson) & pid=$!; sleep 0.7; kill -INT $pid; sleep 0.3; kill -0 $pid && echo alive; kill -TERM $pid; wait $pid; echo status=$?; cat out.ndjson")
    #expect(r.stdoutLines.prefix(2) == ["alive", "status=143"], "\(r.stdout)")
    #expect(r.stdoutLines.dropFirst(2).count == 1)
  }

  @Test func fullDiskIsAnError() throws {
    let r = try Shell.run("\(Self.generator) | logparse > /dev/full")
    #expect(r.status == 1)
    #expect(r.stderr.hasPrefix("logparse: "))
    #expect(r.stderr.contains("no space left on device"), "\(r.stderr)")
  }

  @Test func idleInputFlushesOutput() throws {
    // The first record must reach the reader while the writer still sleeps, before
    // it has even written the second line (ordering only, no timing assertion).
    let r = try Shell.run(
      "{ printf '%s\\n' '\(Self.good)'; sleep 1; touch wrote2; printf '%s\\n' '\(Self.good2)'; } | logparse | { read -r first; if [ -e wrote2 ]; then echo late; else echo early; fi; cat > /dev/null; }")
    #expect(r.stdout == "early\n")
  }

  @Test func steadyTrickleStillFlushes() throws {
    // Lines every 20 ms never leave input idle for the 50 ms idle flush; records
    // must still come out while the writer is running.
    let r = try Shell.run(
      "{ i=0; while [ $i -lt 60 ]; do printf '%s\\n' '\(Self.good)'; sleep 0.02; i=$((i+1)); done; touch done; } | logparse | { read -r first; if [ -e done ]; then echo late; else echo early; fi; cat > /dev/null; }")
    #expect(r.stdout == "early\n")
  }

  @Test func rejectsAreKeptReportedAndCounted() throws {
    let bad1 = #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5 "-" "unterminated"#
    let bad2 = "not a log line"
    let input = [Self.good, bad1, "", Self.good2, bad2].joined(separator: "\n") + "\n"
    let r = try Shell.run("cat > in.log && logparse --stats --rejects bad.log in.log; echo status=$?; cat bad.log", stdin: input)
    let lines = r.stdoutLines
    #expect(lines.count == 5)
    #expect(lines[2] == "status=0")
    #expect(Array(lines[3...]) == [bad1, bad2])
    #expect(r.stderr.contains("logparse: in.log:2: unterminated quoted field at column 69\n"), "\(r.stderr)")
    #expect(r.stderr.contains("logparse: in.log:5: "))
    #expect(r.stderr.contains("logparse: 2 of 5 input lines rejected\n"))
    #expect(r.stderr.contains("logparse: 5 lines, 2 parsed, 2 rejected, 1 skipped, "))
  }

  /// A line over --max-line goes to --rejects as its first --max-line bytes, in input order.
  @Test func overLongLinesAreKeptInRejectsByTheirHead() throws {
    let long = Self.good + String(repeating: "x", count: 3000)
    let input = [Self.good, long, "not a log line", Self.good2].joined(separator: "\n") + "\n"
    let r = try Shell.run("cat > in.log && logparse --max-line 100 --rejects bad.log in.log > /dev/null; echo status=$?; cat bad.log", stdin: input)
    #expect(r.stdoutLines == ["status=0", String(decoding: Array(long.utf8.prefix(100)), as: UTF8.self), "not a log line"], "\(r.stdout)")
    #expect(r.stderr.contains("logparse: in.log:2: line of \(long.utf8.count) bytes is longer than --max-line 100\n"), "\(r.stderr)")
  }

  @Test func jsonRejectsGiveTheScannerReasonAndColumn() throws {
    let lines = [#"{"status":200}"#, #"{"status":"#, #"{"a":"\q"}"#, #"{"a":1} x"#, #"{"status":"20x"}"#]
    let r = try Shell.run(
      "logparse --format json --rejects bad.log; echo status=$?; cat bad.log", stdin: lines.joined(separator: "\n") + "\n")
    #expect(r.stdoutLines == [#"{"status":200}"#, "status=0"] + lines.dropFirst(), "\(r.stdout)")
    #expect(r.stderr.contains("logparse: <stdin>:2: invalid JSON at column 11: unexpected end of line, expected a value\n"), "\(r.stderr)")
    #expect(r.stderr.contains(#"logparse: <stdin>:3: invalid JSON at column 7: invalid escape \q"# + "\n"))
    #expect(r.stderr.contains("logparse: <stdin>:4: unexpected text after last field at column 9\n"))
    #expect(r.stderr.contains("logparse: <stdin>:5: expected status code at column 11\n"))
  }

  @Test func strictStopsAtFirstBadLine() throws {
    let r = try Shell.run("logparse --strict", stdin: Self.good + "\ngarbage\n" + Self.good2 + "\n")
    #expect(r.status == 1)
    #expect(decodeNDJSON(r.stdout).count == 1)
    #expect(r.stderr.contains("logparse: <stdin>:2: "))
    #expect(r.stderr.contains("--strict"))
  }

  @Test func hostileInputStaysValidJSON() throws {
    // NUL bytes, invalid UTF-8, binary garbage, a 5 MB line, CRLF, a truncated last line.
    let script = """
      {
        printf '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /nul HTTP/1.1" 200 1 "-" "a\\000b"\\n'
        printf '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /\\377\\376 HTTP/1.1" 200 1 "-" "\\303\\050"\\n'
        printf '\\026\\003\\001\\002\\000\\001\\000\\001\\374\\003\\003 garbage \\377\\376\\n'
        printf '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /'; head -c 5000000 /dev/zero | tr '\\0' a; printf ' HTTP/1.1" 200 1\\n'
        printf '\\n\\n'
        printf '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /crlf HTTP/1.1" 200 1\\r\\n'
        printf '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /last HTTP/1.1" 200 1'
      } > in.log
      logparse --stats in.log > out.ndjson; echo status=$?
      logparse --max-line 8M in.log | wc -l
      cat out.ndjson
      """
    let r = try Shell.run(script)
    let lines = r.stdoutLines
    #expect(lines.first == "status=0")
    #expect(lines.dropFirst().first?.trimmingCharacters(in: .whitespaces) == "5")
    let records = decodeNDJSON(lines.dropFirst(2).joined(separator: "\n"))
    #expect(records.map { $0["path"] as? String } == ["/nul", "/\u{FFFD}\u{FFFD}", "/crlf", "/last"])
    #expect(records.first?["user_agent"] as? String == "a\u{0}b")
    #expect(r.stderr.contains("in.log:4: line of 5000063 bytes is longer than --max-line 1048576"), "\(r.stderr)")
    #expect(r.stderr.contains("8 lines, 4 parsed, 2 rejected, 2 skipped"), "\(r.stderr)")
  }

  @Test func usageErrors() throws {
    let r = try Shell.run("logparse --format fancy")
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("logparse: invalid value 'fancy' for --format"))
    let f = try Shell.run("logparse --apache-format '%h %Z'")
    #expect(f.status == 2)
    #expect(f.stderr.hasPrefix("logparse: invalid --apache-format: unsupported directive %Z"))
    let a = try Shell.run("logparse --add status=1")
    #expect(a.status == 2)
  }

  /// No key is written twice: repeated --add keys and --add of a custom format's field are
  /// usage errors; a JSON log's key of the same name gives way to the --add value.
  @Test func addNeverWritesADuplicateKey() throws {
    let twice = try Shell.run("logparse --add dc=a --add dc=b", stdin: Self.good + "\n")
    #expect(twice.status == 2)
    #expect(twice.stderr.hasPrefix("logparse: --add dc is given twice"), "\(twice.stderr)")
    #expect(twice.stdout.isEmpty)
    let custom = try Shell.run(#"logparse --nginx-format '$remote_addr $status $dc' --add dc=b"#, stdin: "1.2.3.4 200 x\n")
    #expect(custom.status == 2)
    #expect(custom.stderr.hasPrefix("logparse: --add dc: the log format also writes a field 'dc'"), "\(custom.stderr)")
    let json = try Shell.run(
      "logparse --format json --add dc=b --raw", stdin: #"{"status":200,"dc":"a","raw":"x","other":1}"# + "\n")
    #expect(json.status == 0, "\(json.stderr)")
    #expect(json.stdout == #"{"status":200,"other":1,"dc":"b","raw":"{\"status\":200,\"dc\":\"a\",\"raw\":\"x\",\"other\":1}"}"# + "\n")
  }

  @Test(.enabled(if: Shell.sharedData != nil, "needs ../shared/data"))
  func realDataParses() throws {
    guard let data = Shell.sharedData else { return }
    let r = try Shell.run(
      "logparse --stats \(data)/nasa/NASA_access_log_Aug95.head20000.log \(data)/nasa/NASA_access_log_Jul95.rex-sample1000.log \(data)/nginx/lnav_logfile_shop_access_log.0.log > /dev/null && logparse --rejects bad.log \(data)/apache/apache_logs | wc -l && cat bad.log | wc -l")
    #expect(r.stderr.contains("22000 lines, 22000 parsed, 0 rejected"), "\(r.stderr)")
    #expect(r.stderr.contains("apache_logs:8899: unterminated quoted field"))
    #expect(r.stdoutLines.map { $0.trimmingCharacters(in: .whitespaces) } == ["9999", "1"])
  }
}
