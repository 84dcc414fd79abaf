/*
 Documentation that runs: every command line of the man pages' EXAMPLES (the
 option tables' examples), of logkit(7)'s example blocks and of the README's
 code blocks is run here, with the built binaries, on small inputs made by
 `setup` under the names the examples use (access.log, records.ndjson, ...).

 A line runs as written unless an entry of `adaptations` matches it: a live
 line (endless input, a server) runs for a few seconds and must still be
 running when it is stopped with SIGINT; a few replacements make a line small
 or local (a million lines become a thousand, /var/log/nginx/access.log the
 local access.log, a fixed port a free one); lines that are the build and test
 run itself are skipped, named, with the reason. A new example needs no entry
 when it runs as written on these inputs; otherwise the test says which line failed.
*/
import Foundation
import LogKit
import LogKitTestSupport
import Testing

struct DocExample: Sendable, CustomTestStringConvertible {
  var source: String
  var line: String
  var testDescription: String { "\(source): \(line.prefix(70))" }
}

enum DocExamples {
  static let root = Shell.packageRoot

  /// The man pages' EXAMPLES come from the option tables.
  static let manPages: [DocExample] = CommandRegistry.specs.flatMap { spec in
    spec.examples.map { DocExample(source: "\(spec.name).1", line: $0.command) }
  }

  /// The `.nf` ... `.fi` blocks of man/logkit.7, roff escapes undone, continuations joined.
  static let logkit7: [DocExample] = {
    guard let text = try? String(contentsOfFile: root + "/man/logkit.7", encoding: .utf8) else { return [] }
    var blocks: [[String]] = []
    var current: [String]?
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
      if line == ".nf" { current = [] } else if line == ".fi" {
        if let c = current { blocks.append(c) }
        current = nil
      } else if current != nil, !line.hasPrefix(".") {
        current?.append(line.replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\\e", with: "\\"))
      }
    }
    return blocks.flatMap { joined($0) }.map { DocExample(source: "logkit.7", line: $0) }
  }()

  /// The README's indented code lines that start with a command (not the layout listing).
  static let readme: [DocExample] = {
    guard let text = try? String(contentsOfFile: root + "/README.md", encoding: .utf8) else { return [] }
    let starters = Set(CommandRegistry.names + ["swift", "make", "bash", "sh", "cat", "tail", "parallel", "scripts/build-release"])
    var lines: [String] = []
    var block: [String] = []
    func flush() {
      lines += joined(block).filter { starters.contains(String($0.prefix { $0 != " " })) }
      block = []
    }
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("    ") {
        let code = line.dropFirst(4)
        if !code.trimmingCharacters(in: .whitespaces).hasPrefix("#") { block.append(String(code)) }
      } else if !line.isEmpty {
        flush()
      }
    }
    flush()
    return lines.map { DocExample(source: "README.md", line: $0) }
  }()

  static let all = manPages + logkit7 + readme

  /// Joins lines ending in a backslash with the next one.
  static func joined(_ lines: [String]) -> [String] {
    var out: [String] = []
    var pending = ""
    for line in lines {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty { continue }
      if trimmed.hasSuffix("\\") {
        pending += String(trimmed.dropLast()).trimmingCharacters(in: .whitespaces) + " "
      } else {
        out.append(pending + trimmed)
        pending = ""
      }
    }
    return out
  }

  struct Adaptation {
    var match: String
    var replace: [(String, String)] = []
    /// Seconds to run a line that does not end by itself; nil: it must end, with status 0.
    var live: Int?
    /// Runs before the line (e.g. an input in another format).
    var setup = ""
    var skip: String?
    /// Tools the line needs beyond the binaries (skipped when absent).
    var needs: [String] = []
    /// What the line may say on stderr (otherwise nothing).
    var stderr: String?
    /// Text its output must have, and must not have.
    var output: (has: String, lacks: String)?
  }

  static let port = 20_000 + Int.random(in: 0..<20_000)

  static let adaptations: [Adaptation] = [
    Adaptation(match: "tail -F /var/log/nginx/access.log", replace: [("/var/log/nginx/access.log", "access.log")], live: 3),
    Adaptation(match: "loggen --rate 200 | logparse", live: 3),
    Adaptation(match: "loggen --rate 20000 --incident", live: 3),
    Adaptation(match: "loggen --rate 2000 --format nginx | logparse | tee", live: 3),
    Adaptation(match: "--count 1000000", replace: [("--count 1000000", "--count 1000")]),
    Adaptation(match: "loggen --replay NASA_access_log_Jul95", live: 3),
    Adaptation(match: "logdash --serve 127.0.0.1:8080", replace: [("127.0.0.1:8080", "127.0.0.1:\(port)")], live: 3),
    Adaptation(
      match: "logparse --apache-format '%h %l %u %t",
      setup: "loggen --start 2025-07-01T00:00:00Z --seed 2 --count 500 --format common | sed 's/$/ 1500/' > access.log"),
    Adaptation(match: "logdash --every 1h --html report.html", stderr: "logdash: report written to report.html\n"),
    Adaptation(match: "parallel --pipe", needs: ["parallel"]),
    // Actions that need a real service: the examples run the same against local stand-ins.
    Adaptation(match: "--exec curl", skip: "posts to a webhook service; examples/webhook.sh does the same with a local listener (LogAlertActionTests)"),
    Adaptation(match: "--current-cmd kubectl", skip: "needs a Kubernetes cluster; examples/kubectl-scale.sh runs it with a stand-in kubectl (LogScaleActionTests)"),
    // The README's first pipeline: its format carries the request time, so p95 is never null.
    Adaptation(match: "| jq ", needs: ["jq"], output: (#""path":"/checkout""#, #""p95_request_time":null"#)),
    // The README's set-up line: .ci/run makes the release build and runs the line as
    // written after the tests; here the script runs on the debug binaries.
    Adaptation(
      match: "examples/live.sh",
      replace: [("scripts/build-release && PATH=$PWD/.build/release:$PATH examples/live.sh", "examples/live.sh 2")]),
    Adaptation(match: "swift build --build-tests && swift test", skip: "the test run itself (.ci/run runs exactly this line)"),
    // Installs into a scratch DESTDIR from the built binaries; SWIFT=false fails if make tried to build.
    Adaptation(
      match: "make build && sudo make install",
      replace: [(
        "make build && sudo make install PREFIX=/usr/local",
        #"make -s -C "$ROOT" install PREFIX=/usr/local DESTDIR="$PWD/dest" BINARIES="$BIN" SWIFT=false && test -x dest/usr/local/bin/logparse && test -f dest/usr/local/share/man/man7/logkit.7"#
      )],
      needs: ["make"]),
  ]

  /// Small inputs under the names the examples use.
  static let setup = """
    set -e
    loggen --start 2025-07-01T00:00:00Z --seed 1 --count 20000 --format nginx \
      --incident 'errors path=/checkout status=503 ratio=0.6 at=1m for=1m' > access.log
    logparse access.log > access.ndjson
    cp access.ndjson records.ndjson; cp access.ndjson r.ndjson; cp access.log NASA_access_log_Jul95
    logwindow --every 15s -a count access.ndjson > windows.ndjson
    loggen --start 2025-07-01T00:00:00Z --seed 1 --count 2000 --format clickstream > clicks.ndjson
    head -10000 access.ndjson | logwindow --every 1m --partial -a count > shard1.partial
    tail -10000 access.ndjson | logwindow --every 1m --partial -a count > shard2.partial
    ln -s "$ROOT/examples" examples
    """
}

@Suite(.temporaryDirectories) struct DocExampleTests {
  @Test func examplesAreFound() {
    #expect(DocExamples.manPages.count >= 20)
    #expect(DocExamples.logkit7.count >= 3)
    #expect(DocExamples.logkit7.contains { $0.line.hasPrefix("parallel --pipe \"logparse | logwindow") })
    #expect(DocExamples.readme.count >= 5)
    #expect(DocExamples.readme.contains { $0.line.contains("--format nginx --incident") })
  }

  /// logwindow's synopsis forms, placeholders filled and optional parts included, are
  /// accepted (the synopsis once showed `--window all --every`, which is rejected).
  @Test func logwindowSynopsisFormsAreAccepted() throws {
    let spec = try #require(CommandRegistry.specs.first { $0.name == "logwindow" })
    #expect(spec.usage.count >= 4)
    for form in spec.usage {
      let args = form.replacingOccurrences(of: "[OPTIONS]", with: "").replacingOccurrences(of: "[FILE...]", with: "")
        .replacingOccurrences(of: "[", with: "").replacingOccurrences(of: "]", with: "")
        .replacingOccurrences(of: "DURATION", with: "1m").replacingOccurrences(of: "GAP", with: "30m")
        .replacingOccurrences(of: "KEYS", with: "path")
      let result = try Shell.run("logwindow \(args) < /dev/null")
      #expect(result.status == 0, "logwindow \(args): \(result.stderr)")
    }
  }

  @Test(arguments: DocExamples.all)
  func runsAsDocumented(_ example: DocExample) throws {
    let adaptation = DocExamples.adaptations.first { example.line.contains($0.match) }
    if let reason = adaptation?.skip {
      print("\(example.source): not run (\(reason)): \(example.line)")
      return
    }
    for tool in adaptation?.needs ?? [] where !Shell.has(tool) {
      print("\(example.source): not run, \(tool) is not installed: \(example.line)")
      return
    }
    var line = example.line
    for (from, to) in adaptation?.replace ?? [] { line = line.replacingOccurrences(of: from, with: to) }
    let dir = Shell.makeTempDirectory()
    let prepared = try Shell.run(DocExamples.setup + "\n" + (adaptation?.setup ?? ""), in: dir)
    try #require(prepared.status == 0, "setup: \(prepared.stderr)")
    try line.write(toFile: dir + "/example.sh", atomically: false, encoding: .utf8)
    let environment = ["BIN": Shell.binDirectory]
    if let seconds = adaptation?.live {
      let result = try Shell.run(
        "timeout -s INT \(seconds) env --default-signal=INT bash example.sh > out 2> err; echo $?; cat err", in: dir, environment: environment)
      // 124: still running when stopped, as a live line should be.
      #expect(result.stdoutLines.first == "124", "\(example.source): \(line)\n\(result.stdout)")
      #expect(!result.stdout.contains(" try '") && !result.stdout.contains("syntax error"), "\(result.stdout)")
    } else {
      let result = try Shell.run("bash example.sh", in: dir, environment: environment)
      #expect(result.status == 0, "\(example.source): \(line)\n\(result.stderr)")
      #expect(result.stderr == (adaptation?.stderr ?? ""), "\(example.source): \(line)\n\(result.stderr)")
      if let (has, lacks) = adaptation?.output {
        #expect(result.stdout.contains(has) && !result.stdout.contains(lacks), "\(example.source): \(line)\n\(result.stdout)")
      }
    }
  }
}
