/*
 Several streams at once, end to end: `logalert a.fifo b.fifo` answers a
 record on the second FIFO while the first one's writer is still open and
 silent (reading in turn would wait on the first forever); `logdash` over
 three FIFOs, one per record kind, written concurrently, summarises what one
 file with the same records gives; a bad line names the FIFO it came on.
 Files and one stream after them still read in turn, as `cat` would.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct SeveralInputsTests {
  static let hot = #"{"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","count":500}"#
  static let calm = #"{"start":"2025-07-01T00:01:00Z","end":"2025-07-01T00:02:00Z","count":5}"#

  @Test func logalertAnswersTheSecondFIFOWhileTheFirstIsSilent() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      mkfifo a.fifo b.fifo
      logalert --rule 'hot: count > 100' a.fifo b.fifo > out.ndjson 2> err.txt & pid=$!
      exec 3> a.fifo 4> b.fifo
      echo '\(Self.hot)' >&4
      for i in $(seq 50); do [ -s out.ndjson ] && break; sleep 0.1; done
      echo "during $(wc -l < out.ndjson)"
      echo '\(Self.calm)' >&3
      echo 'not json' >&4
      exec 3>&- 4>&-
      wait $pid; echo "status $?"
      cat err.txt >&2
      cat out.ndjson
      """, in: dir)
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "during 1", "the firing event came while a.fifo stayed open: \(result.stdout)")
    #expect(lines.contains("status 0"))
    let events = decodeNDJSON(lines.filter { $0.hasPrefix("{") }.joined(separator: "\n"))
    #expect(events.map { $0["state"] as? String } == ["firing", "resolved"])
    #expect(result.stderr.contains("logalert: b.fifo:2: invalid JSON"), "\(result.stderr)")
    #expect(result.stderr.contains("1 of 3 input lines rejected"), "\(result.stderr)")
  }

  @Test func logdashOverThreeFIFOsSummarisesAsOneFileDoes() throws {
    let dir = Shell.makeTempDirectory()
    let pipeline = Shell.fixture("logdash/pipeline.ndjson")
    let result = try Shell.run("""
      grep '"alert"' \(pipeline) > alerts.nd
      grep '"from"' \(pipeline) > scale.nd
      grep -v '"alert"' \(pipeline) | grep -v '"from"' > windows.nd
      mkfifo w.fifo a.fifo s.fifo
      logdash w.fifo a.fifo s.fifo > several.txt & pid=$!
      # Writers start in the reverse order of the arguments and hold their FIFOs together.
      cat scale.nd > s.fifo & cat alerts.nd > a.fifo & cat windows.nd > w.fifo
      wait $pid; echo "status $?"
      logdash \(pipeline) > single.txt
      cmp single.txt several.txt && echo same
      grep -c . several.txt
      """, in: dir)
    #expect(result.stdout.hasPrefix("status 0\nsame\n"), "\(result.stdout) \(result.stderr)")
    let summary = try String(contentsOfFile: dir + "/several.txt", encoding: .utf8)
    #expect(summary.contains("input: 90 window records, 4 alert events, 4 scale decisions"), "\(summary)")
  }

  @Test func filesThenOneStreamReadInTurn() throws {
    let result = try Shell.run("""
      printf '%s\\n' '\(Self.hot)' > first.ndjson
      printf '%s\\n' '\(Self.calm)' | logalert --rule 'hot: count > 100' first.ndjson -
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).map { $0["state"] as? String } == ["firing", "resolved"])
  }
}
