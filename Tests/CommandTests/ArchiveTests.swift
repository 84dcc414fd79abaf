/*
 `--split-by-time` end to end with the built binaries.

 Out of order: access lines numbered 1...N (the number in the path), their
 times shuffled within a few minutes and spanning several hours, parsed into
 an hourly archive: the archive's records are exactly those of a plain
 `logparse` run (as a multiset), each in the file of its hour, no .partial
 left, the records later than --split-lateness in part files and reported.

 kill -9: `logparse --follow --offsets` writes the archive while a writer
 appends to the log; it is killed with SIGKILL at random moments and
 restarted. After every kill each file is a final *.ndjson whose lines are
 all complete records, or a .partial; at the end (SIGINT) the archive's
 records equal an uninterrupted run's exactly: none lost, none twice.
 The same for `logwindow --state` writing window records.
*/
import Foundation
import LogKit
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct ArchiveTests {
  static let pattern = "arc/date=%Y-%m-%d/hour=%H/access-%Y%m%d%H.ndjson"

  /// Writes N common-log lines whose times advance 1 s per line (from 2026-12-01T08:00Z) with a
  /// jitter of up to ±`jitter` seconds, appending in bursts (`pause` s apart) when `pause` > 0.
  static let writer = """
    import os, random, sys, time
    from datetime import datetime, timedelta, timezone
    n, seed, jitter, pause = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    rnd = random.Random(seed)
    base = datetime(2026, 12, 1, 8, 0, 0, tzinfo=timezone.utc)
    def line(k):
        t = base + timedelta(seconds=k + rnd.randint(-jitter, jitter))
        return '10.0.%d.%d - - [%s] "GET /n/%d HTTP/1.1" 200 %d\\n' % (k % 200, k % 7, t.strftime('%d/%b/%Y:%H:%M:%S +0000'), k, k % 1000)
    fd = os.open('app.log', os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    i = 1
    while i <= n:
        last = min(n, i + rnd.randint(1, 400) - 1)
        data = ''.join(line(k) for k in range(i, last + 1)).encode()
        cut = rnd.randint(0, len(data)) if rnd.random() < 0.3 else len(data)
        os.write(fd, data[:cut])
        if cut < len(data):
            time.sleep(0.002)
            os.write(fd, data[cut:])
        i = last + 1
        if pause > 0:
            time.sleep(rnd.choice([pause / 4, pause, pause * 2]))
    os.close(fd)
    open('done', 'w').close()
    """

  /// After a kill: every file is `*.ndjson` with complete JSON lines only, or `*.ndjson.partial`.
  static let checker = """
    import gzip, json, os, sys
    bad = []
    for root, _, names in os.walk('arc'):
        for name in names:
            path = os.path.join(root, name)
            if name.endswith('.ndjson.partial') or name.endswith('.ndjson.gz.partial'):
                continue
            if not name.endswith('.ndjson') and not name.endswith('.ndjson.gz'):
                bad.append('stray ' + path); continue
            data = open(path, 'rb').read()
            if name.endswith('.gz'):
                try: data = gzip.decompress(data)
                except Exception: bad.append('bad gzip ' + path); continue
            if data and not data.endswith(b'\\n'):
                bad.append('torn ' + path)
            for l in data.splitlines():
                try: json.loads(l)
                except Exception: bad.append('invalid line in ' + path)
    print('check ' + ('ok' if not bad else ' '.join(bad[:5])))
    """

  /// Waits until the last run has caught up: the archive and the state files unchanged
  /// over two checks 1.5 s apart (a loaded machine may stall a run for a moment).
  static let settle = """
    previous=-1; same=0; rounds=0
    while [ $same -lt 2 ] && [ $rounds -lt 120 ]; do
      sleep 1.5
      sum=$(cat $(find arc -type f | sort) *.state 2> /dev/null | cksum)
      if [ "$sum" = "$previous" ]; then same=$((same + 1)); else same=0; fi
      previous=$sum; rounds=$((rounds + 1))
    done
    """

  static var hasPython: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") || Shell.has("python3") }

  /// Every file under `dir`/arc (relative path → lines).
  static func archive(_ dir: String, root name: String = "arc") -> [String: [String]] {
    var out: [String: [String]] = [:]
    let root = dir + "/" + name
    guard let walker = FileManager.default.enumerator(atPath: root) else { return out }
    for case let rel as String in walker {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir), !isDir.boolValue else { continue }
      var text = (try? String(contentsOfFile: root + "/" + rel, encoding: .utf8)) ?? ""
      if rel.hasSuffix(".gz") { text = (try? Shell.run("gzip -dc '\(root)/\(rel)'").stdout) ?? "" }
      out[rel] = text.split(separator: "\n").map(String.init)
    }
    return out
  }

  static func multiset(_ lines: [String]) -> [String: Int] {
    var m: [String: Int] = [:]
    for l in lines { m[l, default: 0] += 1 }
    return m
  }

  /// Each record is in the file of its hour (the file name's yyyymmddhh is the time's).
  static func misplaced(_ files: [String: [String]]) -> [String] {
    var wrong: [String] = []
    for (path, lines) in files where (path.hasSuffix(".ndjson") || path.hasSuffix(".ndjson.gz")) && !path.hasPrefix("_no_time") {
      guard let r = path.range(of: "access-") else { wrong.append(path); continue }
      let stamp = String(path[r.upperBound...].prefix(10))
      for line in lines {
        guard let t = line.range(of: "\"time\":\"") ?? line.range(of: "\"start\":\"") else { wrong.append(line); continue }
        let time = line[t.upperBound...].prefix(13)  // 2026-12-01T10
        let digits = time.filter(\.isNumber)
        if digits != stamp { wrong.append("\(path): \(line.prefix(60))") }
      }
      let dirStamp = path.split(separator: "/").prefix(2).joined(separator: "/")
      let expect = "date=\(stamp.prefix(4))-\(stamp.dropFirst(4).prefix(2))-\(stamp.dropFirst(6).prefix(2))/hour=\(stamp.suffix(2))"
      if dirStamp != expect { wrong.append("\(path) not under \(expect)") }
    }
    return wrong
  }

  @Test(.enabled(if: hasPython)) func outOfOrderInputLandsInItsHoursExactly() throws {
    let dir = Shell.makeTempDirectory()
    try Self.writer.write(toFile: dir + "/writer.py", atomically: true, encoding: .utf8)
    let result = try Shell.run("""
      python3 writer.py 30000 11 150 0
      logparse --format common app.log > reference.ndjson
      logparse --format common --split-by-time '\(Self.pattern)' app.log > stdout.txt 2> stderr.txt; echo "status=$?"
      cat stderr.txt
      """, in: dir)
    #expect(result.stdout.hasPrefix("status=0"), "\(result.stdout) \(result.stderr)")
    let reference = try String(contentsOfFile: dir + "/reference.ndjson", encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(reference.count == 30000)
    #expect(try String(contentsOfFile: dir + "/stdout.txt", encoding: .utf8).isEmpty)
    let files = Self.archive(dir)
    #expect(files.keys.allSatisfy { $0.hasSuffix(".ndjson") }, "left: \(files.keys.filter { !$0.hasSuffix(".ndjson") })")
    let same = Self.multiset(files.values.flatMap { $0 }) == Self.multiset(reference)
    #expect(same, "archive: \(files.values.reduce(0) { $0 + $1.count }) records, reference \(reference.count)")
    #expect(Self.misplaced(files).isEmpty, "\(Self.misplaced(files).prefix(5))")
    let hours = Set(files.keys.filter { !$0.contains(".1.") }.map { $0.prefix(27) })
    #expect(hours.count >= 8, "\(hours.sorted())")
    // Jitter of ±150 s against a lateness of 60 s: some records come after their hour closed.
    let parts = files.filter { $0.key.range(of: #"\.[0-9]+\.ndjson$"#, options: .regularExpression) != nil }
    let partRecords = parts.values.reduce(0) { $0 + $1.count }
    #expect(partRecords > 0)
    #expect(result.stdout.contains("logparse: \(partRecords) records came for a period whose file was already closed"), "\(result.stdout)")
  }

  @Test func usageErrors() throws {
    for (args, message) in [
      ("--split-by-time 'a/%Y/%q.ndjson'", "unknown specifier %q"),
      ("--split-lateness 5m", "--split-lateness needs --split-by-time"),
      ("--split-by-time 'a/%H.ndjson' --split-max-open 0", "split-max-open"),
    ] {
      let result = try Shell.run("logparse \(args) < /dev/null")
      #expect(result.status == 2, "\(args): \(result.stderr)")
      #expect(result.stderr.hasPrefix("logparse: ") && result.stderr.contains(message), "\(result.stderr)")
    }
  }

  @Test func recordsWithoutTimeAndAnEarlierRunsFiles() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      printf '1.2.3.4 - - [01/Dec/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 5\\n' > in.log
      for run in 1 2; do
        logparse --split-by-time 'arc/%H.ndjson' in.log 2>&1 && logparse --fields path --split-by-time 'arc/%H.ndjson' in.log 2>&1
        echo "status=$?"
      done
      ls arc
      """, in: dir)
    #expect(result.stdoutLines.filter { $0.hasPrefix("status=") } == ["status=0", "status=0"], "\(result.stdout) \(result.stderr)")
    #expect(result.stdout.contains("logparse: 1 records had no time; written to arc/_no_time.ndjson"), "\(result.stdout)")
    // The second run never appends to the first run's files: part files.
    #expect(result.stdout.contains("10.1.ndjson\n10.ndjson\n_no_time.1.ndjson\n_no_time.ndjson\n"), "\(result.stdout)")
  }

  /// Kills `command` (run in `dir`, appending to nothing: it writes the archive) with SIGKILL
  /// while the writer appends, restarts it, checks the archive after every kill; SIGINT at the end.
  static func killLoop(_ command: String, total: Int, in dir: String) throws -> ShellResult {
    try writer.write(toFile: dir + "/writer.py", atomically: true, encoding: .utf8)
    try checker.write(toFile: dir + "/check.py", atomically: true, encoding: .utf8)
    return try Shell.run("""
      python3 writer.py \(total) 5 150 0.01 & writer=$!
      \(killAndRestart(command, seed: 3, sleep: (0.2, 1.0)))
      """, in: dir)
  }

  /// Shell text: kills `stage` with SIGKILL after a seeded random sleep (`sleep.0` plus up to
  /// `sleep.1` s) and restarts it, checking the archive after every kill, until the writer
  /// (`$writer`, which touches `done`) has finished and 4 kills were made; runs `then`, and the
  /// stage once more, stopped with SIGINT. Prints `status=` and `kills=K mid=M`.
  static func killAndRestart(_ stage: String, seed: Int, sleep: (Double, Double), then: String = "") -> String {
    """
    kills=0; mid=0
    while [ ! -e done ] || [ $kills -lt 4 ]; do
      \(stage) 2>> err.txt & pid=$!
      sleep $(awk -v s=$kills 'BEGIN { srand(s + \(seed)); printf "%.2f", \(sleep.0) + rand() * \(sleep.1) }')
      kill -KILL $pid; wait $pid 2> /dev/null
      kills=$((kills + 1))
      [ -e done ] || mid=$((mid + 1))
      python3 check.py >> checks.txt
    done
    wait $writer
    \(then)
    env --default-signal=INT \(stage) 2>> err.txt & pid=$!
    \(settle)
    kill -INT $pid; wait $pid; echo "status=$?"
    echo "kills=$kills mid=$mid"
    """
  }

  static func checkKillRun(_ result: ShellResult, dir: String, reference: [String]) throws {
    #expect(result.stdout.contains("status=130"), "\(result.stdout) \(result.stderr)")
    let checks = try String(contentsOfFile: dir + "/checks.txt", encoding: .utf8).split(separator: "\n")
    #expect(!checks.isEmpty && checks.allSatisfy { $0 == "check ok" }, "\(checks.filter { $0 != "check ok" }.prefix(3))")
    let files = archive(dir)
    let ending = files.keys.contains { $0.hasSuffix(".gz") } ? ".ndjson.gz" : ".ndjson"
    #expect(files.keys.allSatisfy { $0.hasSuffix(ending) }, "left: \(files.keys.filter { !$0.hasSuffix(ending) })")
    let got = multiset(files.values.flatMap { $0 }), want = multiset(reference)
    let missing = want.filter { got[$0.key, default: 0] < $0.value }.count
    let extra = got.filter { want[$0.key, default: 0] < $0.value }.count
    let summary = result.stdoutLines.last { $0.hasPrefix("kills=") } ?? ""
    let mid = summary.split(separator: " ").last.flatMap { Int($0.dropFirst(4)) } ?? 0
    #expect(mid >= 1, "no kill landed while input was being appended: \(summary)")
    FileHandle.standardError.write(Data("archive kill -9: \(reference.count) records, \(summary), \(files.count) files, \(missing) missing, \(extra) extra\n".utf8))
    #expect(missing == 0 && extra == 0, "\(missing) records missing, \(extra) extra after \(summary)")
    #expect(misplaced(files).isEmpty)
  }

  @Test(.enabled(if: hasPython), arguments: ["", "--compress gzip"])
  func killedLogparseWritesEveryRecordOnce(compress: String) throws {
    let dir = Shell.makeTempDirectory()
    let command = "logparse --follow --offsets off.state --format common \(compress) --split-by-time '\(Self.pattern)' app.log"
    let result = try Self.killLoop(command, total: 40000, in: dir)
    let reference = try Shell.run("logparse --format common app.log", in: dir).stdoutLines
    #expect(reference.count == 40000)
    try Self.checkKillRun(result, dir: dir, reference: reference)
    #expect(Self.archive(dir).keys.allSatisfy { $0.hasSuffix(compress.isEmpty ? ".ndjson" : ".ndjson.gz") })
    let errors = try String(contentsOfFile: dir + "/err.txt", encoding: .utf8)
    #expect(!errors.contains("no time") && !errors.contains("missing"), "\(errors.prefix(1000))")
  }

  @Test(.enabled(if: hasPython)) func killedLogwindowWritesEveryWindowOnce() throws {
    let dir = Shell.makeTempDirectory()
    let window = "--every 1m --by client -a n=count -a 'bytes=sum(bytes)'"
    let stage = "logwindow --follow --state win.state --state-every 100ms --lateness 10m \(window) --split-by-time '\(Self.pattern)' parsed.ndjson"
    // logwindow follows parsed records; a first stage (not killed) turns the log into them.
    try Self.writer.write(toFile: dir + "/writer.py", atomically: true, encoding: .utf8)
    try Self.checker.write(toFile: dir + "/check.py", atomically: true, encoding: .utf8)
    let result = try Shell.run("""
      python3 writer.py 30000 9 150 0.01 & writer=$!
      env --default-signal=INT logparse --format common --follow --from-start app.log > parsed.ndjson & parser=$!
      \(Self.killAndRestart(stage, seed: 5, sleep: (0.3, 1.0), then: "sleep 1; kill -INT $parser; wait $parser"))
      logwindow --lateness 10m \(window) parsed.ndjson > reference.ndjson
      """, in: dir)
    let reference = try String(contentsOfFile: dir + "/reference.ndjson", encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(reference.count > 1000)
    // SIGINT keeps logwindow's open windows in its state, unwritten: finish them as the reference did.
    _ = try Shell.run("logwindow --state win.state --lateness 10m \(window) --split-by-time '\(Self.pattern)' < /dev/null", in: dir)
    try Self.checkKillRun(result, dir: dir, reference: reference)
  }

  /// examples/archive-duckdb.sh: the four reports as SQL over the archive equal logwindow's.
  @Test func duckdbExampleAgreesWithLogwindow() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("$ROOT/examples/archive-duckdb.sh '' \(dir)/work", in: dir)
    if result.status == 3 { try Test.cancel("DuckDB cannot be had (python3 -m venv, pip install duckdb): \(result.stderr)") }
    #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
    let reports = ["top-urls": 10, "busiest-hours": 5, "error-prone-urls": 2, "suspicious-clients": 1]
    for (report, least) in reports {
      let sql = try String(contentsOfFile: "\(dir)/work/reports/\(report).sql.tsv", encoding: .utf8)
      let logwindow = try String(contentsOfFile: "\(dir)/work/reports/\(report).logwindow.tsv", encoding: .utf8)
      #expect(sql == logwindow, "\(report)")
      #expect(sql.split(separator: "\n").count >= least, "\(report): \(sql)")
      #expect(result.stdout.contains("== \(report)\n\(sql)-- SQL and logwindow agree"))
    }
    // The archive holds every parsed line, and the SQL top URL is the true one.
    let records = Self.archive(dir + "/work", root: "archive").values.flatMap { $0 }
    let reference = try Shell.run("logparse access.log", in: dir + "/work").stdoutLines
    let same = Self.multiset(records) == Self.multiset(reference)
    #expect(same && reference.count > 40000, "archive: \(records.count) records, logparse: \(reference.count)")
    var counts: [String: Int] = [:]
    for line in reference {
      if let r = line.range(of: "\"path\":\""), let end = line[r.upperBound...].firstIndex(of: "\"") {
        counts[String(line[r.upperBound..<end]), default: 0] += 1
      }
    }
    let top = try String(contentsOfFile: "\(dir)/work/reports/top-urls.sql.tsv", encoding: .utf8).split(separator: "\n").first ?? ""
    let best = counts.max { $0.value < $1.value }
    #expect(top == "\(best?.key ?? "")\t\(best?.value ?? 0)")
    let scanner = try String(contentsOfFile: "\(dir)/work/reports/suspicious-clients.sql.tsv", encoding: .utf8)
    #expect(scanner.contains("\t203.0.113.9\t"), "the injected scanner: \(scanner)")
  }

  /// logalert's --state carries the archive too: alert events written exactly once across kills.
  @Test(.enabled(if: hasPython)) func killedLogalertWritesEveryEventOnce() throws {
    let dir = Shell.makeTempDirectory()
    try Self.writer.write(toFile: dir + "/writer.py", atomically: true, encoding: .utf8)
    try Self.checker.write(toFile: dir + "/check.py", atomically: true, encoding: .utf8)
    try """
      import os, random, sys, time
      rnd = random.Random(int(sys.argv[3]))
      lines = open(sys.argv[1], 'rb').read().splitlines(keepends=True)
      fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
      i = 0
      while i < len(lines):
          n = rnd.randint(1, 30)
          os.write(fd, b''.join(lines[i:i + n]))
          i += n
          time.sleep(rnd.choice([0.01, 0.03, 0.06]))
      os.close(fd)
      open('done', 'w').close()
      """.write(toFile: dir + "/copy.py", atomically: true, encoding: .utf8)
    let alert = "--idle 0 --rule 'busy: n > 10'"
    let stage = "logalert --follow --state alert.state --state-every 0s \(alert) --split-by-time '\(Self.pattern)' windows.ndjson"
    let result = try Shell.run("""
      python3 writer.py 30000 13 150 0 && rm done
      logparse --format common app.log | logwindow --lateness 10m --every 10s -a n=count > all-windows.ndjson
      logalert \(alert) all-windows.ndjson > reference.ndjson
      python3 copy.py all-windows.ndjson windows.ndjson 4 & writer=$!
      \(Self.killAndRestart(stage, seed: 7, sleep: (0.2, 0.8)))
      """, in: dir)
    let reference = try String(contentsOfFile: dir + "/reference.ndjson", encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(reference.count > 500, "\(reference.count) alert events")
    try Self.checkKillRun(result, dir: dir, reference: reference)
  }

  /// loggen places raw lines by their own timestamp, in UTC whatever --zone says.
  @Test func loggenSplitsRawLinesByTheirTime() throws {
    let dir = Shell.makeTempDirectory()
    let gen = "loggen --seed 3 --start 2026-12-01T22:30:00Z --rate 2 --duration 3h --zone -0400"
    let result = try Shell.run("""
      \(gen) --split-by-time 'arc/%Y%m%d/access-%H.log' && \(gen) > all.log
      find arc -type f | sort
      loggen --format w3c --count 1 --split-by-time 'x/%H.log'; echo "status=$?"
      """, in: dir)
    #expect(result.stdoutLines.prefix(4) == ["arc/20261201/access-22.log", "arc/20261201/access-23.log", "arc/20261202/access-00.log", "arc/20261202/access-01.log"], "\(result.stdout) \(result.stderr)")
    #expect(result.stdout.contains("status=2") && result.stderr.contains("--format w3c"))
    let files = Self.archive(dir)
    let all = try String(contentsOfFile: dir + "/all.log", encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(Self.multiset(files.values.flatMap { $0 }) == Self.multiset(all) && all.count > 20000)
    for (path, lines) in files {
      let hour = Int(path.suffix(6).prefix(2)) ?? -1
      for line in lines {
        guard let r = line.range(of: "/2026:") else { continue }
        let local = Int(line[r.upperBound...].prefix(2)) ?? -99
        #expect((local + 4) % 24 == hour, "\(path): \(line.prefix(60))")
      }
    }
  }

  /// SIGINT while input is still open: every file closed (renamed), exit 130.
  @Test func sigintClosesEveryFile() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      printf '1.2.3.4 - - [01/Dec/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 5\\n1.2.3.4 - - [01/Dec/2026:11:00:00 +0000] "GET /b HTTP/1.1" 200 5\\n' > in.log
      mkfifo feed
      env --default-signal=INT logparse --split-by-time 'arc/%H.ndjson' < feed & pid=$!
      exec 3> feed; cat in.log >&3
      tries=0; while [ "$(find arc -name '*.partial' 2> /dev/null | wc -l)" -lt 2 ] && [ $tries -lt 100 ]; do sleep 0.1; tries=$((tries + 1)); done
      find arc -type f | sort
      kill -INT $pid; wait $pid; echo "status=$?"; exec 3>&-
      find arc -type f | sort
      """, in: dir)
    #expect(result.stdoutLines == ["arc/10.ndjson.partial", "arc/11.ndjson.partial", "status=130", "arc/10.ndjson", "arc/11.ndjson"], "\(result.stdout) \(result.stderr)")
  }
}
