/*
 W3C extended logs (IIS) with changing #Fields, and JSON access logs from
 nginx (escape=json), Caddy and Traefik.
*/
import Testing
@testable import LogKit

@Suite struct W3CAndJSONTests {
  @Test func w3cWithChangingFields() throws {
    let h = try ParseHarness(.w3c)
    #expect(h.parse("#Software: Microsoft Internet Information Services 10.0") == .skip)
    #expect(h.reason("2024-01-01 00:00:00 GET /") == "W3C data line before any #Fields directive")
    #expect(h.parse("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken") == .skip)
    #expect(
      h.parse("2024-01-02 03:04:05 10.0.0.5 GET /default.aspx id=3 443 - 192.168.1.9 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 1250")
        == .record(#"{"time":"2024-01-02T03:04:05Z","client":"192.168.1.9","method":"GET","path":"/default.aspx","query":"id=3","status":200,"referer":"-","user_agent":"Mozilla/5.0 (Windows NT 10.0)","request_time":1.25,"port":443,"s_ip":"10.0.0.5","sc_substatus":0,"sc_win32_status":0}"#.replacing(#""referer":"-","#, with: "")))
    #expect(h.reason("2024-01-02 03:04:05 10.0.0.5 GET /") == "expected 15 fields, found 5")
    #expect(h.parse("#Fields: date time c-ip cs-method cs-uri-stem sc-status sc-bytes cs-host") == .skip)
    #expect(
      h.parse("2024-01-02 03:04:06.5 ::1 POST /api 500 17 www.example")
        == .record(#"{"time":"2024-01-02T03:04:06.500Z","client":"::1","method":"POST","path":"/api","status":500,"bytes":17,"vhost":"www.example"}"#))
    #expect(h.reason("2024-13-02 03:04:06 ::1 POST /api 500 17 www.example") == "bad timestamp")
  }

  /// IIS writes spaces as `+`: free-text columns get their spaces back, URI columns keep `+`.
  @Test func w3cPlusIsSpaceInFreeTextColumns() throws {
    let h = try ParseHarness(.w3c)
    #expect(h.parse("#Fields: date time c-ip cs-uri-stem cs-uri-query cs(User-Agent) cs(Referer) cs(Cookie) cs-username") == .skip)
    #expect(
      h.parse("2024-01-02 00:00:01 ::1 /a+b q=x+y Mozilla/5.0+(compatible;++http://bot) http://s/?q=a+b id=1;+x=2 a+b")
        == .record(#"{"time":"2024-01-02T00:00:01Z","client":"::1","user":"a+b","path":"/a+b","query":"q=x+y","referer":"http://s/?q=a b","user_agent":"Mozilla/5.0 (compatible;  http://bot)","cs_cookie":"id=1; x=2"}"#))
    #expect(
      h.parse("2024-01-02 00:00:02 ::1 / - + - - -")
        == .record(#"{"time":"2024-01-02T00:00:02Z","client":"::1","path":"/","user_agent":"+"}"#))
  }

  /// logparse's own records read back into the same standard fields (and so the same text):
  /// ident, upstream_time, port and forwarded_for used to come back as custom fields.
  @Test func ownRecordsAreAFixedPoint() throws {
    let record = #"{"time":"2025-07-01T00:00:00.250Z","client":"::1","ident":"id","user":"bob","method":"GET","path":"/a","query":"b=1","protocol":"HTTP/1.1","status":200,"bytes":5,"referer":"http://r/","user_agent":"ua \"x\"","request_time":0.5,"upstream_time":0.25,"vhost":"www.example.com","port":8443,"forwarded_for":"10.0.0.1","x":"y"}"#
    let h = try ParseHarness(.json)
    #expect(h.parse(record) == .record(record))
    for field in [AccessField.ident, .upstreamTime, .port, .forwardedFor] { #expect(h.parser.table.has(field), "\(field)") }
  }

  @Test func nginxEscapeJSON() throws {
    let h = try ParseHarness(.json)
    let line = #"{"time_local":"10/Oct/2000:13:55:36 -0700","remote_addr":"1.2.3.4","remote_user":"","request":"GET /a?q=\u00e9 HTTP/1.1","status": "200","body_bytes_sent":"612","request_time":"0.005","http_referrer":"","http_user_agent":"curl/8 \"x\"","http_x_forwarded_for":"-","upstream_connect_time":"0.001"}"#
    #expect(
      h.parse(line)
        == .record(#"{"time":"2000-10-10T20:55:36Z","client":"1.2.3.4","method":"GET","path":"/a","query":"q=é","protocol":"HTTP/1.1","status":200,"bytes":612,"user_agent":"curl/8 \"x\"","request_time":0.005,"upstream_connect_time":"0.001"}"#))
  }

  @Test func caddy() throws {
    let h = try ParseHarness(.json)
    let line = #"{"level":"info","ts":1646861401.5241024,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"41342","client_ip":"127.0.0.1","proto":"HTTP/2.0","method":"GET","host":"localhost","uri":"/x?y=1","headers":{"User-Agent":["curl/7.82.0"],"Accept":["*/*"]},"tls":{"resumed":false,"version":772}},"bytes_read":0,"user_id":"","duration":0.000929675,"size":10900,"status":200,"resp_headers":{"Server":["Caddy"]}}"#
    #expect(
      h.parse(line)
        == .record(#"{"time":"2022-03-09T21:30:01.524102Z","client":"127.0.0.1","method":"GET","path":"/x","query":"y=1","protocol":"HTTP/2.0","status":200,"bytes":10900,"user_agent":"curl/7.82.0","request_time":0.000929,"vhost":"localhost","level":"info","logger":"http.log.access","msg":"handled request","bytes_read":0}"#))
  }

  @Test func traefik() throws {
    let h = try ParseHarness(.json)
    let line = #"{"ClientAddr":"10.0.0.1:51234","ClientHost":"10.0.0.1","ClientPort":"51234","ClientUsername":"-","DownstreamContentSize":19,"DownstreamStatus":404,"Duration":1234567,"OriginDuration":1000000,"RequestHost":"example.org","RequestMethod":"GET","RequestPath":"/missing?a=b","RequestPort":"-","RequestProtocol":"HTTP/1.1","RetryAttempts":0,"StartUTC":"2020-02-06T08:48:09.187434045Z","level":"info","msg":"","time":"2020-02-06T08:48:10Z"}"#
    #expect(
      h.parse(line)
        == .record(#"{"time":"2020-02-06T08:48:09.187434Z","client":"10.0.0.1","method":"GET","path":"/missing","query":"a=b","protocol":"HTTP/1.1","status":404,"bytes":19,"request_time":0.001234,"upstream_time":0.001,"vhost":"example.org","client_addr":"10.0.0.1:51234","client_port":"51234","retry_attempts":0,"level":"info"}"#))
  }

  @Test(arguments: [
    (#"{"status":"#, "invalid JSON"),
    (#"{"status":200"#, "invalid JSON"),
    (#"{"status":"abc"}"#, "expected status code"),
    (#"{"a":"\q"}"#, "invalid JSON"),
    (#"{"a":1} trailing"#, "unexpected text after last field"),
    (#"[1,2]"#, "expected a JSON object"),
  ])
  func jsonRejects(line: String, reason: String) throws {
    #expect(try ParseHarness(.json).reason(line) == reason)
  }

  @Test func autoDetectsEachStream() throws {
    let h = try ParseHarness(.auto)
    let common = #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1"#
    let combined = #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "http://r/" "UA""#
    let main = combined + #" "9.9.9.9""#
    #expect(h.parse(common) == .record(#"{"time":"2000-10-10T20:55:36Z","client":"1.2.3.4","method":"GET","path":"/","protocol":"HTTP/1.0","status":200,"bytes":1}"#))
    #expect(h.parse(combined) == .record(#"{"time":"2000-10-10T20:55:36Z","client":"1.2.3.4","method":"GET","path":"/","protocol":"HTTP/1.0","status":200,"bytes":1,"referer":"http://r/","user_agent":"UA"}"#))
    #expect(h.parse(main) == .record(#"{"time":"2000-10-10T20:55:36Z","client":"1.2.3.4","method":"GET","path":"/","protocol":"HTTP/1.0","status":200,"bytes":1,"referer":"http://r/","user_agent":"UA","forwarded_for":"9.9.9.9"}"#))
    #expect(h.parse(common) != .skip)
    #expect(h.parse(#"{"remote_addr":"5.6.7.8","status":204}"#) == .record(#"{"client":"5.6.7.8","status":204}"#))
    #expect(h.parse("") == .skip)
    #expect(h.parse("   ") == .skip)
    // The failure reported is the one that got furthest: the truncated user agent.
    #expect(h.reason(#"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "http://r/" "UA"#) == "unterminated quoted field")
    // A W3C directive makes the rest of the stream W3C, until the stream ends.
    #expect(h.parse("#Fields: date time c-ip sc-status") == .skip)
    #expect(h.parse("2024-01-01 00:00:01 10.1.1.1 200") == .record(#"{"time":"2024-01-01T00:00:01Z","client":"10.1.1.1","status":200}"#))
    h.parser.endOfStream()
    #expect(h.parse(common) != .skip)
    #expect(h.reason("2024-01-01 00:00:01 10.1.1.1 200") != nil)
  }

  @Test func fieldSelectionConstantsAndRaw() throws {
    let h = try ParseHarness(
      .combined, selection: RecordSelection(fields: ["status", "time", "nope"], constants: [("server", "web1")], raw: true))
    let line = #"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200 1 "-" "UA""#
    #expect(h.parse(line) == .record(#"{"time":"2000-10-10T20:55:36Z","status":200,"server":"web1","raw":"1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 1 \"-\" \"UA\""}"#))
  }
}
