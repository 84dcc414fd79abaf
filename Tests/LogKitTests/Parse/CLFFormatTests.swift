/*
 The predefined Apache/nginx formats: common, combined, vhost_combined, nginx
 main, and the request-line and escaping rules shared by all of them.
*/
import Testing
@testable import LogKit

@Suite struct CLFFormatTests {
  @Test func common() throws {
    let h = try ParseHarness(.common)
    #expect(
      h.parse(#"127.0.0.1 bob frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#)
        == .record(#"{"time":"2000-10-10T20:55:36Z","client":"127.0.0.1","ident":"bob","user":"frank","method":"GET","path":"/apache_pb.gif","protocol":"HTTP/1.0","status":200,"bytes":2326}"#))
  }

  @Test func combinedOmitsDashesAndSplitsQuery() throws {
    let h = try ParseHarness(.combined)
    #expect(
      h.parse(#"10.0.0.1 - - [01/Nov/2017:07:28:29 +0000] "POST /api/v1?x=1&y=2 HTTP/1.1" 301 - "-" "curl/8.0""#)
        == .record(#"{"time":"2017-11-01T07:28:29Z","client":"10.0.0.1","method":"POST","path":"/api/v1","query":"x=1&y=2","protocol":"HTTP/1.1","status":301,"user_agent":"curl/8.0"}"#))
  }

  @Test func combinedDecodesApacheEscapesOnly() throws {
    let h = try ParseHarness(.combined)
    // \" and \\ are decoded; \xHH is Apache's way of writing a byte and stays as text.
    let line = #"1.2.3.4 - - [14/Apr/2018:18:39:42 +0000] "GET / HTTP/1.1" 200 5 "http://\xe4.example/" "a \"quoted\" \\ agent""#
    #expect(
      h.parse(line)
        == .record(#"{"time":"2018-04-14T18:39:42Z","client":"1.2.3.4","method":"GET","path":"/","protocol":"HTTP/1.1","status":200,"bytes":5,"referer":"http://\\xe4.example/","user_agent":"a \"quoted\" \\ agent"}"#))
  }

  @Test func unescapedQuoteInsideAgentIsKept() throws {
    let h = try ParseHarness(.combined)
    let line = #"1.2.3.4 - - [14/Apr/2018:18:39:42 +0000] "GET / HTTP/1.1" 200 5 "-" "say "hi" now""#
    #expect(h.parse(line) == .record(#"{"time":"2018-04-14T18:39:42Z","client":"1.2.3.4","method":"GET","path":"/","protocol":"HTTP/1.1","status":200,"bytes":5,"user_agent":"say \"hi\" now"}"#))
  }

  @Test func vhostCombined() throws {
    let h = try ParseHarness(.vhostCombined)
    #expect(
      h.parse(#"www.example.org:443 203.0.113.9 - - [06/May/2019:06:28:20 +0000] "GET /robots.txt HTTP/1.1" 404 596 "-" "Mozilla/5.0""#)
        == .record(#"{"time":"2019-05-06T06:28:20Z","client":"203.0.113.9","method":"GET","path":"/robots.txt","protocol":"HTTP/1.1","status":404,"bytes":596,"user_agent":"Mozilla/5.0","vhost":"www.example.org","port":443}"#))
  }

  @Test func nginxMainWithForwardedFor() throws {
    let h = try ParseHarness(.nginx)
    #expect(
      h.parse(#"172.24.0.2 - alice [03/Jan/2025:16:42:58 +0330] "GET / HTTP/1.1" 200 615 "http://domain.tld/path" "curl/8.11.1" "1.2.3.4, 10.10.1.1""#)
        == .record(#"{"time":"2025-01-03T13:12:58Z","client":"172.24.0.2","user":"alice","method":"GET","path":"/","protocol":"HTTP/1.1","status":200,"bytes":615,"referer":"http://domain.tld/path","user_agent":"curl/8.11.1","forwarded_for":"1.2.3.4, 10.10.1.1"}"#))
    // --format nginx also takes nginx combined lines (no forwarded-for field).
    #expect(h.parse(#"172.24.0.2 - - [03/Jan/2025:16:42:58 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.11.1""#) != .skip)
    let main = try ParseHarness(.nginxMain)
    #expect(main.reason(#"172.24.0.2 - - [03/Jan/2025:16:42:58 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.11.1""#) == "line ends early")
  }

  @Test(arguments: [
    (#""GET /ksc.html""#, #""method":"GET","path":"/ksc.html","status""#),
    (#""GET /shuttle/missions/100th.txt   HTTP/1.0""#, #""method":"GET","path":"/shuttle/missions/100th.txt","protocol":"HTTP/1.0","status""#),
    (#""GET /  HTTP/1.0""#, #""method":"GET","path":"/","protocol":"HTTP/1.0","status""#),
    (#""GET /cdt.pl HTTP/1.0From:  <b@c.edu>""#, #""request":"GET /cdt.pl HTTP/1.0From:  <b@c.edu>","status""#),
    (#""Gh0st\xad""#, #""request":"Gh0st\\xad","status""#),
    (#""-""#, #""status""#),
    (#""""#, #""status""#),
    (#""\x16\x03\x01\x00""#, #""request":"\\x16\\x03\\x01\\x00","status""#),
    (#""PROPFIND /dav/ HTTP/1.1""#, #""method":"PROPFIND","path":"/dav/","protocol":"HTTP/1.1","status""#),
  ])
  func requestLines(request: String, expected: String) throws {
    let h = try ParseHarness(.common)
    let result = h.parse("h - - [01/Aug/1995:00:34:55 -0400] \(request) 200 7")
    #expect(result == .record(#"{"time":"1995-08-01T04:34:55Z","client":"h","# + expected + #":200,"bytes":7}"#))
  }

  @Test(arguments: [
    (#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 2326 "-" "Googlebot/2.1 (+http://www.google.com/bot.html)"#, "unterminated quoted field"),
    (#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 2x0 2326 "-" "-""#, "expected status code"),
    (#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 12k "-" "-""#, "expected byte count"),
    (#"1.2.3.4 - - [31/Feb/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "-" "-""#, "bad timestamp"),
    (#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700 "GET / HTTP/1.0" 200 1 "-" "-""#, "unterminated '[' timestamp"),
    (#"172.16.102.33, 41.231.129.45 - - [28/Oct/2011:00:00:09 +0100] "GET / HTTP/1.0" 200 1 "-" "-""#, "bad client address"),
    (#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "-" "-" extra"#, "unexpected text after quoted field"),
    (#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "-" - extra"#, "expected '\"' opening a quoted field"),
    ("Bad line", "line ends early"),
  ])
  func rejects(line: String, reason: String) throws {
    let h = try ParseHarness(.combined)
    #expect(h.reason(line) == reason)
  }

  // Regression: combined plus $request_time (loggen --format nginx) was rejected
  // by auto detection and --format nginx alike.
  @Test(arguments: [LogFormatChoice.auto, .nginx])
  func combinedWithRequestTime(_ choice: LogFormatChoice) throws {
    let h = try ParseHarness(choice)
    #expect(
      h.parse(#"190.30.45.9 - - [01/Jul/2025:00:00:00 +0000] "GET /api/v1/products/1001 HTTP/1.1" 200 542 "-" "python-requests/2.31.0" 0.010"#)
        == .record(#"{"time":"2025-07-01T00:00:00Z","client":"190.30.45.9","method":"GET","path":"/api/v1/products/1001","protocol":"HTTP/1.1","status":200,"bytes":542,"user_agent":"python-requests/2.31.0","request_time":0.01}"#))
    // A plain combined line right after still parses (detection moves back).
    #expect(h.parse(#"190.30.45.9 - - [01/Jul/2025:00:00:01 +0000] "GET / HTTP/1.1" 200 542 "-" "curl/8""#).description.hasPrefix("{"))
  }

  @Test func rejectionNamesTheColumn() throws {
    let h = try ParseHarness(.common)
    #expect(h.parse(#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" abc 1"#) == .reject("expected status code at column 59"))
  }

  @Test func allDashLineIsAnEmptyRecord() throws {
    let h = try ParseHarness(.common)
    #expect(h.parse(#"- - - [-] "-" - -"#) == .record("{}"))
  }

  @Test func controlBytesAndInvalidUTF8StayValidJSON() throws {
    let h = try ParseHarness(.combined)
    var bytes = Array(#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "-" "a"#.utf8)
    bytes += [0x00, 0xFF, 0x09]
    bytes += Array(#"b""#.utf8)
    #expect(h.parse(bytes: bytes) == .record(#"{"time":"2000-10-10T20:55:36Z","client":"1.2.3.4","method":"GET","path":"/","protocol":"HTTP/1.0","status":200,"bytes":1,"user_agent":"a\u0000\#u{FFFD}\tb"}"#))
  }
}
