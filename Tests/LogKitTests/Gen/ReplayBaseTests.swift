// The minimal Common/Combined reader used for --replay.
import Testing
@testable import LogKit

@Suite struct ReplayBaseTests {
  private func parse(_ line: String) -> (ReplayRecord, [UInt8])? {
    var out: [UInt8] = []
    var text = line
    let record = text.withUTF8 { ReplayBase.parse(UnsafeRawBufferPointer($0), appendingTo: &out) }
    return record.map { ($0, out) }
  }

  private func text(_ r: Range<Int32>, _ bytes: [UInt8]) -> String {
    String(decoding: bytes[Int(r.lowerBound)..<Int(r.upperBound)], as: UTF8.self)
  }

  @Test func commonLogLine() throws {
    let (r, bytes) = try #require(parse(#"in24.inetnebr.com - - [01/Aug/1995:00:00:01 -0400] "GET /shuttle/missions/sts-68/news/sts-68-mcc-05.txt?x=1 HTTP/1.0" 200 1839"#))
    #expect(text(r.client, bytes) == "in24.inetnebr.com")
    #expect(r.user.isEmpty)
    #expect(text(r.method, bytes) == "GET")
    #expect(text(r.path, bytes) == "/shuttle/missions/sts-68/news/sts-68-mcc-05.txt")
    #expect(text(r.query, bytes) == "x=1")
    #expect(text(r.protocolName, bytes) == "HTTP/1.0")
    #expect(r.status == 200 && r.bytes == 1839)
    #expect(r.referer.isEmpty && r.agent.isEmpty)
  }

  @Test func combinedLineWithDashSize() throws {
    let (r, bytes) = try #require(parse(#"10.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "POST /login HTTP/1.1" 302 - "http://x.org/a b" "Agent \"quoted\" 1.0""#))
    #expect(text(r.user, bytes) == "bob")
    #expect(r.status == 302 && r.bytes == 0)
    #expect(text(r.referer, bytes) == "http://x.org/a b")
    #expect(text(r.agent, bytes) == #"Agent \"quoted\" 1.0"#)
  }

  @Test func requestWithoutProtocol() throws {
    let (r, bytes) = try #require(parse(#"1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "GET /" 200 12"#))
    #expect(text(r.path, bytes) == "/" && r.protocolName.isEmpty)
  }

  @Test(arguments: [
    "not a log line",
    #"1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "GET" 200 12"#,
    #"1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.0" 2000 12"#,
    #"1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.0" 200 1x"#,
    #"1.2.3.4 - - 01/Aug/1995:00:00:01 "GET / HTTP/1.0" 200 1"#,
  ])
  func rejectsOtherShapes(line: String) {
    #expect(parse(line) == nil)
  }
}
