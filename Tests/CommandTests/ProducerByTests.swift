/*
 A Kafka consumer's view without a broker: lines `partition<TAB>offset<TAB>record`
 of four partitions (keyed by client) interleaved in chunks, as a consumer
 group member receives them. `logwindow --partial --producer-by partition`
 keeps a watermark per partition, its partials depend on the partition's
 records only (a replay writes them again, identical), redelivered offsets
 are skipped, and the merge (with --state across a kill -9, --until-ended on
 an input that does not end) equals one process. KafkaTests runs the same
 through a real broker.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct ProducerByTests {
  static let window = "--every 1m --by path -a count -a 'errors=count_if(status>=500)' -a 'sum(bytes)' -a 'p95(request_time)' -a 'distinct(client)'"
  static let consumer = "logwindow \(window) --partial --input-prefix partition,offset --producer-by partition --producer access"

  /// access.ndjson, one.ndjson (one process, sorted) and interleaved.tsv: the
  /// partitions' lines in chunks of 50, round robin, each partition ended by
  /// {"_watermark":"end"}.
  static let setup = """
    set -e
    loggen --rate 50 --count 12000 --start 2025-07-01T00:00:00Z --seed 7 --format nginx | logparse > access.ndjson
    logwindow \(window) access.ndjson | sort > one.ndjson
    awk '{ match($0, /"client":"[^"]*"/); c = substr($0, RSTART, RLENGTH); h = 0
           for (i = 1; i <= length(c); i++) h = (h * 31 + index("0123456789.abcdefghijklmnopqrstuvwxyz:", substr(c, i, 1))) % 4
           print $0 > ("p" h ".ndjson") }' access.ndjson
    for p in 0 1 2 3; do
      { cat p$p.ndjson; echo '{"_watermark":"end"}'; } | awk -v p=$p '{ print p "\\t" NR - 1 "\\t" $0 }' | split -l 50 - chunk$p.
    done
    paste -d '\\n' <(ls chunk0.*) <(ls chunk1.*) <(ls chunk2.*) <(ls chunk3.*) | grep . | xargs cat > interleaved.tsv
    """

  /// Runs the setup, then `script`, with bash (for process substitution) in a fresh directory.
  func run(_ script: String) throws -> (ShellResult, String) {
    let dir = Shell.makeTempDirectory()
    try (Self.setup + "\n" + script + "\n").write(toFile: dir + "/test.sh", atomically: true, encoding: .utf8)
    return (try Shell.run("bash test.sh", in: dir), dir)
  }

  @Test func partitionsInterleavedMergeToOneProcess() throws {
    let (result, _) = try run("""
      \(Self.consumer) interleaved.tsv > partials.ndjson
      logwindow --merge --producers 4 partials.ndjson | sort | cmp - one.ndjson
      grep -o '"producer":"[^"]*"' partials.ndjson | sort -u | tr '\\n' ' '
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == #""producer":"access/partition=0" "producer":"access/partition=1" "producer":"access/partition=2" "producer":"access/partition=3" "#)
    #expect(result.stderr.isEmpty, "no late events, no notes: \(result.stderr)")
  }

  @Test func aConsumerKilledMidStreamIsReplacedExactly() throws {
    // The first consumer read 40% of the interleaved stream and died: it never reached
    // its end, and wrote nothing for its open windows; the second replays every
    // partition from its start. Its partials for a partition start with the first's.
    let (result, _) = try run("""
      n=$(( $(wc -l < interleaved.tsv) * 2 / 5 ))
      head -$n interleaved.tsv | \(Self.consumer) > first.ndjson 2> first.err
      \(Self.consumer) interleaved.tsv > second.ndjson
      for p in 0 1 2 3; do
        grep -F "\\"access/partition=$p\\"" first.ndjson > f$p || true
        grep -F "\\"access/partition=$p\\"" second.ndjson | head -$(wc -l < f$p) | cmp - f$p
      done
      test "$(wc -l < first.ndjson)" -gt 100
      cat first.ndjson second.ndjson | logwindow --merge --producers 4 | sort | cmp - one.ndjson
      cat first.err
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("open windows of 4 producers not written"), "\(result.stdout)")
    #expect(result.stderr.contains("partial records delivered again (same producer, run and seq) were dropped"), "\(result.stderr)")
  }

  @Test func redeliveredOffsetsAreSkipped() throws {
    // A rebalance gives a consumer its partitions back from their start (kcat -o beginning).
    let (result, _) = try run("""
      \(Self.consumer) interleaved.tsv > once.ndjson
      { head -3000 interleaved.tsv; cat interleaved.tsv; } | \(Self.consumer) | cmp - once.ndjson
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr == "logwindow: 3000 records redelivered (offset not above the last one of their producer) were skipped\n")
  }

  @Test func mergeStateKeepsTheProducersAcrossAKill() throws {
    // A merge killed with -9 and restarted on the whole stream again: the
    // producers' seen seqs in --state drop what it had merged; nothing twice.
    let (result, _) = try run("""
      \(Self.consumer) interleaved.tsv > partials.ndjson
      { head -900 partials.ndjson; sleep 4; } | logwindow --merge --producers 4 --idle 60s --state m.state > first.ndjson & pid=$!
      sleep 3; kill -9 $pid; wait $pid || true
      grep -c '^{"producer":' m.state
      logwindow --merge --producers 4 --idle 60s --state m.state partials.ndjson > second.ndjson
      test -s first.ndjson
      sort first.ndjson second.ndjson | cmp - one.ndjson
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "4\n", "one line per producer in the state: \(result.stdout)")
    #expect(result.stderr.contains("logwindow: 900 partial records delivered again"), "\(result.stderr)")
  }

  @Test func untilEndedExitsOnAnEndlessInput() throws {
    let (result, _) = try run("""
      \(Self.consumer) interleaved.tsv > partials.ndjson
      mkfifo endless
      { cat partials.ndjson; exec sleep 30; } > endless &
      timeout 15 logwindow --merge --producers 4 --until-ended < endless | sort | cmp - one.ndjson
      echo "status ${PIPESTATUS[0]}"
      """)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "status 0\n", "exited before its input ended: \(result.stdout)")
  }

  @Test func aWatermarkRecordClosesAQuietPartitionsWindows() throws {
    // Partition 1 has no traffic after 00:00:20: its window stays open (end of input
    // writes nothing) until its writer says where the partition is.
    let records = #"1\t0\t{"time":"2025-07-01T00:00:10Z","path":"/"}\n1\t1\t{"time":"2025-07-01T00:00:20Z","path":"/"}\n"#
    let consumer = "logwindow --every 1m --by path --partial --input-prefix partition,offset --producer-by partition --producer a"
    let quiet = try Shell.run("printf '\(records)' | \(consumer)")
    #expect(quiet.status == 0 && quiet.stdout.isEmpty, "\(quiet.stdout)")
    #expect(quiet.stderr.contains("1 open windows of 1 producers not written"), "\(quiet.stderr)")
    let moved = try Shell.run(#"printf '\#(records)1\t2\t{"_watermark":"2025-07-01T00:06:00Z"}\n' | \#(consumer)"#)
    #expect(moved.status == 0 && moved.stderr.isEmpty, "\(moved.stderr)")
    let lines = decodeNDJSON(moved.stdout)
    #expect(lines.count == 2, "the window and the heartbeat after it: \(moved.stdout)")
    #expect(lines.first?["count"] == nil && lines.first?["start"] as? String == "2025-07-01T00:00:00Z")
    let last = lines.last?["_partial"] as? [String: Any]
    #expect(last?["producer"] as? String == "a/partition=1" && last?["watermark"] as? String == "2025-07-01T00:06:00Z", "\(moved.stdout)")
    // No window closes: a heartbeat alone tells the merge.
    let early = try Shell.run(#"printf '\#(records)1\t2\t{"_watermark":"2025-07-01T00:00:30Z"}\n' | \#(consumer)"#)
    #expect(early.stdout == #"{"_partial":{"v":2,"producer":"a/partition=1","run":1,"seq":1,"watermark":"2025-07-01T00:00:30Z"}}"# + "\n")
  }

  @Test func usageErrors() throws {
    let cases: [(String, String)] = [
      ("--partial --input-prefix partition,offset --producer-by partition", "--producer-by needs --producer NAME"),
      ("--partial --input-prefix offset --producer-by partition --producer a", "needs that name in --input-prefix"),
      ("--input-prefix partition --producer-by partition", "--producer-by needs --partial"),
      ("--partial --input-prefix partition --producer-by partition --producer a --state s", "--state cannot be used with --producer-by"),
      ("--partial --input-prefix p --producer-by p --producer a --emit early=1s", "--emit early cannot be used with --producer-by"),
      ("--input-prefix 'a b'", "invalid --input-prefix"),
      ("--until-ended", "--until-ended needs --merge --producers N"),
    ]
    for (args, message) in cases {
      let result = try Shell.run("logwindow --every 1m \(args) < /dev/null")
      #expect(result.status == 2, "\(args)")
      #expect(result.stderr.contains(message), "\(args): \(result.stderr)")
    }
  }

  @Test func badPrefixesAreRejectedByLine() throws {
    let result = try Shell.run(
      #"printf '0\t1\t{"time":"2025-07-01T00:00:00Z"}\nno tabs\nx\t2\t{"time":"2025-07-01T00:00:01Z"}\n0\tz\t{}\n' | "#
        + "logwindow --every 1m --input-prefix partition,offset")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("line without its 2 tab-separated --input-prefix values"), "\(result.stderr)")
    #expect(result.stderr.contains("invalid offset"), "\(result.stderr)")
    #expect(decodeNDJSON(result.stdout).first?["count"] as? Int == 2, "\(result.stdout)")
  }
}
