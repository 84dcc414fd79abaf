/*
 logalert --state end to end. A run split in two at any line (the first part
 ends, the second re-reads the whole input with the saved state) writes
 byte for byte what one run writes: firing alerts are not re-fired or
 forgotten and detectors keep their baselines. Killed with SIGKILL at a
 random moment while reading a slow FIFO (--state-every 0s), then restarted
 on the whole input: what the killed run wrote is a prefix of the one-run
 output, the restarted run's output a suffix, nothing is missing, and the
 events written twice all belong to one evaluation time (the bound stated
 in the man page). A corrupt state file is a runtime error.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct AlertStateTests {
  static let rules = """
    --rule 'high_5xx: errors / count > 0.2 and count >= 5 for 2m by path' \
    --rule 'traffic: anomaly(count) >= 0.5 and count >= 20 by path' \
    --rule 'slow: zscore(p95_request_time) > 4 by path'
    """

  /// Window records with an error burst and a spike, and the events of one uninterrupted run.
  static func prepare(_ dir: String) throws {
    let result = try Shell.run("""
      loggen --start 2025-07-01T00:00:00Z --seed 5 --duration 150m --rate 12 --format nginx \
        --incident 'errors path=/checkout status=503 ratio=0.6 at=50m for=10m' --incident 'spike factor=4 at=100m for=10m' \
      | logparse | logwindow --every 1m --by path -a count -a errors='count_if(status>=500)' -a 'p95(request_time)' > windows.ndjson
      logalert \(rules) windows.ndjson > reference.ndjson
      """, in: dir)
    try #require(result.status == 0, "\(result.stderr)")
  }

  @Test func aRunSplitAnywhereWritesWhatOneRunWrites() throws {
    let dir = Shell.makeTempDirectory()
    try Self.prepare(dir)
    let result = try Shell.run("""
      n=$(wc -l < windows.ndjson)
      for cut in 1 777 $((n / 2)) $((n - 3)); do
        rm -f a.state
        head -n $cut windows.ndjson | logalert --state a.state \(Self.rules) > first.ndjson
        logalert --state a.state \(Self.rules) windows.ndjson > second.ndjson 2>> skipped.txt
        cat first.ndjson second.ndjson | cmp -s - reference.ndjson && echo "same $cut" || echo "differ $cut"
      done
      grep -c 'skipped: already evaluated' skipped.txt
      wc -l < reference.ndjson
      """, in: dir)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.prefix(4).allSatisfy { $0.hasPrefix("same ") } && lines.count == 6, "\(result.stdout) \(result.stderr)")
    // Every restart but the one after the first line skipped what the first part evaluated.
    #expect(lines.dropFirst(4).first == "3")
    #expect((Int(lines.last ?? "") ?? 0) > 50, "the input has alerts to keep: \(result.stdout)")
  }

  @Test func killedAtRandomThenRestartedMissesNothing() throws {
    let dir = Shell.makeTempDirectory()
    try Self.prepare(dir)
    let reference = try String(contentsOfFile: dir + "/reference.ndjson", encoding: .utf8).split(separator: "\n").map(String.init)
    var rng = TestRNG(seed: 20261202)
    var duplicates: [Int] = []
    var midStream = 0
    for round in 0..<5 {
      let delay = Double(Int.random(in: 150...1400, using: &rng)) / 1000
      let result = try Shell.run("""
        rm -f k.state k.fifo; mkfifo k.fifo
        awk '{ print; fflush(); if (NR % 50 == 0) system("sleep 0.05") }' windows.ndjson > k.fifo &
        logalert --state k.state --state-every 0s \(Self.rules) k.fifo > killed.ndjson & pid=$!
        sleep \(delay); kill -KILL $pid; wait $pid 2>/dev/null; echo "killed $?" >&2
        kill %1 2>/dev/null; wait 2>/dev/null
        logalert --state k.state \(Self.rules) windows.ndjson > restarted.ndjson
        """, in: dir)
      #expect(result.status == 0, "round \(round): \(result.stderr)")
      let killedText = try String(contentsOfFile: dir + "/killed.ndjson", encoding: .utf8)
      // Events are written whole (one write per event); only complete lines count.
      let killed = killedText.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
      let restarted = try String(contentsOfFile: dir + "/restarted.ndjson", encoding: .utf8).split(separator: "\n").map(String.init)
      #expect(Array(reference.prefix(killed.count)) == killed, "round \(round): the killed run wrote a prefix")
      #expect(Array(reference.suffix(restarted.count)) == restarted, "round \(round): the restart wrote a suffix")
      let overlap = killed.count + restarted.count - reference.count
      #expect(overlap >= 0, "round \(round): \(reference.count - killed.count - restarted.count) events missing")
      if overlap > 0 {
        let times = Set(restarted.prefix(overlap).compactMap { (decodeNDJSON($0).first?["time"] as? String) })
        #expect(times.count == 1, "round \(round): events written twice span \(times)")
      }
      duplicates.append(Swift.max(overlap, 0))
      // Killed while running (not after its end), and the restart resumed from a checkpoint.
      if result.stderr.contains("killed 137") && result.stderr.contains("skipped: already evaluated") { midStream += 1 }
    }
    #expect(midStream >= 3, "most kills landed mid-stream: \(midStream) of 5")
    print("logalert kill -9 rounds: events written twice per round \(duplicates) of \(reference.count)")
  }

  @Test func aCorruptStateIsARuntimeError() throws {
    let result = try Shell.run("""
      printf '{"logkit_state":"logalert","version":1,"bytes":5}\\nhello' > bad.state
      echo '{"end":"2025-07-01T00:01:00Z","count":1}' | logalert --state bad.state --rule 'x: count > 0'
      """)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("logalert: state file bad.state is corrupt"), "\(result.stderr)")
  }
}
