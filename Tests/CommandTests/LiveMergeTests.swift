/*
 Scale-out through real processes: producers (`logwindow --partial`) on
 shards of one log, keyed by client as a Kafka topic would be, merged live
 (`--merge --producers N` on several FIFOs at once, one producer lagging)
 or after GNU parallel; the merged windows equal one process over the log.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct LiveMergeTests {
  static let aggregates = "--every 1m --by path -a count -a 'errors=count_if(status>=500)' -a 'sum(bytes)' -a 'max(request_time)' -a 'p95(request_time)' -a 'distinct(client)'"

  /// access.ndjson (time order) and shard0..2.ndjson, split by client.
  static let makeShards = """
    set -e
    loggen --rate max --count 40000 --start 2025-07-01T00:00:00Z --seed 3 --format nginx | logparse > access.ndjson
    awk '{ match($0, /"client":"[^"]*"/); c = substr($0, RSTART, RLENGTH); h = 0
           for (i = 1; i <= length(c); i++) h = (h * 31 + index("0123456789.abcdefghijklmnopqrstuvwxyz:", substr(c, i, 1))) % 3
           print > ("shard" h ".ndjson") }' access.ndjson
    """

  @Test func liveMergeOfThreeProducersThroughFIFOsEqualsOneProcess() throws {
    let dir = Shell.makeTempDirectory()
    let script = """
      \(Self.makeShards)
      logwindow \(Self.aggregates) access.ndjson | sort > one.ndjson
      mkfifo p0 p1 p2
      logwindow \(Self.aggregates) --partial --producer shard-0 shard0.ndjson > p0 &
      logwindow \(Self.aggregates) --partial --producer shard-1 shard1.ndjson > p1 &
      (sleep 1; exec logwindow \(Self.aggregates) --partial --producer shard-2 shard2.ndjson) > p2 &
      logwindow --merge --producers 3 p0 p1 p2 | sort > merged.ndjson
      wait
      cmp one.ndjson merged.ndjson
      wc -l < one.ndjson
      """
    let result = try Shell.run(script, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.isEmpty, "no late partial records, no rejects: \(result.stderr)")
    #expect((Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 50)
  }

  @Test func partialsDeliveredTwiceAreDroppedAndCounted() throws {
    let dir = Shell.makeTempDirectory()
    let script = """
      \(Self.makeShards)
      logwindow \(Self.aggregates) access.ndjson | sort > one.ndjson
      for k in 0 1 2; do logwindow \(Self.aggregates) --partial --producer shard-$k shard$k.ndjson > part$k.ndjson; done
      # A consumer restarted before it committed: the merge reads 30 records of part1 again.
      test "$(wc -l < part1.ndjson)" -gt 60
      (cat part0.ndjson; head -40 part1.ndjson; sed -n '11,40p' part1.ndjson; tail -n +41 part1.ndjson; cat part2.ndjson) \\
        | logwindow --merge --producers 3 | sort > merged.ndjson
      cmp one.ndjson merged.ndjson
      """
    let result = try Shell.run(script, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("logwindow: 30 partial records delivered again (same producer, run and seq) were dropped"), "\(result.stderr)")
  }

  @Test(.enabled(if: Shell.has("parallel"), "GNU parallel is not installed (apt-get install parallel); skipped"))
  func gnuParallelShardsEqualOneProcess() throws {
    let dir = Shell.makeTempDirectory()
    let script = """
      set -e
      loggen --rate max --count 200000 --start 2025-07-01T00:00:00Z --seed 4 --format nginx > access.log
      logparse access.log | logwindow \(Self.aggregates) | sort > one.ndjson
      parallel --pipe --block 4M -j 2 "logparse | logwindow \(Self.aggregates.replacingOccurrences(of: "'", with: "\\\"")) --partial" < access.log \\
        | logwindow --merge | sort > merged.ndjson
      cmp one.ndjson merged.ndjson
      test "$(wc -c < access.log)" -gt 8000000
      """
    let result = try Shell.run(script, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
  }

  @Test(.enabled(if: Shell.has("parallel"), "GNU parallel is not installed (apt-get install parallel); skipped"))
  func parallelShardsExampleSaysEqual() throws {
    let dir = Shell.makeTempDirectory()
    let script = """
      loggen --rate max --count 60000 --start 2025-07-01T00:00:00Z --seed 8 --format nginx > access.log
      "$ROOT/examples/parallel-shards.sh" access.log 2 2M
      """
    let result = try Shell.run(script, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("equal: "), "\(result.stdout)")
  }

  @Test(.enabled(if: Shell.has("setsid"), "needs setsid (util-linux)"))
  func fanOutExampleShutsDownCleanlyOnInterrupt() throws {
    let dir = Shell.makeTempDirectory()
    let script = """
      mkdir tmp
      TMPDIR=$PWD/tmp env --default-signal=INT bash "$ROOT/examples/fan-out.sh" out 60 2> err.txt & pid=$!
      # Interrupted once the incident's alert is out (a loaded machine is slower to get there),
      # or after 40 s: then the stages' end-of-input flush must bring it.
      sleep 12
      for i in $(seq 56); do grep -qs '"firing"' out/alerts.ndjson && break; sleep 0.5; done
      kill -INT $pid
      wait $pid
      echo "status $?"
      sleep 1
      echo "left: $(ls tmp | wc -l) $(pgrep -f "$PWD/tmp" | wc -l)"
      cat err.txt
      """
    let result = try Shell.run(script, in: dir)
    #expect(result.stdout.contains("status 130"), "\(result.stdout)")
    #expect(result.stdout.contains("left: 0 0"), "FIFOs removed, no stage left running: \(result.stdout)")
    for name in ["alerts", "scale"] {
      let text = (try? String(contentsOfFile: dir + "/out/\(name).ndjson", encoding: .utf8)) ?? ""
      let records = decodeNDJSON(text)
      #expect(!records.isEmpty, "\(name).ndjson has records")
    }
    // The archive: hourly files, all closed (none left .partial), holding every parsed record.
    let archive = try Shell.run("find out/archive -type f | sort; find out/archive -name '*.ndjson' -exec cat {} + | wc -l", in: dir)
    let files = archive.stdout.split(separator: "\n").dropLast().map(String.init)
    #expect(!files.isEmpty && files.allSatisfy { $0.hasSuffix(".ndjson") && $0.contains("/date=") && $0.contains("/hour=") }, "\(archive.stdout)")
    let archived = Int(archive.stdout.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
    #expect(archived > 1000, "\(archive.stdout)")
    #expect(result.stdout.contains("\(archived) records archived"), "\(result.stdout)")
    let alerts = decodeNDJSON((try? String(contentsOfFile: dir + "/out/alerts.ndjson", encoding: .utf8)) ?? "")
    #expect(alerts.contains { $0["path"] as? String == "/checkout" && $0["state"] as? String == "firing" })
  }
}
