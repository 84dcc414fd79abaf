// The --replay base: what it keeps of each line read by the shared LogParser, and what it skips.
import Foundation
import Testing
@testable import LogKit

@Suite struct ReplayBaseTests {
  /// Parses one line with an auto-detecting parser and keeps it as replay does.
  private func keep(_ line: String, _ choice: LogFormatChoice = .auto) throws -> (ReplayRecord, [UInt8])? {
    let parser = try LogParser(choice: choice, maxLine: 4096)
    var out: [UInt8] = []
    var text = line
    guard text.withUTF8({ parser.parse(UnsafeRawBufferPointer($0)) }) == .record else { return nil }
    return ReplayBase.record(parser.table, appendingTo: &out).map { ($0, out) }
  }

  private func text(_ r: Range<Int32>, _ bytes: [UInt8]) -> String {
    String(decoding: bytes[Int(r.lowerBound)..<Int(r.upperBound)], as: UTF8.self)
  }

  @Test func commonLogLine() throws {
    let (r, bytes) = try #require(try keep(#"in24.inetnebr.com - - [01/Aug/1995:00:00:01 -0400] "GET /shuttle/missions/sts-68/news/sts-68-mcc-05.txt?x=1 HTTP/1.0" 200 1839"#))
    #expect(text(r.client, bytes) == "in24.inetnebr.com")
    #expect(r.user.isEmpty)
    #expect(text(r.method, bytes) == "GET")
    #expect(text(r.path, bytes) == "/shuttle/missions/sts-68/news/sts-68-mcc-05.txt")
    #expect(text(r.query, bytes) == "x=1")
    #expect(text(r.protocolName, bytes) == "HTTP/1.0")
    #expect(r.status == 200 && r.bytes == 1839 && r.requestMillis == -1)
    #expect(r.referer.isEmpty && r.agent.isEmpty)
  }

  /// The old reader kept `\"` as written; the shared parser decodes it.
  @Test func combinedLineWithDashSizeAndEscapedQuotes() throws {
    let (r, bytes) = try #require(try keep(#"10.0.0.1 - bob [10/Oct/2000:13:55:36 -0700] "POST /login HTTP/1.1" 302 - "http://x.org/a b" "Agent \"quoted\" 1.0""#))
    #expect(text(r.user, bytes) == "bob")
    #expect(r.status == 302 && r.bytes == 0)
    #expect(text(r.referer, bytes) == "http://x.org/a b")
    #expect(text(r.agent, bytes) == #"Agent "quoted" 1.0"#)
  }

  @Test func requestWithoutProtocolAndNASASpaces() throws {
    let (r, bytes) = try #require(try keep(#"1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "GET /" 200 12"#))
    #expect(text(r.path, bytes) == "/" && r.protocolName.isEmpty)
    let (s, more) = try #require(try keep(#"1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "GET /shuttle/missions/100th.txt   HTTP/1.0" 200 12"#))
    #expect(text(s.path, more) == "/shuttle/missions/100th.txt" && text(s.protocolName, more) == "HTTP/1.0")
  }

  @Test func jsonRecordKeepsItsRequestTime() throws {
    let line = #"{"time":"2025-07-01T00:00:00Z","client":"2001:db8::1","method":"GET","path":"/api/x","query":"a=1","protocol":"HTTP/2.0","status":503,"bytes":341,"user_agent":"curl/8 \"q\"","request_time":1.234}"#
    let (r, bytes) = try #require(try keep(line))
    #expect(text(r.client, bytes) == "2001:db8::1" && text(r.path, bytes) == "/api/x" && text(r.query, bytes) == "a=1")
    #expect(text(r.agent, bytes) == #"curl/8 "q""#)
    #expect(r.status == 503 && r.bytes == 341 && r.requestMillis == 1234)
    #expect(r.vhost.isEmpty && r.port == 0)
    let (v, vb) = try #require(try keep(#"www.x.org:8443 ::1 - - [01/Aug/1995:00:00:01 -0400] "GET / HTTP/1.1" 200 1 "-" "-""#, .vhostCombined))
    #expect(text(v.vhost, vb) == "www.x.org" && v.port == 8443)
  }

  @Test(arguments: [
    #"1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "GET" 200 12"#,  // parses, but no method and path
    #"1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "\x16\x03\x01" 400 0"#,
    #"{"client":"1.2.3.4","method":"GET","path":"/"}"#,  // no status
  ])
  func recordsWithoutARequestAreNotKept(line: String) throws {
    #expect(try keep(line) == nil)
  }

  @Test func fileCountsAndSkipsBadLines() throws {
    let path = NSTemporaryDirectory() + "replay-base-\(getpid()).log"
    let lines = [
      #"1.2.3.4 - - [01/Aug/1995:00:00:01 -0400] "GET /a HTTP/1.0" 200 12"#,
      "not a log line",
      "",
      #"1.2.3.4 - - [01/Aug/1995:00:00:02 -0400] "GET" 200 12"#,
      #"{"client":"::1","method":"HEAD","path":"/b","status":204,"request_time":0.5}"#,
    ]
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = try ReplayBase(path: path, parser: try LogParser(choice: .auto, maxLine: 4096), command: "loggen", reportFirst: 0)
    #expect(base.count == 2 && base.lines == 5 && base.skipped == 2)
    #expect(base.text(0, .path) == "/a" && base.text(1, .method) == "HEAD" && base.text(1, .client) == "::1")
    let numbers = base.numbers(1)
    #expect(numbers.status == 204 && numbers.bytes == 0 && numbers.requestMillis == 500)
  }

  @Test func unreadableFileThrows() {
    #expect(throws: IOError.self) { try ReplayBase(path: "/nonexistent/base.log", parser: try LogParser(choice: .auto, maxLine: 64), command: "loggen") }
  }
}
