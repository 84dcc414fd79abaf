/*
 logalert --exec end to end with the built binary: log-derived text with
 shell syntax reaches the program only as argv, environment and stdin (no
 file appears); a program that never exits is killed and reported; a failing
 program is reported (with retries) and the stream goes on; a full queue and
 --max-per-minute drop actions and say how many; examples/webhook.sh posts
 Slack-style JSON with curl.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct LogAlertActionTests {
  /// One window record per line: `path` and `count` (every count fires `big: count > 5`).
  static func records(_ paths: [String], count: Int = 10, from first: Int = 0) -> String {
    paths.enumerated().map { j, path in
      let i = first + j
      let path = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      return "{\"start\":\"2025-01-01T00:\(String(format: "%02d", i)):00Z\",\"end\":\"2025-01-01T00:\(String(format: "%02d", i + 1)):00Z\",\"path\":\"\(path)\",\"count\":\(count)}"
    }.joined(separator: "\n") + "\n"
  }

  /// A program that records its argv, LOGALERT_* environment and stdin in $DIR/calls/N.*.
  static let recorder = """
    #!/bin/sh
    n=$(mktemp "$DIR/calls/XXXXXX")
    for a in "$@"; do printf '%s\\n' "$a"; done > "$n.args"
    env | grep '^LOGALERT_' | sort > "$n.env"
    cat > "$n.stdin"
    """

  static func write(_ text: String, to path: String, executable: Bool = false) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
  }

  static func calls(_ dir: String, _ suffix: String) throws -> [String] {
    let names = try FileManager.default.contentsOfDirectory(atPath: dir + "/calls").filter { $0.hasSuffix(suffix) }
    return try names.map { try String(contentsOfFile: dir + "/calls/" + $0, encoding: .utf8) }
  }

  @Test func logDerivedShellSyntaxIsInertInArgvEnvironmentAndStdin() throws {
    let dir = Shell.makeTempDirectory()
    try FileManager.default.createDirectory(atPath: dir + "/calls", withIntermediateDirectories: true)
    try Self.write(Self.recorder, to: dir + "/recorder", executable: true)
    let hostile = ["/x;$(touch pwned)", "`touch pwned2`", "/a b'c\"d|touch pwned3&&id"]
    try Self.write(Self.records(hostile), to: dir + "/windows.ndjson")
    let result = try Shell.run(
      "logalert --rule 'big: count > 5' --exec ./recorder '{path}' '--path={path}' '{alert}-{state}' '{nosuch}' ';' windows.ndjson",
      in: dir, environment: ["DIR": dir])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).map { $0["path"] as? String } == hostile)
    let files = try FileManager.default.contentsOfDirectory(atPath: dir)
    #expect(!files.contains { $0.hasPrefix("pwned") }, "\(files)")
    let args = try Self.calls(dir, ".args").sorted()
    #expect(args == hostile.map { "\($0)\n--path=\($0)\nbig-firing\n\n" }.sorted())
    let env = try Self.calls(dir, ".env")
    for path in hostile {
      #expect(env.contains { $0.contains("LOGALERT_KEY_PATH=\(path)\n") && $0.contains("LOGALERT_ALERT=big\n") && $0.contains("LOGALERT_STATE=firing\n") && $0.contains("LOGALERT_VALUE=10\n") })
    }
    let stdin = try Self.calls(dir, ".stdin").map { decodeNDJSON($0) }
    #expect(stdin.allSatisfy { $0.count == 1 })
    #expect(Set(stdin.compactMap { $0.first?["path"] as? String }) == Set(hostile))
  }

  @Test func aProgramThatNeverExitsIsKilledAndReported() throws {
    let dir = Shell.makeTempDirectory()
    try Self.write(Self.records(["/a", "/b"]), to: dir + "/windows.ndjson")
    // It ignores SIGTERM: the SIGKILL a second later ends it and its children.
    let result = try Shell.run(
      "logalert --rule 'big: count > 5' --exec-timeout 200ms --exec-retries 0 --exec /bin/sh -c 'trap \"\" TERM; while :; do sleep 1; done' ';' windows.ndjson",
      in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).count == 2)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.filter { $0.hasPrefix("logalert: action '/bin/sh' for big firing path=/") && $0.hasSuffix("timed out after 200ms") }.count == 2, "\(result.stderr)")
    #expect(lines.last == "logalert: 2 actions run, 0 succeeded, 2 failed", "\(result.stderr)")
  }

  @Test func aFailingProgramIsReportedRetriedAndTheStreamGoesOn() throws {
    let dir = Shell.makeTempDirectory()
    try Self.write(Self.records(["/a", "/b", "/c"]), to: dir + "/windows.ndjson")
    let result = try Shell.run(
      "logalert --rule 'big: count > 5' --exec-retries 1 --exec-backoff 10ms --exec /bin/sh -c 'echo \"no route to $1\" >&2; exit 3' sh '{path}' ';' windows.ndjson",
      in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).map { $0["path"] as? String } == ["/a", "/b", "/c"])
    let lines = result.stderr.split(separator: "\n").map(String.init)
    for path in ["/a", "/b", "/c"] {
      let head = "logalert: action '/bin/sh' for big firing path=\(path) exited with status 3: no route to \(path)"
      #expect(lines.filter { $0 == head + " (retry 1 of 1 in 10ms)" }.count == 1, "\(result.stderr)")
      #expect(lines.filter { $0 == head }.count == 1, "\(result.stderr)")
    }
    #expect(lines.last == "logalert: 6 actions run, 0 succeeded, 3 failed (3 retries)", "\(result.stderr)")
  }

  @Test func aFullQueueDropsActionsAndCountsThem() throws {
    let dir = Shell.makeTempDirectory()
    try Self.write(Self.records((0..<20).map { "/p\($0)" }), to: dir + "/windows.ndjson")
    // The program waits for a file nobody creates: nothing finishes before the input ends,
    // so 1 runs, 2 wait and 17 are dropped; the drain then kills the one and skips the two.
    let result = try Shell.run(
      "logalert --rule 'big: count > 5' --stale 1d --exec-concurrency 1 --exec-queue 2 --exec-drain 300ms --exec /bin/sh -c 'while [ ! -e never ]; do sleep 0.05; done' ';' windows.ndjson",
      in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).count == 20)
    let lines = result.stderr.split(separator: "\n").map(String.init)
    #expect(lines.filter { $0.contains("killed at exit: still running after the drain time of 300ms") }.count == 1, "\(result.stderr)")
    #expect(
      lines.last == "logalert: 1 actions run, 0 succeeded, 1 failed; 17 dropped: queue full (--exec-queue 2); 2 not run: no time left at exit (--exec-drain 300ms)",
      "\(result.stderr)")
  }

  @Test func maxPerMinuteDropsTheRest() throws {
    let dir = Shell.makeTempDirectory()
    try FileManager.default.createDirectory(atPath: dir + "/calls", withIntermediateDirectories: true)
    try Self.write(Self.recorder, to: dir + "/recorder", executable: true)
    try Self.write(Self.records((0..<12).map { "/p\($0)" }), to: dir + "/windows.ndjson")
    let result = try Shell.run(
      "logalert --rule 'big: count > 5' --stale 1d --max-per-minute 5 --exec ./recorder '{path}' ';' windows.ndjson", in: dir, environment: ["DIR": dir])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).count == 12)
    #expect(try Self.calls(dir, ".args").sorted() == (0..<5).map { "/p\($0)\n" }.sorted())
    #expect(result.stderr == "logalert: 5 actions run, 5 succeeded, 0 failed; 7 dropped: over --max-per-minute 5\n")
  }

  @Test func allRunsActionsOnlyForEvents() throws {
    let dir = Shell.makeTempDirectory()
    try FileManager.default.createDirectory(atPath: dir + "/calls", withIntermediateDirectories: true)
    try Self.write(Self.recorder, to: dir + "/recorder", executable: true)
    try Self.write(Self.records(["/a", "/a", "/a"], count: 1) + Self.records(["/a", "/a"], from: 3), to: dir + "/windows.ndjson")
    let result = try Shell.run("logalert --rule 'big: count > 5 by path' --all --exec ./recorder '{state}' ';' windows.ndjson", in: dir, environment: ["DIR": dir])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).count >= 2)
    #expect(try Self.calls(dir, ".args") == ["firing\n"])
  }

  @Test func badActionOptionsAreUsageErrors() throws {
    let noProgram = try Shell.run("logalert --rule 'big: count > 5' --exec < /dev/null")
    #expect(noProgram.status == 2)
    #expect(noProgram.stderr.hasPrefix("logalert: option '--exec' needs a program"), "\(noProgram.stderr)")
    let noExec = try Shell.run("logalert --rule 'big: count > 5' --exec-retries 3 < /dev/null")
    #expect(noExec.status == 2)
    #expect(noExec.stderr.hasPrefix("logalert: --exec-retries needs --exec PROGRAM [ARG...]"), "\(noExec.stderr)")
  }

  @Test func webhookExamplePostsSlackStyleJSON() throws {
    let tools = try Shell.run("command -v curl && command -v python3")
    guard tools.status == 0 else { return }  // the example needs curl and python3
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("\"$ROOT/examples/webhook.sh\" out", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let alerts = decodeNDJSON(try String(contentsOfFile: dir + "/out/alerts.ndjson", encoding: .utf8))
    let posts = decodeNDJSON(try String(contentsOfFile: dir + "/out/received.ndjson", encoding: .utf8))
    #expect(alerts.map { $0["state"] as? String } == ["firing", "resolved"])
    #expect(Set(posts.compactMap { $0["text"] as? String }) == Set(alerts.map { "[\($0["state"] as? String ?? "")] high_5xx: \($0["summary"] as? String ?? "")" }))
    #expect(posts.allSatisfy { $0["username"] as? String == "logalert" })
  }
}
