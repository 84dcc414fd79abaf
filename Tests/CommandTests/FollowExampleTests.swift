/*
 examples/follow-webhook.sh (logparse --follow through a rotation, into
 alerts posted to a local webhook) gives the alerts the same pipeline gives
 on the whole log read at once; examples/logkit-alerts.service runs that
 script, stops it with SIGINT and keeps its state.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct FollowExampleTests {
  static let batch = """
    loggen --start 2025-07-01T00:00:00Z --seed 7 --duration 20m --rate 20 \
        --incident 'errors path=/checkout status=503 ratio=0.6 at=8m for=4m' \
      | logparse | logwindow --every 1m --by path -a count -a 'errors=count_if(status>=500)' \
      | logalert --rule 'high_5xx: errors / count > 0.2 and count >= 5 for 1m by path summary "{path}: {value:%} 5xx"'
    """

  @Test func followedLogGivesTheBatchAlertsAndPostsThem() throws {
    let tools = try Shell.run("command -v curl && command -v python3 && command -v split")
    guard tools.status == 0 else {
      print("FollowExampleTests: skipped, the example needs curl, python3 and split")
      return
    }
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("STATE=state timeout 120 \"$ROOT/examples/follow-webhook.sh\"", in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    let followedText = try String(contentsOfFile: dir + "/state/alerts.ndjson", encoding: .utf8)
    let followed = decodeNDJSON(followedText)
    #expect(followed.map { $0["state"] as? String } == ["firing", "resolved"])
    #expect(followedText == (try Shell.run(Self.batch, in: dir).stdout))
    // Both rotated generations were read, and the offsets cover both.
    #expect(FileManager.default.fileExists(atPath: dir + "/state/access.log.1"))
    let offsets = try String(contentsOfFile: dir + "/state/offsets", encoding: .utf8)
    #expect(!offsets.isEmpty)
    let posts = decodeNDJSON(try String(contentsOfFile: dir + "/state/received.ndjson", encoding: .utf8))
    #expect(posts.compactMap { $0["text"] as? String }.sorted()
      == followed.map { "[\($0["state"] as? String ?? "")] high_5xx: \($0["summary"] as? String ?? "")" }.sorted())
  }

  @Test func unitRunsTheScriptAndStopsItCleanly() throws {
    let unit = try String(contentsOfFile: Shell.packageRoot + "/examples/logkit-alerts.service", encoding: .utf8)
    let lines = unit.split(separator: "\n").map(String.init)
    #expect(lines.contains("KillSignal=SIGTERM"))
    #expect(lines.contains("KillMode=control-group"))
    #expect(lines.contains("StateDirectory=logkit-alerts"))
    #expect(lines.contains("Environment=STATE=/var/lib/logkit-alerts"))
    let exec = try #require(lines.first { $0.hasPrefix("ExecStart=") })
    #expect(exec.contains("/follow-webhook.sh ${LOG} ${WEBHOOK_URL}"))
    #expect(FileManager.default.isExecutableFile(atPath: Shell.packageRoot + "/examples/follow-webhook.sh"))
    let analyze = try Shell.run("command -v systemd-analyze")
    guard analyze.status == 0 else {
      print("FollowExampleTests: systemd-analyze not installed; the unit's syntax is not verified")
      return
    }
    let verify = try Shell.run("systemd-analyze verify --man=no \"$ROOT/examples/logkit-alerts.service\" 2>&1")
    #expect(!verify.stdout.contains("Unknown key"), "\(verify.stdout)")
  }
}
