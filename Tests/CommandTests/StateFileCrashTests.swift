/*
 State files under SIGKILL: logscale --state, checkpointing after every
 decision, is killed with SIGKILL at random moments, 50 times, and restarted
 on the same input each time. After every kill the state file must load (the
 old state or the new one, never a torn or corrupt one), and it must never
 claim a decision that did not reach the output (the output is flushed before
 each checkpoint). Also: a run split in two with --state writes exactly what
 one uninterrupted run writes.
*/
import Foundation
import LogKit
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct StateFileCrashTests {
  static let scale = "logscale -m rps=count/15 --target 2 --max 500 --all"
  /// 3,000 window records 15 s apart, with a changing count (decisions change often).
  static let windows = #"awk 'BEGIN { for (i = 0; i < 3000; i++) printf "{\"end\":%d,\"count\":%d}\n", 1751328000 + i * 15, 30 + (i * 7) % 400 }'"#

  @Test func killedWritersLeaveTheOldOrTheNewState() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      \(Self.windows) > windows.ndjson
      for round in $(seq 50); do
        \(Self.scale) --state s.state --state-every 0s windows.ndjson > out.$round 2> /dev/null & pid=$!
        sleep 0.$(( (RANDOM % 18) + 2 ))
        kill -KILL $pid; wait $pid 2> /dev/null
        if [ -e s.state ]; then cp s.state snap.$round; fi
      done
      """, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    var loaded = 0
    var lastEvaluation: Int64 = 0
    var advanced = 0
    for round in 1...50 {
      let path = dir + "/snap.\(round)"
      guard FileManager.default.fileExists(atPath: path) else { continue }
      let saved = try #require(try StateFile.read(path: path, kind: "logscale", maxVersion: 1), "round \(round)")
      let state = try ScaleState.decode(saved.payload)
      loaded += 1
      let evaluated = try #require(state.lastEvaluation, "round \(round): a saved state has evaluated")
      #expect(evaluated >= lastEvaluation, "round \(round): the state never goes back")
      if evaluated > lastEvaluation {
        advanced += 1
        // The decision the state covers was written before the checkpoint.
        let out = try String(contentsOfFile: dir + "/out.\(round)", encoding: .utf8)
        let time = formatRFC3339(evaluated)
        #expect(out.contains("\"time\":\"\(time)\""), "round \(round): state at \(time) but no such decision in the output")
      }
      lastEvaluation = evaluated
    }
    #expect(loaded >= 45, "a state file existed after most kills (\(loaded) of 50)")
    #expect(advanced >= 10, "the kills landed mid-stream (\(advanced) rounds advanced the state)")
  }

  @Test func aRunSplitInTwoWritesWhatOneRunWrites() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      \(Self.windows) | head -n 400 > windows.ndjson
      \(Self.scale) windows.ndjson > whole.ndjson
      head -n 150 windows.ndjson | \(Self.scale) --state s.state > first.ndjson
      tail -n +151 windows.ndjson | \(Self.scale) --state s.state > second.ndjson
      cat first.ndjson second.ndjson | cmp - whole.ndjson && echo same
      printf 'not a state file\\n' > bad.state
      \(Self.scale) --state bad.state windows.ndjson > /dev/null; echo "corrupt: $?"
      """, in: dir)
    #expect(result.stdout.contains("same"), "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.contains("corrupt: 1"), "\(result.stdout)")
    #expect(result.stderr.contains("logscale: state file bad.state is corrupt"), "\(result.stderr)")
  }
}
