/*
 Input whose every non-empty line is rejected is a mistake: the run says
 what the input looks like and what to do, and exits 1. Partly bad input
 stays a success (the bad lines are counted and reported as before).
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite struct WholeInputRejectedTests {
  static let access = "$FIXTURES/logwindow/access.ndjson"
  static let combined = #"10.0.0.1 - - [01/Jan/2024:00:00:01 +0000] "GET /a HTTP/1.1" 200 512 "-" "curl/8""#

  @Test func logparseOnGzipSaysUseZcat() throws {
    let r = try Shell.run("printf '%s\\n%s\\n' '\(Self.combined)' '\(Self.combined)' | gzip > in.gz && logparse in.gz")
    #expect(r.status == 1)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains("logparse: in.gz: "), "\(r.stderr)")
    #expect(r.stderr.contains("input looks gzip-compressed: use zcat"), "\(r.stderr)")
  }

  @Test func logparseOnGonxSampleNamesTheFormatOptions() throws {
    // gonx's sample (../shared/data/nginx) needs --nginx-format; the golden case keeps two of its lines.
    let r = try Shell.run("logparse \(Shell.fixture("logparse/0006-gonx-nginx-format/input.log"))")
    #expect(r.status == 1)
    #expect(r.stderr.contains("input.log: all 2 lines were rejected: no known format matched"), "\(r.stderr.suffix(400))")
    #expect(r.stderr.contains("see --format, --apache-format/--nginx-format"))
  }

  @Test func logwindowOnARawLogSaysPipeThroughLogparse() throws {
    let r = try Shell.run("logwindow --every 1m", stdin: Self.combined + "\n\n" + Self.combined + "\n")
    #expect(r.status == 1)
    #expect(r.stderr.contains("logwindow: <stdin>: all 2 lines were rejected: input is not JSON: pipe raw logs through logparse first"), "\(r.stderr)")
  }

  @Test func mergeOfRecordsThatAreNotPartialSaysWhatItReads() throws {
    let r = try Shell.run("head -3 \(Self.access) | logwindow --merge")
    #expect(r.status == 1)
    #expect(r.stderr.contains("logwindow: <stdin>: all 3 lines were rejected: these are not partial records: --merge reads the output of logwindow --partial"), "\(r.stderr)")
  }

  @Test func onlyTheWhollyRejectedInputIsNamed() throws {
    let r = try Shell.run("printf 'not json\\n' > raw.txt && logwindow --every 1h -a count \(Self.access) raw.txt")
    #expect(r.status == 1)
    #expect(r.stderr.contains("raw.txt: its only line was rejected: input is not JSON"), "\(r.stderr)")
    #expect(!r.stderr.contains("access.ndjson: all"))
    #expect(!r.stdout.isEmpty)
  }

  @Test func partlyBadInputStillSucceeds() throws {
    let r = try Shell.run("{ head -3 \(Self.access); echo 'not json'; } | logwindow --every 1h -a count")
    #expect(r.status == 0)
    #expect(r.stderr.contains("1 of 4 input lines rejected"))
    #expect(!r.stderr.contains("were rejected"))
  }

  @Test func emptyInputIsNotAnError() throws {
    let r = try Shell.run("printf '\\n\\n' | logwindow --every 1m && logparse < /dev/null")
    #expect(r.status == 0)
    #expect(!r.stderr.contains("were rejected"))
  }
}
