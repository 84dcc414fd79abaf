/*
 logalert --group-by and --inhibit end to end with the built binary: a
 grouped rule runs its action once per batch (the batch on stdin, LOGALERT_GROUP_*
 in the environment, placeholders as whole arguments: log-derived shell syntax
 stays inert); --notifications writes the batches; muted events are written
 with "inhibited":true and never reach the action; a source restored by
 --state mutes its targets after a restart, and a batch waiting at exit is
 sent; bad specs are usage errors with the column and the closest rule name.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct LogAlertGroupingTests {
  static let rules = "--rule 'outage: errors / count > 0.5 and not exists(path)' --rule 'err: errors / count > 0.5 and exists(path) by path'"

  /// A total record (errors out of 100) and per-path records (errors out of 10) ending at minute `m`.
  static func minute(_ m: Int, total: Int, paths: [(String, Int)]) -> String {
    let start = String(format: "2025-01-01T00:%02d:00Z", m - 1), end = String(format: "2025-01-01T00:%02d:00Z", m)
    var lines = [#"{"start":"\#(start)","end":"\#(end)","count":100,"errors":\#(total)}"#]
    for (path, errors) in paths {
      lines.append(#"{"start":"\#(start)","end":"\#(end)","path":"\#(path)","count":10,"errors":\#(errors)}"#)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func prepareRecorder(_ dir: String) throws {
    try FileManager.default.createDirectory(atPath: dir + "/calls", withIntermediateDirectories: true)
    try LogAlertActionTests.write(LogAlertActionTests.recorder, to: dir + "/recorder", executable: true)
  }

  @Test func aGroupedRuleRunsItsActionOncePerBatchByArgv() throws {
    let dir = Shell.makeTempDirectory()
    try Self.prepareRecorder(dir)
    let hostile = ["/x;$(touch pwned)", "`touch pwned2`", "/a b'c\"d|touch pwned3&&id"]
    try LogAlertActionTests.write(LogAlertActionTests.records(hostile), to: dir + "/windows.ndjson")
    let result = try Shell.run(
      "logalert --rule 'big: count > 5 by path' --group-by alert --group-wait 2m --notifications --exec ./recorder '{alert}' '{count}' '{state}' '{key}' ';' windows.ndjson",
      in: dir, environment: ["DIR": dir])
    #expect(result.status == 0, "\(result.stderr)")
    let out = decodeNDJSON(result.stdout)
    #expect(out.map { $0["state"] as? String ?? $0["kind"] as? String } == ["firing", "firing", "firing", "notification"])
    #expect(out.last?["count"] as? Int == 3)
    #expect(try Self.calls(dir, ".args") == ["big\n3\nfiring\nalert=\"big\"\n"])
    let env = try Self.calls(dir, ".env").joined()
    for line in ["LOGALERT_GROUP_COUNT=3", "LOGALERT_GROUP_FIRING=3", "LOGALERT_GROUP_RESOLVED=0", "LOGALERT_GROUP_ALERT=big", "LOGALERT_ALERT=big", "LOGALERT_STATE=firing", "LOGALERT_GROUP_KEY=alert=\"big\""] {
      #expect(env.contains(line + "\n"), "\(line) in \(env)")
    }
    let stdin = try Self.calls(dir, ".stdin").map { decodeNDJSON($0) }
    #expect(stdin.count == 1 && stdin.first?.count == 1)
    let events = stdin.first?.first?["events"] as? [[String: Any]] ?? []
    #expect(events.compactMap { $0["path"] as? String } == hostile)

    // Grouped by the log-derived path: each path is one whole argument, nothing runs.
    try FileManager.default.removeItem(atPath: dir + "/calls")
    try FileManager.default.createDirectory(atPath: dir + "/calls", withIntermediateDirectories: true)
    let byPath = try Shell.run("logalert --rule 'big: count > 5 by path' --group-by path --group-wait 0s --exec ./recorder '{path}' '--p={path}' ';' windows.ndjson",
                               in: dir, environment: ["DIR": dir])
    #expect(byPath.status == 0, "\(byPath.stderr)")
    #expect(try Self.calls(dir, ".args").sorted() == hostile.map { "\($0)\n--p=\($0)\n" }.sorted())
    let files = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(!files.contains { $0.hasPrefix("pwned") }, "\(files)")
  }

  @Test func mutedEventsAreWrittenMarkedAndNeverNotified() throws {
    let dir = Shell.makeTempDirectory()
    try Self.prepareRecorder(dir)
    let input = Self.minute(1, total: 0, paths: [("/a", 0)]) + Self.minute(2, total: 90, paths: [("/a", 9), ("/b", 9)])
      + Self.minute(3, total: 0, paths: [("/a", 9), ("/b", 0)]) + Self.minute(4, total: 0, paths: [("/a", 0), ("/b", 0)])
    try LogAlertActionTests.write(input, to: dir + "/windows.ndjson")
    let result = try Shell.run("logalert \(Self.rules) --inhibit 'outage => err' --exec-concurrency 1 --exec ./recorder '{alert}' '{state}' '{path}' ';' windows.ndjson",
                               in: dir, environment: ["DIR": dir])
    #expect(result.status == 0, "\(result.stderr)")
    let out = decodeNDJSON(result.stdout).map { "\($0["alert"] ?? "") \($0["state"] ?? "") \($0["path"] ?? "-")\($0["inhibited"] as? Bool == true ? " inhibited" : "")\($0["repeat"] as? Bool == true ? " repeat" : "")" }
    #expect(out == [
      "outage firing -", "err firing /a inhibited", "err firing /b inhibited",
      "outage resolved -", "err resolved /b inhibited", "err firing /a repeat",
      "err resolved /a",
    ])
    let args = try Self.calls(dir, ".args").sorted()
    #expect(args == ["err\nfiring\n/a\n", "err\nresolved\n/a\n", "outage\nfiring\n\n", "outage\nresolved\n\n"])
  }

  @Test func aSourceRestoredByStateMutesAfterARestartAndAWaitingBatchIsSentAtExit() throws {
    let dir = Shell.makeTempDirectory()
    try LogAlertActionTests.write(Self.minute(1, total: 90, paths: [("/a", 0)]), to: dir + "/first.ndjson")
    try LogAlertActionTests.write(Self.minute(2, total: 90, paths: [("/a", 9)]) + Self.minute(3, total: 90, paths: [("/a", 9)]), to: dir + "/second.ndjson")
    let options = "\(Self.rules) --inhibit 'outage => err' --group-by alert --group-wait 10m --notifications"
    let result = try Shell.run("""
      logalert \(options) --state s.state first.ndjson > first.out
      logalert \(options) --state s.state second.ndjson > second.out
      logalert \(options) second.ndjson > fresh.out
      """, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let first = decodeNDJSON(try String(contentsOfFile: dir + "/first.out", encoding: .utf8))
    // The batch was due at 11, after the input: sent at exit.
    #expect(first.map { $0["kind"] as? String ?? $0["alert"] as? String } == ["outage", "notification"])
    let second = decodeNDJSON(try String(contentsOfFile: dir + "/second.out", encoding: .utf8))
    #expect(second.count == 1)
    #expect(second.first?["alert"] as? String == "err" && second.first?["inhibited"] as? Bool == true, "\(second)")
    // Without the state the outage fires anew (and is batched), muting err at the same time.
    let fresh = decodeNDJSON(try String(contentsOfFile: dir + "/fresh.out", encoding: .utf8))
    #expect(fresh.compactMap { $0["alert"] as? String } == ["outage", "err"])
    #expect(fresh.last?["inhibited"] == nil && fresh.dropLast().last?["inhibited"] as? Bool == true)
    #expect(fresh.contains { $0["kind"] as? String == "notification" })
  }

  @Test func badSpecsAreUsageErrorsWithColumnAndSuggestion() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("logalert \(Self.rules) --inhibit 'outgae => err' < /dev/null; echo \"rc=$?\"; logalert \(Self.rules) --group-by 'er: path' < /dev/null; echo \"rc=$?\"", in: dir)
    #expect(result.stdout == "rc=2\nrc=2\n")
    #expect(result.stderr.contains("logalert: invalid --inhibit 'outgae => err': column 1: no rule named 'outgae' (did you mean 'outage'?)\n"), "\(result.stderr)")
    #expect(result.stderr.contains("logalert: invalid --group-by 'er: path': column 1: no rule named 'er' (did you mean 'err'?)\n"), "\(result.stderr)")
  }

  @Test func checkPrintsTheSpecsAsUnderstood() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("logalert \(Self.rules) --inhibit 'outage=>err equal path' --group-by 'err: path wait 0s' --group-by alert --group-interval 10m --check", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(Array(lines.suffix(3)) == [
      "--inhibit outage => err equal path",
      "--group-by err: path wait 0s interval 10m",
      "--group-by alert wait 30s interval 10m",
    ])
  }

  static func calls(_ dir: String, _ suffix: String) throws -> [String] { try LogAlertActionTests.calls(dir, suffix) }
}
