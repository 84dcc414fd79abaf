/*
 logscale actuation end to end: --exec gets {replicas} and the other
 placeholders, the decision on stdin and LOGSCALE_* variables; a failed
 --exec is reported and, without --current-cmd, decided again at the next
 evaluation; --current-cmd success, failure (said once per streak) and
 nonsense output; --dry-run runs nothing; bad placeholders are usage errors;
 examples/kubectl-scale.sh converges its fake deployment to the last decision.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct LogScaleActionTests {
  /// 15 s windows with `count` requests each (rps = count / 15).
  static func windows(_ counts: [Int]) -> String {
    counts.enumerated().map { i, count in
      "{\"start\":\"2025-01-01T00:00:\(String(format: "%02d", i))Z\",\"end\":\"2025-01-01T00:00:\(String(format: "%02d", i + 1))Z\",\"count\":\(count)}"
    }.joined(separator: "\n") + "\n"
  }

  static let scale = "logscale -m 'rps=count/15' --target 10 --max 20"

  static func write(_ text: String, to path: String, executable: Bool = false) throws {
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
  }

  static func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

  @Test func execGetsReplicasAndTheDecision() throws {
    let dir = Shell.makeTempDirectory()
    try Self.write("""
      #!/bin/sh
      for a in "$@"; do printf '%s\\n' "$a"; done > "$DIR/args"
      env | grep '^LOGSCALE_' | sort > "$DIR/env"
      cat > "$DIR/stdin"
      """, to: dir + "/scaler", executable: true)
    // rps 40 at target 10 from 1 replica: one decision, 1 -> 4.
    try Self.write(Self.windows([600, 600, 600]), to: dir + "/w.ndjson")
    let result = try Shell.run(
      "\(Self.scale) --exec ./scaler scale deploy/web '--replicas={replicas}' '{from}' '{to}' '{desired}' '{time}' '{reason}' ';' w.ndjson",
      in: dir, environment: ["DIR": dir])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let decisions = decodeNDJSON(result.stdout)
    try #require(decisions.count == 1)
    let decision = decisions[0]
    #expect(decision["to"] as? Int == 4)
    let reason = decision["reason"] as? String ?? "?"
    #expect(Self.read(dir + "/args") == "scale\ndeploy/web\n--replicas=4\n1\n4\n4\n\(decision["time"] as? String ?? "?")\n\(reason)\n")
    #expect(Self.read(dir + "/stdin") == result.stdout)
    let env = Self.read(dir + "/env")
    #expect(env.contains("LOGSCALE_REPLICAS=4\n") && env.contains("LOGSCALE_FROM=1\n") && env.contains("LOGSCALE_REASON=\(reason)\n"), "\(env)")
  }

  @Test func aFailedExecIsReportedAndDecidedAgain() throws {
    let dir = Shell.makeTempDirectory()
    try Self.write(Self.windows([600, 600, 600]), to: dir + "/w.ndjson")
    // A program that cannot start fails at once: the count stays 1, so each evaluation decides 1 -> 4 again.
    let result = try Shell.run("\(Self.scale) --exec ./missing-kubectl '--replicas={replicas}' ';' w.ndjson", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let decisions = decodeNDJSON(result.stdout)
    #expect(decisions.map { "\($0["from"] ?? "") -> \($0["to"] ?? "")" } == ["1 -> 4", "1 -> 4", "1 -> 4"])
    let failures = result.stderr.split(separator: "\n").filter {
      $0.hasPrefix("logscale: action './missing-kubectl' for 1 -> 4 replicas at 2025-01-01T00:00:0") && $0.hasSuffix("could not start: no such file or directory")
    }
    #expect(failures.count == 3, "\(result.stderr)")
    #expect(result.stderr.hasSuffix("logscale: 3 actions run, 0 succeeded, 3 failed\n"), "\(result.stderr)")
  }

  @Test func currentCmdGivesTheCount() throws {
    let dir = Shell.makeTempDirectory()
    try Self.write("#!/bin/sh\necho \"$@\" >> \"$DIR/calls\"\nprintf ' 8\\n'\n", to: dir + "/count", executable: true)
    try Self.write(Self.windows([600, 600, 600]), to: dir + "/w.ndjson")
    // rps 40 on 8 replicas at target 10: 8 -> 4 is a scale-down, held by the 5m window; --all shows from = 8.
    let result = try Shell.run("\(Self.scale) --all --current-cmd ./count get 'jsonpath={.spec.replicas}' ';' w.ndjson", in: dir, environment: ["DIR": dir])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).map { $0["from"] as? Int } == [8, 8, 8])
    #expect(Self.read(dir + "/calls") == String(repeating: "get jsonpath={.spec.replicas}\n", count: 3))
  }

  @Test func aFailingCurrentCmdKeepsTheLastCountAndSaysSoOnce() throws {
    let dir = Shell.makeTempDirectory()
    // Prints 3, then fails twice, then prints "lots", then 5 again.
    try Self.write("""
      #!/bin/sh
      n=$(cat "$DIR/n" 2>/dev/null || echo 0); echo $((n + 1)) > "$DIR/n"
      case $n in 0) echo 3 ;; 1|2) echo "connection refused" >&2; exit 1 ;; 3) echo lots ;; *) echo 5 ;; esac
      """, to: dir + "/count", executable: true)
    try Self.write(Self.windows([30, 30, 30, 30, 30, 30]), to: dir + "/w.ndjson")
    let result = try Shell.run("\(Self.scale) --all --scale-down-window 0s --current-cmd ./count ';' w.ndjson", in: dir, environment: ["DIR": dir])
    #expect(result.status == 0, "\(result.stderr)")
    // rps 2 proposes 1: the first evaluation scales 3 -> 1; later ones read the count again.
    #expect(decodeNDJSON(result.stdout).map { $0["from"] as? Int } == [3, 1, 1, 1, 5, 5])
    #expect(result.stderr == """
      logscale: --current-cmd './count' exited with status 1: connection refused; keeping the last known count, 1 replicas (said once until it works again)
      logscale: --current-cmd works again: 5 replicas

      """, "\(result.stderr)")
  }

  @Test func dryRunRunsNoExec() throws {
    let dir = Shell.makeTempDirectory()
    try Self.write(Self.windows([600, 600, 600]), to: dir + "/w.ndjson")
    let result = try Shell.run("\(Self.scale) --dry-run --exec touch ran ';' w.ndjson", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).map { $0["to"] as? Int } == [4])
    #expect(!FileManager.default.fileExists(atPath: dir + "/ran"))
    let real = try Shell.run("\(Self.scale) --exec touch ran ';' w.ndjson", in: dir)
    #expect(real.status == 0, "\(real.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir + "/ran"))
  }

  @Test func badActuationOptionsAreUsageErrors() throws {
    let typo = try Shell.run("\(Self.scale) --exec kubectl scale '--replicas={replica}' < /dev/null")
    #expect(typo.status == 2)
    #expect(typo.stderr.hasPrefix("logscale: unknown placeholder {replica} in --exec; did you mean {replicas}?"), "\(typo.stderr)")
    let simulate = try Shell.run("\(Self.scale) --simulate --exec true < /dev/null")
    #expect(simulate.status == 2)
    let every = try Shell.run("\(Self.scale) --current-every 10s < /dev/null")
    #expect(every.status == 2)
    #expect(every.stderr.hasPrefix("logscale: --current-every needs --current-cmd"), "\(every.stderr)")
  }

  @Test func kubectlExampleConvergesToTheLastDecision() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("\"$ROOT/examples/kubectl-scale.sh\" out", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let decisions = decodeNDJSON(Self.read(dir + "/out/decisions.ndjson"))
    try #require(decisions.count >= 3)
    let last = try #require(decisions.last?["to"] as? Int)
    #expect(Self.read(dir + "/out/replicas") == "\(last)\n")
    let log = Self.read(dir + "/out/kubectl.log").split(separator: "\n")
    let scales = log.filter { $0.hasPrefix("scale ") }
    #expect(!scales.isEmpty)
    let tos = Set(decisions.compactMap { $0["to"] as? Int })
    for call in scales {
      let n = Int(call.split(separator: "=").last ?? "") ?? -1
      #expect(call.hasPrefix("scale deploy/web --replicas=") && tos.contains(n), "\(call)")
    }
    #expect(log.contains("get deploy web -o jsonpath={.spec.replicas}"))
    #expect(result.stdout.hasSuffix("final replicas: \(last)\n"))
  }
}
