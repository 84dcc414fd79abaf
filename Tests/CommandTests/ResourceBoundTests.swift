/*
 Every resource bound, hit on purpose through the built commands: the run
 stays bounded, and stderr says so in a line that starts with the command's
 name and names the limit, its value and the option that raises it (when
 there is one). Bounds: line size (--max-line), groups per window
 (--max-groups), alert keys (--max-keys), expression depth (200), JSON
 nesting (512), followed files (1024), open windows (--max-windows).
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct ResourceBoundTests {
  static let line = #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 200 512 "-" "curl/8""#

  /// One JSON record per line: `{"time":"2025-07-01T00:00:SSZ", fields...}`.
  static func records(_ fields: [(second: Int, extra: String)]) -> String {
    fields.map { f in #"{"time":"2025-07-01T00:00:\#(String(format: "%02d", f.second))Z"\#(f.extra)}"# + "\n" }.joined()
  }

  @Test func overLongLineIsRejectedWithTheLimit() throws {
    let long = String(repeating: "x", count: 300)
    let r = try Shell.run("logparse --max-line 128", stdin: Self.line + "\n" + long + "\n" + Self.line + "\n")
    #expect(decodeNDJSON(r.stdout).count == 2)
    let note = r.stderr.split(separator: "\n").first { $0.contains("--max-line") }.map(String.init)
    #expect(note?.hasPrefix("logparse: ") == true, "\(r.stderr)")
    #expect(note?.contains("line of 300 bytes is longer than --max-line 128") == true, "\(r.stderr)")
  }

  @Test func maxLineMustBePositive() throws {
    let r = try Shell.run("logparse --max-line 0 < /dev/null")
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("logparse: ") && r.stderr.contains("--max-line must be positive"), "\(r.stderr)")
  }

  @Test func groupsBeyondMaxGroupsFoldIntoOtherWithANote() throws {
    let input = Self.records((0..<6).map { ($0, #","path":"/p\#($0)""#) })
    let r = try Shell.run("logwindow --every 1m --by path --max-groups 2", stdin: input)
    #expect(r.status == 0, "\(r.stderr)")
    let out = decodeNDJSON(r.stdout)
    #expect(out.map { $0["path"] as? String } == ["/p0", "/p1", "_other"])
    #expect(out.last?["count"] as? Int == 4)
    #expect(r.stderr == "logwindow: 4 events in 1 windows went to the \"_other\" group: more than --max-groups 2 groups were in one window (raise --max-groups)\n")
  }

  @Test func sessionsBeyondMaxGroupsFoldIntoOtherWithANote() throws {
    let input = Self.records((0..<5).map { ($0, #","client":"c\#($0)""#) })
    let r = try Shell.run("logwindow --session 10m --by client --max-groups 3", stdin: input)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(decodeNDJSON(r.stdout).map { $0["client"] as? String }.contains("_other"))
    #expect(r.stderr.hasPrefix("logwindow: 2 events went to the \"_other\" group: more than --max-groups 3 sessions were open"), "\(r.stderr)")
  }

  @Test func tooManyOpenWindowsCloseTheOldestEarlyWithANote() throws {
    // Out of time order, so --lateness end keeps every window open until the end.
    // With 3 open (:03 :07 :09): :01 would be the oldest window, so it is late; :05
    // closes :03 early; :00 is then behind the watermark; :08 closes :05; :03 is late.
    let input = Self.records([9, 3, 7, 1, 5, 0, 8, 3].map { ($0, "") })
    let bounded = try Shell.run("logwindow --every 1s --lateness end --max-windows 3", stdin: input)
    #expect(bounded.status == 0, "\(bounded.stderr)")
    let lines = bounded.stderr.split(separator: "\n").map(String.init)
    #expect(lines.first == "logwindow: 2 windows were closed before the watermark passed them: more than --max-windows 3 were open at once (raise --max-windows)", "\(bounded.stderr)")
    // Each window is written once, in time order.
    let starts = decodeNDJSON(bounded.stdout).compactMap { $0["start"] as? String }
    #expect(starts == [3, 5, 7, 8, 9].map { "2025-07-01T00:00:0\($0)Z" })
    #expect(lines.dropFirst().first?.hasPrefix("logwindow: 3 of 8 events (37%) were later than the watermark") == true, "\(bounded.stderr)")
    let unbounded = try Shell.run("logwindow --every 1s --lateness end", stdin: input)
    #expect(unbounded.stderr.isEmpty, "\(unbounded.stderr)")
    #expect(decodeNDJSON(unbounded.stdout).count == 7)
  }

  @Test func mergeHonoursMaxWindows() throws {
    let input = Self.records((0..<6).map { ($0, "") })
    let r = try Shell.run("logwindow --every 1s --partial | logwindow --merge --max-windows 2", stdin: input)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(decodeNDJSON(r.stdout).map { $0["count"] as? Int } == Array(repeating: 1, count: 6))
    #expect(r.stderr.hasPrefix("logwindow: 4 windows were closed before the watermark passed them: more than --max-windows 2"), "\(r.stderr)")
  }

  @Test func evictedAlertKeysAreNotedWithTheLimit() throws {
    let windows = (0..<5).map { #"{"end":"2025-07-01T00:01:00Z","path":"/p\#($0)","count":1}"# }.joined(separator: "\n") + "\n"
    let r = try Shell.run("logalert --max-keys 2 --rule 'hot: count > 100 by path'", stdin: windows)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.isEmpty)
    #expect(r.stderr == "logalert: 3 inactive keys evicted, losing their detector baselines: more than --max-keys 2 keys in a rule (raise --max-keys)\n")
  }

  @Test func droppedAlertKeysAreNotedWithTheLimit() throws {
    let windows = (0..<4).map { #"{"end":"2025-07-01T00:01:00Z","path":"/p\#($0)","count":1}"# }.joined(separator: "\n") + "\n"
    let r = try Shell.run("logalert --max-keys 2 --rule 'hot: count > 0 by path'", stdin: windows)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(decodeNDJSON(r.stdout).compactMap { $0["path"] as? String } == ["/p0", "/p1"])
    #expect(r.stderr == "logalert: 2 evaluations of new keys dropped: every tracked instance was pending or firing (--max-keys 2; raise --max-keys)\n")
  }

  /// A tree 300 levels deep (`not not … status`), and 50,000 parentheses (parsing stops at 401).
  @Test(arguments: [
    String(repeating: "not ", count: 300) + "status > 1",
    String(repeating: "(", count: 50_000) + "status" + String(repeating: ")", count: 50_000) + " > 1",
  ]) func deepExpressionIsAUsageError(predicate: String) throws {
    let r = try Shell.run("logwindow --every 1m --where \"$(cat pred)\" < /dev/null; echo status=$?", stdin: nil, environment: [:], predicateFile: predicate)
    #expect(r.stdout == "status=2\n", "\(r.stderr.prefix(300))")
    #expect(r.stderr.hasPrefix("logwindow: ") && r.stderr.contains("nested deeper than 200 levels"), "\(r.stderr.prefix(300))")
  }

  @Test func expressionAtTheDepthLimitWorks() throws {
    let predicate = String(repeating: "(", count: 150) + "status" + String(repeating: ")", count: 150) + " > 1"
    let r = try Shell.run("logwindow --every 1m --where \"$(cat pred)\"", stdin: Self.records([(0, #","status":500"#)]), environment: [:], predicateFile: predicate)
    #expect(r.status == 0, "\(r.stderr.prefix(300))")
    #expect(decodeNDJSON(r.stdout).first?["count"] as? Int == 1)
  }

  @Test(arguments: [600, 200_000]) func deepJSONIsRejectedAsBadInput(depth: Int) throws {
    let deep = #"{"time":"2025-07-01T00:00:00Z","a":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}\n"
    let r = try Shell.run("logwindow --every 1m", stdin: deep + Self.records([(1, "")]))
    #expect(r.status == 0, "\(r.stderr.prefix(300))")
    #expect(decodeNDJSON(r.stdout).first?["count"] as? Int == 1)
    #expect(r.stderr.hasPrefix("logwindow: ") && r.stderr.contains("nesting deeper than 512 levels"), "\(r.stderr.prefix(300))")
  }

  @Test func followingTooManyFilesLeavesTheRestOutWithANote() throws {
    let dir = Shell.makeTempDirectory()
    let r = try Shell.run("""
      mkdir logs && i=0; while [ $i -lt 1030 ]; do echo '\(Self.line)' > logs/$i.log; i=$((i + 1)); done
      env --default-signal=INT logparse --follow --from-start 'logs/*.log' > out.ndjson 2> err.txt & pid=$!
      n=0; while [ $n -lt 100 ] && [ "$(wc -l < out.ndjson)" -lt 1024 ]; do sleep 0.2; n=$((n + 1)); done
      sleep 0.5; kill -INT $pid; wait $pid; echo "status=$?"; wc -l < out.ndjson; cat err.txt
      """, in: dir)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "status=130", "\(r.stdout)")
    #expect(lines.dropFirst().first?.trimmingCharacters(in: .whitespaces) == "1024", "\(r.stdout)")
    let notes = lines.dropFirst(2).filter { $0.contains("the most it follows at once") }
    #expect(notes.count == 1, "\(r.stdout)")
    #expect(notes.first?.hasPrefix("logparse: --follow: following 1024 files already") == true, "\(r.stdout)")
  }
}

extension Shell {
  /// `run` with `text` in the file `pred` of the run's directory (too long for an argument in the script).
  static func run(_ script: String, stdin: String?, environment: [String: String], predicateFile text: String) throws -> ShellResult {
    let dir = makeTempDirectory()
    try text.write(toFile: dir + "/pred", atomically: true, encoding: .utf8)
    return try run(script, in: dir, stdin: stdin, environment: environment)
  }
}
