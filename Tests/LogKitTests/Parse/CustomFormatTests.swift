/*
 User-given formats: Apache LogFormat strings with many directives and nginx
 log_format strings, including custom fields and compile errors.
*/
import Testing
@testable import LogKit

@Suite struct CustomFormatTests {
  @Test func apacheFormatWithManyDirectives() throws {
    let h = try ParseHarness(
      apache: #"%v:%p %h %a %l %u %t \"%r\" %>s %B %D \"%{Referer}i\" \"%{User-Agent}i\" \"%{X-Forwarded-For}i\" %P %{Content-Type}o %{HOME}e %{X-Request-Id}i"#)
    let line = #"shop.example:8443 10.0.0.1 10.0.0.9 - bob [10/Oct/2000:13:55:36 -0700] "GET /a?b=1 HTTP/2.0" 200 0 1234567 "https://ref/" "UA/1" "1.1.1.1" 4242 text/html /root abc-123"#
    #expect(
      h.parse(line)
        == .record(#"{"time":"2000-10-10T20:55:36Z","client":"10.0.0.1","user":"bob","method":"GET","path":"/a","query":"b=1","protocol":"HTTP/2.0","status":200,"bytes":0,"referer":"https://ref/","user_agent":"UA/1","request_time":1.234567,"vhost":"shop.example","port":8443,"forwarded_for":"1.1.1.1","remote_ip":"10.0.0.9","pid":4242,"resp_content_type":"text/html","env_home":"/root","x_request_id":"abc-123"}"#))
  }

  @Test func apacheRequestParts() throws {
    let h = try ParseHarness(apache: #"%h %t %m %U%q %H %s %T %{ms}T"#)
    #expect(
      h.parse("::1 [29/Feb/2024:23:59:59 +0000] POST /upload?x=%20 HTTP/1.1 201 3 3012")
        == .record(#"{"time":"2024-02-29T23:59:59Z","client":"::1","method":"POST","path":"/upload","query":"x=%20","protocol":"HTTP/1.1","status":201,"request_time":3,"request_time_ms":3012}"#))
  }

  @Test func apacheStrftimeAndEpochTimes() throws {
    let iso = try ParseHarness(apache: #"%h %{%Y-%m-%d %H:%M:%S}t %>s"#)
    #expect(iso.parse("h1 2024-03-01 10:00:00 200") == .record(#"{"time":"2024-03-01T10:00:00Z","client":"h1","status":200}"#))
    let epoch = try ParseHarness(apache: #"%h %{msec}t %>s"#)
    #expect(epoch.parse("h1 1700000000123 200") == .record(#"{"time":"2023-11-14T22:13:20.123Z","client":"h1","status":200}"#))
  }

  @Test func unquotedRequestSpansItsSpaces() throws {
    let h = try ParseHarness(apache: "%h %l %u %t %r %>s %b %{Referer}i %{User-agent}i")
    let result = h.parse("10.1.1.1 - - [08/Mar/2015:18:06:58 -0400] GET /x.jpg HTTP/1.1 404 344 http://www.google.ie Mozilla/5.0 (X11)")
    #expect(result == .record(#"{"time":"2015-03-08T22:06:58Z","client":"10.1.1.1","method":"GET","path":"/x.jpg","protocol":"HTTP/1.1","status":404,"bytes":344,"referer":"http://www.google.ie","user_agent":"Mozilla/5.0 (X11)"}"#))
  }

  @Test(arguments: [
    ("%h %Z", "unsupported directive %Z"),
    ("%h %{Referer", "unterminated '{' in directive at position 4"),
    ("%h%u", "field %h is followed by another field with nothing between them"),
    ("just text", "the format has no fields"),
    ("%h %{fortnights}T", "unknown unit 'fortnights' in %{fortnights}T: expected s, ms or us"),
  ])
  func apacheFormatErrors(format: String, message: String) {
    #expect(throws: LogFormatError(message)) { try ApacheFormat.compile(format) }
  }

  @Test func nginxFormatWithCustomVariables() throws {
    // The gonx sample's format.
    let h = try ParseHarness(
      nginx: #"$remote_addr [$time_local] "$request" $status $request_length $body_bytes_sent $request_time "$t_size" $read_time $gen_time"#)
    #expect(
      h.parse(#"112.162.114.78 [10/Sep/2015:17:57:59 +0000] "GET /t/x.jpeg HTTP/1.1" 200 363 7013 0.138 "x100" 92 42"#)
        == .record(#"{"time":"2015-09-10T17:57:59Z","client":"112.162.114.78","method":"GET","path":"/t/x.jpeg","protocol":"HTTP/1.1","status":200,"bytes":7013,"request_time":0.138,"request_length":363,"t_size":"x100","read_time":92,"gen_time":42}"#))
    #expect(
      h.parse(#"1.2.3.4 [10/Sep/2015:17:57:59 +0000] "GET /y HTTP/1.1" 404 785 69 0.007 "-" - -"#)
        == .record(#"{"time":"2015-09-10T17:57:59Z","client":"1.2.3.4","method":"GET","path":"/y","protocol":"HTTP/1.1","status":404,"bytes":69,"request_time":0.007,"request_length":785}"#))
  }

  @Test func nginxRequestPartsUpstreamAndISOTime() throws {
    let h = try ParseHarness(
      nginx: #"$time_iso8601 $remote_addr $host:$server_port "$request_method $request_uri $server_protocol" $status $bytes_sent $request_time "$upstream_response_time" $msec"#)
    #expect(
      h.parse(#"2024-05-01T12:00:00+02:00 10.0.0.1 api.example:443 "GET /v1/items?id=7 HTTP/2.0" 200 512 0.250 "0.100, 0.120" 1714557600.250"#)
        == .record(#"{"time":"2024-05-01T10:00:00Z","client":"10.0.0.1","method":"GET","path":"/v1/items","query":"id=7","protocol":"HTTP/2.0","status":200,"bytes":512,"request_time":0.25,"upstream_time":0.22,"vhost":"api.example","port":443,"msec":1714557600.250}"#))
  }

  @Test func nginxTimeLocalWithoutBrackets() throws {
    let h = try ParseHarness(nginx: "$remote_addr $time_local $status")
    #expect(h.parse("1.2.3.4 22/Jan/2019:03:56:14 +0330 200") == .record(#"{"time":"2019-01-22T00:26:14Z","client":"1.2.3.4","status":200}"#))
  }

  @Test func nginxEmptyRequest() throws {
    let h = try ParseHarness(nginx: #"$remote_addr [$time_local] "$request" $status"#)
    #expect(h.parse(#"89.234.89.123 [08/Nov/2013:13:39:18 +0000] "" 200"#) == .record(#"{"time":"2013-11-08T13:39:18Z","client":"89.234.89.123","status":200}"#))
    #expect(h.reason("GET /api/foo/bar HTTP/1.1") == "expected '['")
  }

  @Test func snakeCaseNames() {
    #expect(snakeCase("User-Agent") == "user_agent")
    #expect(snakeCase("cs(Referer)") == "cs_referer")
    #expect(snakeCase("RouterName") == "router_name")
    #expect(snakeCase("X-Forwarded-For") == "x_forwarded_for")
    #expect(snakeCase("--a..b--") == "a_b")
  }
}
