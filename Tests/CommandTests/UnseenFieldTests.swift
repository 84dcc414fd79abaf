/*
 A field an option names that no record has is a typo more often than not:
 at exit the command warns once per such field, with a did-you-mean among
 the fields records had. Fields that some records have are never warned.
*/
import Foundation
import LogKitTestSupport
import Testing

@Suite struct UnseenFieldTests {
  static let access = "$FIXTURES/logwindow/access.ndjson"
  static let combined = #"10.0.0.1 - - [01/Jan/2024:00:00:01 +0000] "GET /a HTTP/1.1" 200 512 "-" "curl/8""#

  @Test func logparseWarnsOnceAboutAFieldsNameNoRecordHad() throws {
    let input = Array(repeating: Self.combined, count: 3).joined(separator: "\n") + "\n"
    let r = try Shell.run("logparse --fields nosuchfield,stauts,status,status", stdin: input)
    #expect(r.status == 0)
    #expect(r.stdoutLines == Array(repeating: #"{"status":200}"#, count: 3))
    #expect(r.stderr == "logparse: no record has field 'nosuchfield'\nlogparse: no record has field 'stauts' (did you mean 'status'?)\n")
  }

  @Test func logparseFieldsThatSomeRecordsHaveAreNotWarned() throws {
    let withUser = Self.combined.replacingOccurrences(of: "- - [", with: "- bob [")
    let input = Self.combined + "\n" + withUser + "\n"
    let r = try Shell.run("logparse --fields path,user", stdin: input)
    #expect(r.status == 0)
    #expect(r.stdoutLines.last == #"{"user":"bob","path":"/a"}"#)
    #expect(r.stderr.isEmpty, "\(r.stderr)")
  }

  @Test func logwindowWarnsAboutKeyAndAggregateFields() throws {
    let r = try Shell.run("logwindow --every 1h -a 'count_if(stauts>=400)' --by pth \(Self.access) > out.ndjson")
    #expect(r.status == 0)
    #expect(r.stderr == "logwindow: no record has field 'pth' (did you mean 'path'?)\nlogwindow: no record has field 'stauts' (did you mean 'status'?)\n")
  }

  @Test func logwindowIsQuietWhenEveryFieldWasSeen() throws {
    let r = try Shell.run("logwindow --every 1h -a 'count_if(status>=400)' -a 'sum(bytes)' --by path --where 'status > 0' \(Self.access) > out.ndjson")
    #expect(r.status == 0)
    #expect(r.stderr.isEmpty, "\(r.stderr)")
  }
}
