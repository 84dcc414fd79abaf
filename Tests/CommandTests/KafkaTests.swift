/*
 Scale-out through a real Kafka broker (tansu) and kcat: examples/kafka.sh
 runs two consumers in one group, each `logwindow --partial --producer-by
 partition`, and a merge with an alert rule; the merged windows and the
 alerts must equal `logparse | logwindow | logalert` on the same log, also
 when one consumer is killed (SIGKILL) mid-stream and its partitions are
 replayed by the other. The tools come from scripts/kafka-tools (PyPI wheels
 and Debian's kcat); without them the tests skip.
*/
import Foundation
import LogKitTestSupport
import Testing

enum KafkaTools {
  /// The directory holding tansu and kcat, or nil when scripts/kafka-tools cannot get them.
  static let directory: String? = {
    guard let result = try? Shell.run("\"$ROOT/scripts/kafka-tools\""), result.status == 0 else { return nil }
    let dir = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    return dir.isEmpty ? nil : dir
  }()
  static var available: Bool { directory != nil && Shell.has("setsid") && Shell.has("awk") }
}

@Suite(.serialized, .temporaryDirectories,
       .enabled(if: KafkaTools.available, "the Kafka tools (tansu, kcat with librdkafka 2.x) cannot be had: run scripts/kafka-tools to see why (needs kcat, pip and network); skipped"))
struct KafkaTests {
  static let window = "--every 1m --by path -a count -a 'errors=count_if(status>=500)' -a 'sum(bytes)' -a 'p95(request_time)' -a 'distinct(client)'"
  static let rule = #"high_5xx: errors / count > 0.2 and count >= 3 by path summary "{path}: {value:%} 5xx""#

  /// Each record as canonical JSON (sorted keys), the lines sorted: a multiset to compare.
  static func canonical(_ path: String) -> [String] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return decodeNDJSON(text).map { record in
      let data = (try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])) ?? Data()
      return String(decoding: data, as: UTF8.self)
    }.sorted()
  }

  /// Runs the example (with `environment`) and checks its output against one process computed here.
  func runAndCompare(environment: [String: String] = [:]) throws -> ShellResult {
    let dir = Shell.makeTempDirectory()
    let started = Date()
    let result = try Shell.run("mkdir tmp && TMPDIR=$PWD/tmp \"$ROOT/examples/kafka.sh\" out 20000", in: dir, environment: environment)
    print("KafkaTests: examples/kafka.sh took \(Int(Date().timeIntervalSince(started))) s; stderr: \(result.stderr)")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("equal: "), "the example's own check: \(result.stdout)")
    // The single-machine pipeline, computed here on the example's log.
    let one = try Shell.run(
      "logparse out/access.log | logwindow \(Self.window) | tee mine-windows.ndjson | logalert --rule '\(Self.rule)' > mine-alerts.ndjson",
      in: dir)
    #expect(one.status == 0, "\(one.stderr)")
    let windows = Self.canonical(dir + "/out/windows.ndjson")
    #expect(windows.count > 300, "windows through Kafka: \(windows.count)")
    #expect(windows == Self.canonical(dir + "/mine-windows.ndjson"), "merged windows equal one process")
    let alerts = Self.canonical(dir + "/out/alerts.ndjson")
    #expect(alerts == Self.canonical(dir + "/mine-alerts.ndjson"), "alerts equal one process")
    let events = decodeNDJSON((try? String(contentsOfFile: dir + "/out/alerts.ndjson", encoding: .utf8)) ?? "")
    #expect(events.contains { $0["path"] as? String == "/checkout" && $0["state"] as? String == "firing" }, "\(alerts)")
    #expect(!result.stderr.contains("later than"), "no partial was late: \(result.stderr)")
    try Self.expectCleanedUp(dir, result.stderr)
    return result
  }

  /// The work directory is gone, and no process of the run (the broker on its port, a consumer) is left.
  /// (The port is in a variable so that the pgrep's own shell does not match.)
  static func expectCleanedUp(_ dir: String, _ stderr: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let broker = stderr.split(separator: "\n").first { $0.hasPrefix("kafka.sh: broker on ") }.map { $0.dropFirst(20) } ?? ""
    #expect(!broker.isEmpty, "the example names its broker: \(stderr)", sourceLocation: sourceLocation)
    let left = try Shell.run("b='\(broker)'; sleep 1; ls tmp | wc -l; pgrep -f \"$PWD/tmp|tcp://$b\" | wc -l", in: dir)
    #expect(left.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } == ["0", "0"],
            "the broker and every process stopped, the work directory removed: \(left.stdout)", sourceLocation: sourceLocation)
  }

  @Test func kafkaPipelineEqualsOneProcess() throws {
    let result = try runAndCompare()
    #expect(!result.stderr.contains("killed"), "\(result.stderr)")
  }

  @Test func ctrlCStopsTheBrokerAndEveryProcess() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run(
      """
      mkdir tmp
      TMPDIR=$PWD/tmp env --default-signal=INT bash "$ROOT/examples/kafka.sh" out 20000 & pid=$!
      sleep 9
      kill -INT $pid
      wait $pid
      echo "status $?"
      """, in: dir)
    #expect(result.stdout == "status 130\n", "\(result.stdout) \(result.stderr)")
    try Self.expectCleanedUp(dir, result.stderr)
  }

  @Test func consumerKilledMidStreamStillEqualsOneProcess() throws {
    let result = try runAndCompare(environment: ["KILL_CONSUMER": "150"])
    #expect(result.stderr.contains("kafka.sh: killed consumer 1 after"), "\(result.stderr)")
    // Its partitions were replayed by the other consumer: the merge dropped what it had already merged.
    let dropped = result.stderr.split(separator: "\n").first { $0.contains("partial records delivered again") }
    let count = dropped.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    #expect(count > 0, "the replayed partials were dropped as duplicates: \(result.stderr)")
  }
}
