/*
 `logparse --follow --offsets` end to end with the built binary.

 A writer (python3) appends 200,000 numbered lines in common log format
 (the number in the path) in bursts at a varying rate, some split mid-line
 across two writes, and rotates the file every 6,000 to 14,000 lines,
 alternately by rename (writing a few more lines to the old file before it
 reopens, as a server does until its reload) and by copytruncate (not writing
 between copy and truncate, as the documented window is unavoidable).
 Meanwhile logparse is killed with SIGKILL at random moments and restarted,
 appending to one output file; a last run catches up and gets SIGINT. Every
 number must appear; duplicates are counted, reported, and must stay within
 the stated bound (10,000 lines per restart); records cut short by a kill are
 counted too. Also: SIGINT exits 130 with output flushed and offsets saved, so
 the next run repeats nothing.
*/
import Foundation
import LogKit
import LogKitTestSupport
import Testing

@Suite(.temporaryDirectories) struct FollowTests {
  static let line = #"127.0.0.1 - - [02/Dec/2026:19:40:00 +0000] "GET /n/%d HTTP/1.1" 200 5\n"#

  static let writer = """
    import os, random, shutil, sys, time
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    rnd = random.Random(seed)
    path = 'app.log'
    fmt = '\(line)'
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    fd = os.open(path, flags, 0o644)
    i, rot, rotations = 1, 0, []
    next_rot = rnd.randint(6000, 14000)
    def put(fd, first, last):
        data = ''.join(fmt % k for k in range(first, last + 1)).encode()
        cut = rnd.randint(0, len(data)) if rnd.random() < 0.3 else len(data)
        os.write(fd, data[:cut])
        if cut < len(data):
            time.sleep(0.002)
            os.write(fd, data[cut:])
    while i <= n:
        last = min(n, i + rnd.randint(1, 300) - 1)
        put(fd, i, last)
        i = last + 1
        if i > next_rot and i <= n:
            rot += 1
            if rot % 2 == 1:
                os.rename(path, '%s.%d' % (path, rot))
                lag = min(n, i + rnd.randint(0, 50) - 1)
                if lag >= i:
                    put(fd, i, lag)
                    i = lag + 1
                os.close(fd)
                fd = os.open(path, flags, 0o644)
                rotations.append('rename')
            else:
                shutil.copyfile(path, '%s.%d' % (path, rot))
                os.truncate(path, 0)
                rotations.append('copytruncate')
            next_rot = i + rnd.randint(6000, 14000)
        time.sleep(rnd.choice([0.002, 0.005, 0.01, 0.03]))
    os.close(fd)
    open('rotations', 'w').write(' '.join(rotations) + '\\n')
    open('done', 'w').close()
    """

  static let follow = "logparse --follow --offsets off.state --format common app.log"

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
  func killedAndRestartedDuringRotationLosesNothing() throws {
    let dir = Shell.makeTempDirectory()
    try Self.writer.write(toFile: dir + "/writer.py", atomically: true, encoding: .utf8)
    let total = 200_000
    let result = try Shell.run("""
      python3 writer.py \(total) 7 & writer=$!
      kills=0
      while [ ! -e done ]; do
        \(Self.follow) >> out.ndjson 2>> err.txt & pid=$!
        sleep $(awk -v s=$kills 'BEGIN { srand(s + 1); printf "%.2f", 0.15 + rand() * 1.1 }')
        kill -KILL $pid; wait $pid 2> /dev/null
        kills=$((kills + 1))
      done
      wait $writer
      env --default-signal=INT \(Self.follow) >> out.ndjson 2>> err.txt & pid=$!
      previous=-1; rounds=0
      while [ $rounds -lt 80 ]; do
        sleep 1.5
        size=$(wc -c < out.ndjson)
        [ "$size" = "$previous" ] && break
        previous=$size; rounds=$((rounds + 1))
      done
      kill -INT $pid; wait $pid; echo "status=$?"
      env --default-signal=INT \(Self.follow) > again.ndjson 2>> err.txt & pid=$!
      sleep 1.5; kill -INT $pid; wait $pid
      echo "kills=$kills"; echo "again=$(wc -l < again.ndjson)"; echo "rotations=$(cat rotations)"
      """, in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("status=130"), "\(result.stdout)")
    #expect(result.stdout.contains("again=0"), "after SIGINT a restart must repeat nothing: \(result.stdout)")
    let errors = try String(contentsOfFile: dir + "/err.txt", encoding: .utf8)
    #expect(errors.isEmpty, "logparse complained: \(errors.prefix(2000))")
    let kills = result.stdoutLines.first { $0.hasPrefix("kills=") }.flatMap { Int($0.dropFirst(6)) } ?? 0
    let rotations = result.stdoutLines.first { $0.hasPrefix("rotations=") } ?? ""
    #expect(rotations.contains("rename") && rotations.contains("copytruncate"))
    #expect(kills >= 3)

    let (counts, torn) = try Self.count(dir + "/out.ndjson", upTo: total)
    let missing = (1...total).filter { counts[$0] == 0 }
    let duplicates = counts.reduce(0) { $0 + max($1 - 1, 0) }
    FileHandle.standardError.write(Data(
      "follow end to end: \(total) lines, \(kills) kills, \(rotations), \(missing.count) missing, \(duplicates) duplicates, \(torn) records cut short\n".utf8))
    #expect(missing.isEmpty, "missing \(missing.count): \(missing.prefix(20))")
    #expect(duplicates <= (kills + 1) * 10_000, "\(duplicates) duplicates after \(kills) kills")
    #expect(torn <= kills)
  }

  /// How often each number appears in complete records, and how many lines are cut-short records.
  static func count(_ path: String, upTo total: Int) throws -> ([Int], Int) {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var counts = [Int](repeating: 0, count: total + 1)
    var torn = 0
    let marker = "\"path\":\"/n/"
    for line in text.split(separator: "\n") {
      guard line.hasSuffix("}"), let range = line.range(of: marker) else { torn += 1; continue }
      let digits = line[range.upperBound...].prefix { $0.isNumber }
      guard let number = Int(digits), number >= 1, number <= total else { torn += 1; continue }
      counts[number] += 1
    }
    return (counts, torn)
  }

  @Test func sigintFlushesOutputAndSavesOffsets() throws {
    let dir = Shell.makeTempDirectory()
    let result = try Shell.run("""
      for n in 1 2 3; do printf '\(Self.line)' $n; done > app.log
      env --default-signal=INT \(Self.follow) > out1.ndjson & pid=$!
      tries=0; while [ ! -s off.state ] && [ $tries -lt 600 ]; do sleep 0.1; tries=$((tries + 1)); done
      kill -INT $pid; wait $pid; echo "status=$?"
      for n in 4 5; do printf '\(Self.line)' $n; done >> app.log
      : > out2.ndjson  # before the background stage opens it, so the loop below never reads a missing file
      env --default-signal=INT \(Self.follow) >> out2.ndjson & pid=$!
      tries=0; while [ "$(wc -l < out2.ndjson)" -lt 2 ] && [ $tries -lt 600 ]; do sleep 0.1; tries=$((tries + 1)); done
      kill -TERM $pid; wait $pid; echo "status=$?"
      grep -o '/n/[0-9]*' out1.ndjson out2.ndjson
      tail -n 1 off.state
      """, in: dir)
    #expect(result.stdoutLines.filter { $0.hasPrefix("status=") } == ["status=130", "status=143"], "\(result.stdout) \(result.stderr)")
    #expect(result.stdout.contains("out1.ndjson:/n/1\nout1.ndjson:/n/2\nout1.ndjson:/n/3\nout2.ndjson:/n/4\nout2.ndjson:/n/5\n"), "\(result.stdout)")
    #expect(result.stdout.contains(" 5 app.log\n"), "offsets end at line 5: \(result.stdout)")
  }

  @Test(arguments: [
    ("logparse --follow", "--follow needs FILE arguments"),
    ("logparse --follow -", "not standard input"),
    ("logparse --offsets o.state a.log", "--offsets needs --follow"),
    ("logparse --from-end a.log", "--from-end needs --follow"),
    ("logparse --follow --from-start --from-end a.log", "exclude each other"),
  ])
  func usageErrors(command: String, message: String) throws {
    let result = try Shell.run(command + " < /dev/null")
    #expect(result.status == 2)
    #expect(result.stderr.hasPrefix("logparse: ") && result.stderr.contains(message), "\(result.stderr)")
  }
}
