/*
 logwindow --state end to end. Killed with SIGKILL at random moments while
 following a large file of logparse records, restarted each time on the
 positions its state holds: once the copies of windows written twice are
 dropped, the output equals one uninterrupted run's (counts, sums, min, max
 exactly; quantiles and distinct counts within their sketch bounds), and the
 copies are identical. Stopped with SIGINT instead, nothing is written twice
 (following, and re-reading standard input with the time rule). --merge
 resumes too. Damaged, newer or foreign state files and changed options are
 runtime errors (exit 1) with a message.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct WindowStateTests {
  static let aggregates = """
    --every 1m --by path -a count -a errors='count_if(status>=500)' -a 'sum(bytes)' -a 'min(request_time)' \
    -a 'max(request_time)' -a 'p95(request_time)' -a 'distinct(client)' -a 'top(3,status)'
    """

  /// records.ndjson (loggen | logparse, in time order) and one uninterrupted run's windows.
  static func prepare(_ dir: String, minutes: Int = 25) throws {
    let result = try Shell.run("""
      loggen --start 2025-07-01T00:00:00Z --seed 11 --duration \(minutes)m --rate 60 --format nginx | logparse > records.ndjson
      logwindow \(aggregates) records.ndjson > reference.ndjson
      """, in: dir)
    try #require(result.status == 0, "\(result.stderr)")
  }

  /// Shell: follows records.ndjson with --state S until the state covers the whole file, then SIGINT.
  static func followToTheEnd(state: String, output: String) -> String {
    untilCovered("logwindow --follow records.ndjson --state \(state) --state-every 0.2s \(aggregates)", file: "records.ndjson", state: state, output: output)
  }

  /// Shell: runs `command` (which follows `file` with --state `state`) until the state's
  /// position is the end of the file, then SIGINT.
  static func untilCovered(_ command: String, file: String, state: String, output: String) -> String {
    """
    env --default-signal=INT \(command) > \(output) & pid=$!
    size=$(stat -c %s \(file))
    for i in $(seq 600); do
      [ "$(sed -n 3p \(state) 2>/dev/null | cut -d' ' -f5)" = "$size" ] && break
      sleep 0.2
    done
    sleep 0.3; kill -INT $pid; wait $pid; echo "interrupted $?"
    """
  }

  static func lines(_ dir: String, _ names: [String]) throws -> [String] {
    try names.flatMap { name in
      try String(contentsOfFile: dir + "/" + name, encoding: .utf8).split(separator: "\n").map(String.init)
    }
  }

  /// start, end and path of a window record.
  static func key(_ record: [String: Any]) -> String {
    "\(record["start"] ?? "") \(record["end"] ?? "") \(record["path"] ?? "null")"
  }

  @Test func killedAtRandomAndRestartedOnItsPositionsEqualsOneRun() throws {
    let dir = Shell.makeTempDirectory()
    try Self.prepare(dir)
    var rng = TestRNG(seed: 20261203)
    var outputs: [String] = []
    var midStream = 0
    // The followed file grows while logwindow runs (25 pieces of 300 records per round, one every
    // 50 ms), so a kill lands mid-stream however fast the machine reads.
    let split = try Shell.run("mv records.ndjson source.ndjson && : > records.ndjson && split -l 300 -d -a 4 source.ndjson piece.", in: dir)
    try #require(split.status == 0, "\(split.stderr)")
    // Six kills, and more (up to twelve) while fewer than three hit the middle of the input.
    for round in 0..<12 where round < 6 || midStream < 3 {
      let delay = Double(Int.random(in: 200...1200, using: &rng)) / 1000
      let result = try Shell.run("""
        (for p in $(ls piece.* | sed -n '\(round * 25 + 1),\(round * 25 + 25)p'); do cat $p >> records.ndjson; sleep 0.05; done) & writer=$!
        logwindow --follow records.ndjson --state k.state --state-every 0.2s \(Self.aggregates) > out\(round).ndjson & pid=$!
        sleep \(delay); kill -KILL $pid; wait $pid 2>/dev/null; echo "killed $?"
        sed -n 3p k.state 2>/dev/null | cut -d' ' -f5; stat -c %s records.ndjson
        wait $writer
        """, in: dir)
      let words = result.stdout.split(separator: "\n").map(String.init)
      #expect(words.first == "killed 137", "round \(round): \(result.stdout) \(result.stderr)")
      if words.count == 3, let at = Int(words[1]), let size = Int(words[2]), at > 0, at < size { midStream += 1 }
      outputs.append("out\(round).ndjson")
    }
    let rest = try Shell.run("for p in $(ls piece.* | tail -n +\(outputs.count * 25 + 1)); do cat $p >> records.ndjson; done; cmp records.ndjson source.ndjson", in: dir)
    #expect(rest.status == 0, "the followed file ends up equal to the source: \(rest.stdout) \(rest.stderr)")
    let last = try Shell.run(Self.followToTheEnd(state: "k.state", output: "last.ndjson") + """

      logwindow --state k.state \(Self.aggregates) < /dev/null > rest.ndjson
      """, in: dir)
    #expect(last.stdout.contains("interrupted 130") && last.status == 0, "\(last.stdout) \(last.stderr)")
    outputs += ["last.ndjson", "rest.ndjson"]
    #expect(midStream >= 3, "kills that hit the middle of the input: \(midStream)")

    let reference = try Self.lines(dir, ["reference.ndjson"])
    var firstCopy: [String: String] = [:]
    var order: [String] = []
    var duplicates = 0
    var cut = 0
    for line in try Self.lines(dir, outputs) {
      // A kill in the middle of a write leaves a record cut short: not JSON, skipped as consumers do.
      guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        cut += 1
        continue
      }
      let key = Self.key(object)
      if let copy = firstCopy[key] {
        duplicates += 1
        #expect(copy == line, "a window written twice differs between its copies: \(key)")
      } else {
        firstCopy[key] = line
        order.append(key)
      }
    }
    print("WindowStateTests: \(reference.count) windows, \(duplicates) written twice, \(cut) cut short, over \(outputs.count - 2) kills")
    #expect(cut <= outputs.count - 2, "at most one record cut short per kill")
    #expect(order.count == reference.count, "windows: \(order.count) of \(reference.count)")
    for (i, line) in reference.enumerated() where i < order.count {
      let expected = decodeNDJSON(line).first ?? [:]
      let key = Self.key(expected)
      #expect(order[i] == key, "window \(i): \(order[i]) instead of \(key)")
      let got = decodeNDJSON(firstCopy[key] ?? "{}").first ?? [:]
      for field in ["count", "errors", "sum_bytes", "min_request_time", "max_request_time"] {
        #expect("\(got[field] ?? "none")" == "\(expected[field] ?? "none")", "\(key) \(field)")
      }
      Self.expectClose(got["p95_request_time"], expected["p95_request_time"], relative: 0.02, "\(key) p95")
      Self.expectClose(got["distinct_client"], expected["distinct_client"], relative: 0.03, "\(key) distinct")
    }
  }

  static func expectClose(_ got: Any?, _ expected: Any?, relative: Double, _ what: String) {
    guard let e = (expected as? NSNumber)?.doubleValue else {
      #expect(got == nil || got is NSNull, "\(what): \(String(describing: got)) for null")
      return
    }
    let g = (got as? NSNumber)?.doubleValue ?? .nan
    #expect(abs(g - e) <= relative * abs(e) + 1e-9, "\(what): \(g) for \(e)")
  }

  @Test func interruptedWithSIGINTWritesEveryWindowOnce() throws {
    let dir = Shell.makeTempDirectory()
    try Self.prepare(dir, minutes: 15)
    var rng = TestRNG(seed: 77)
    var script = ""
    for round in 0..<3 {
      let delay = Double(Int.random(in: 400...1500, using: &rng)) / 1000
      script += """
        env --default-signal=INT logwindow --follow records.ndjson --state i.state \(Self.aggregates) > f\(round).ndjson & pid=$!
        sleep \(delay); kill -INT $pid; wait $pid; echo "interrupted $?"

        """
    }
    script += Self.followToTheEnd(state: "i.state", output: "f3.ndjson") + """

      logwindow --state i.state \(Self.aggregates) < /dev/null > f4.ndjson
      cat f0.ndjson f1.ndjson f2.ndjson f3.ndjson f4.ndjson | cmp - reference.ndjson && echo "follow: same"
      env --default-signal=INT logwindow --state s.state \(Self.aggregates) < records.ndjson > s0.ndjson & pid=$!
      sleep \(Double(Int.random(in: 500...1500, using: &rng)) / 1000); kill -INT $pid; wait $pid; echo "interrupted $?"
      logwindow --state s.state \(Self.aggregates) < records.ndjson > s1.ndjson
      cat s0.ndjson s1.ndjson | cmp - reference.ndjson && echo "stdin: same"
      cat f0.ndjson f1.ndjson f2.ndjson | wc -l; wc -l < s0.ndjson
      """
    let result = try Shell.run(script, in: dir)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.filter { $0 == "interrupted 130" }.count == 5, "\(result.stdout) \(result.stderr)")
    #expect(lines.contains("follow: same") && lines.contains("stdin: same"), "\(result.stdout) \(result.stderr)")
    #expect(result.stderr.contains("open windows kept in --state i.state for the next run"))
    #expect(result.stderr.contains("skipped: already counted (--state s.state)"), "\(result.stderr)")
    // The interrupted runs had written windows already: the split is real.
    #expect(lines.suffix(2).allSatisfy { (Int($0.trimmingCharacters(in: .whitespaces)) ?? 0) > 0 }, "\(result.stdout)")
  }

  @Test func mergeResumesFromItsState() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      loggen --start 2025-07-01T00:00:00Z --seed 4 --duration 10m --rate 40 --format nginx | logparse \
        | logwindow --partial --every 1m --by path -a count -a 'p95(request_time)' -a 'distinct(client)' > partials.ndjson
      logwindow --merge partials.ndjson > reference.ndjson
      n=$(wc -l < partials.ndjson)
      head -n $((n / 2)) partials.ndjson > growing.ndjson
      env --default-signal=INT logwindow --merge --lateness 1m --follow growing.ndjson --state m.state > a.ndjson & pid=$!
      sleep 1; kill -INT $pid; wait $pid; echo "interrupted $?"
      tail -n +$((n / 2 + 1)) partials.ndjson >> growing.ndjson
      \(Self.untilCovered("logwindow --merge --lateness 1m --follow growing.ndjson --state m.state --state-every 0.2s", file: "growing.ndjson", state: "m.state", output: "b.ndjson"))
      logwindow --merge --lateness 1m --state m.state < /dev/null > c.ndjson
      cat a.ndjson b.ndjson c.ndjson | cmp - reference.ndjson && echo same
      wc -l < a.ndjson
      """, in: dir)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.prefix(3) == ["interrupted 130", "interrupted 130", "same"], "\(result.stdout) \(result.stderr)")
    #expect((Int(lines.last ?? "") ?? 0) > 0, "the first run wrote windows: \(result.stdout)")
  }

  @Test func badStateFilesAreRuntimeErrors() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      loggen --start 2025-07-01T00:00:00Z --seed 2 --duration 3m --rate 5 --format nginx | logparse > records.ndjson
      try() { logwindow --state "$1" --every 1m --by path < records.ndjson > /dev/null 2> err.txt; echo "$1 $?"; cat err.txt; }
      printf '{"logkit_state":"logwindow","version":9,"bytes":2}\\nxx' > newer.state; try newer.state
      printf 'garbage' > garbage.state; try garbage.state
      printf '{"logkit_state":"logwindow","version":1,"bytes":20}\\npositions none\\n{bad\\n' > payload.state; try payload.state
      printf '{"logkit_state":"logalert","version":1,"bytes":2}\\n{}' > alert.state; try alert.state
      env --default-signal=INT logwindow --state other.state --every 5m --by path < records.ndjson > /dev/null; try other.state
      logwindow --state-every 1s --every 1m < /dev/null; echo "usage $?"
      """, in: dir)
    let out = result.stdout
    for name in ["newer", "garbage", "payload", "alert", "other"] {
      #expect(out.contains("\(name).state 1\nlogwindow: "), "\(name): \(out)")
    }
    #expect(out.contains("holds logwindow state version 9; this logwindow reads versions up to 1"), "\(out)")
    #expect(out.contains("state file garbage.state is corrupt"), "\(out)")
    #expect(out.contains("state file payload.state is corrupt"), "\(out)")
    #expect(out.contains("holds logalert state, not logwindow state"), "\(out)")
    #expect(out.contains("other.state was saved with other windows, --by, -a, --where or --time-field"), "\(out)")
    #expect(out.contains("usage 2"), "\(out)")
  }
}
