/*
 JSON access logs beyond the three server samples in W3CAndJSONTests: string
 escapes, numbers written as strings, Caddy header arrays, missing and
 absent values, which of several keys wins, custom fields, and invalid JSON
 reported with the scanner's reason and column.
*/
import Testing
@testable import LogKit

@Suite struct JSONAccessLogTests {
  let h: ParseHarness

  init() throws {
    h = try ParseHarness(.json)
  }

  @Test func escapedStringValues() {
    #expect(
      h.parse(#"{"request":"GET \/a\/b?q=caf\u00e9 HTTP\/1.1","http_user_agent":"a \"q\" \\ \t\u0000 \ud83d\ude00 \ud800!","note":"line\nbreak"}"#)
        == .record(#"{"method":"GET","path":"/a/b","query":"q=café","protocol":"HTTP/1.1","user_agent":"a \"q\" \\ \t\u0000 😀 �!","note":"line\nbreak"}"#))
  }

  @Test func escapedKeyNames() {
    // Keys are matched after decoding, and custom names come from the decoded key.
    #expect(
      h.parse(#"{"\u0073tatus":"302","remote\u005faddr":"1.2.3.4","X-\u0041pp":"v"}"#)
        == .record(#"{"client":"1.2.3.4","status":302,"x_app":"v"}"#))
  }

  @Test func numbersGivenAsStrings() {
    // nginx escape=json quotes every variable; Traefik may too.
    #expect(
      h.parse(#"{"status":"404","body_bytes_sent":"0","request_time":"1.500","upstream_response_time":"0.1, 0.2 : 0.3","server_port":"8080","msec":"1700000000.250"}"#)
        == .record(#"{"time":"2023-11-14T22:13:20.250Z","status":404,"bytes":0,"request_time":1.5,"upstream_time":0.6,"port":8080}"#))
    #expect(
      h.parse(#"{"Duration":"2500000","OriginDuration":1000,"DownstreamStatus":"200","DownstreamContentSize":"17"}"#)
        == .record(#"{"status":200,"bytes":17,"request_time":0.0025,"upstream_time":0.000001}"#))
    // A string that holds a number stays a string in a custom field.
    #expect(h.parse(#"{"upstream_connect_time":"0.001","n":0.001}"#) == .record(#"{"upstream_connect_time":"0.001","n":0.001}"#))
  }

  @Test func caddyHeaderArrays() {
    // The first string of a header array stands for the header.
    #expect(
      h.parse(#"{"request":{"remote_ip":"::1","headers":{"User-Agent":["ua1","ua2"],"Referer":["https://r/"],"X-Forwarded-For":["9.9.9.9"],"Accept":["*/*"]}}}"#)
        == .record(#"{"client":"::1","referer":"https://r/","user_agent":"ua1","forwarded_for":"9.9.9.9"}"#))
    // Empty arrays, non-string first elements and plain strings.
    #expect(
      h.parse(#"{"request":{"headers":{"User-Agent":[],"Referer":[1,"x"],"X-Forwarded-For":"5.5.5.5"}}}"#)
        == .record(#"{"forwarded_for":"5.5.5.5"}"#))
    #expect(
      h.parse(#"{"request":{"headers":{"User-Agent":[{"v":"ua"}],"Referer":[true],"X-Forwarded-For":[["1.1.1.1"]]}},"status":200}"#)
        == .record(#"{"status":200}"#))
    // A top-level array counts the same way; it never becomes a custom field.
    #expect(h.parse(#"{"http_user_agent":["first","second"],"tags":["a"],"status":200}"#) == .record(#"{"status":200,"user_agent":"first"}"#))
  }

  @Test func nestedObjectsOutsideTheTableAreSkipped() {
    #expect(
      h.parse(#"{"resp_headers":{"Server":["Caddy"]},"tls":{"request":{"method":"GET"}},"status":200,"request":{"tls":{"method":"PUT"},"method":"POST"}}"#)
        == .record(#"{"method":"POST","status":200}"#))
  }

  @Test func missingAndAbsentFields() {
    #expect(h.parse("{}") == .record("{}"))
    #expect(h.parse(#"{"status":200}"#) == .record(#"{"status":200}"#))
    // null, "" and "-" mean absent for known keys; custom fields keep "-" but drop "" and null.
    #expect(
      h.parse(#"{"remote_addr":null,"remote_user":"","http_referer":"-","status":201,"a":null,"b":"","c":"-"}"#)
        == .record(#"{"status":201,"c":"-"}"#))
    // Caddy without a request object, Traefik without StartUTC.
    #expect(h.parse(#"{"ts":1700000000,"size":5,"status":200}"#) == .record(#"{"time":"2023-11-14T22:13:20Z","status":200,"bytes":5}"#))
    #expect(h.parse(#"{"time":"2020-02-06T08:48:10Z","ClientHost":"10.0.0.1"}"#) == .record(#"{"time":"2020-02-06T08:48:10Z","client":"10.0.0.1"}"#))
  }

  @Test func whichKeyWins() {
    // Better rank wins wherever it is in the line.
    #expect(h.parse(#"{"time":"2020-01-01T00:00:00Z","StartUTC":"2020-01-02T00:00:00Z"}"#) == .record(#"{"time":"2020-01-02T00:00:00Z"}"#))
    #expect(h.parse(#"{"user_id":"u3","user":"u2","remote_user":"u1"}"#) == .record(#"{"user":"u1"}"#))
    // Equal ranks and repeated keys: the first in the line.
    #expect(h.parse(#"{"DownstreamStatus":500,"status":404,"status":200}"#) == .record(#"{"status":500}"#))
    #expect(h.parse(#"{"request":{"method":"GET"},"RequestMethod":"PUT"}"#) == .record(#"{"method":"GET"}"#))
    // An absent value does not claim the field: the next key can still set it.
    #expect(h.parse(#"{"ClientHost":"-","remote_addr":"2.2.2.2"}"#) == .record(#"{"client":"2.2.2.2"}"#))
    // A key that lost is dropped, not kept as a custom field.
    #expect(h.parse(#"{"StartUTC":"2020-01-02T00:00:00Z","time":"junk"}"#) == .record(#"{"time":"2020-01-02T00:00:00Z"}"#))
  }

  @Test func customFieldValues() {
    // Plain numbers and booleans are copied as JSON; other number forms become text.
    #expect(
      h.parse(#"{"RetryAttempts":0,"ratio":-0.5,"sci":1e3,"huge":123456789012345678901234,"ok":true,"bad":false,"RouterName":"r@docker","@":"x"}"#)
        == .record(#"{"retry_attempts":0,"ratio":-0.5,"sci":"1e3","huge":"123456789012345678901234","ok":true,"bad":false,"router_name":"r@docker"}"#))
  }

  @Test func tooManyCustomFields() {
    let fields = (0...FieldTable.maxCustom).map { "\"f\($0)\":\($0)" }.joined(separator: ",")
    guard case .reject(let reason) = h.parse("{" + fields + "}") else {
      Issue.record("expected a rejection")
      return
    }
    #expect(reason.hasPrefix("too many fields at column "))
  }

  /// 1️⃣ marks the column the rejection must name.
  @Test(arguments: [
    (#"{"status":1️⃣"#, "invalid JSON", "unexpected end of line, expected a value"),
    (#"{"a":"1️⃣\q"}"#, "invalid JSON", #"invalid escape \q"#),
    (#"{"a":1,1️⃣}"#, "invalid JSON", "trailing comma in object"),
    (#"{"a":1️⃣01}"#, "invalid JSON", "leading zero in number"),
    (#"{"a":1️⃣"x"#, "invalid JSON", "unterminated string"),
    (#"{"a" 1️⃣1}"#, "invalid JSON", "unexpected '1': expected ':' after object key"),
    (#"{"request":{"headers":{"User-Agent":["a",1️⃣]}}}"#, "invalid JSON", "trailing comma in array"),
    (#"{"a":1} 1️⃣{"b":2}"#, "unexpected text after last field", nil),
    (#"1️⃣["x"]"#, "expected a JSON object", nil),
    (#"{"status":1️⃣"20x"}"#, "expected status code", nil),
    (#"{"a":1,"remote_addr":1️⃣"a, b"}"#, "bad client address", nil),
  ] as [(String, String, String?)])
  func rejections(marked: String, reason: String, detail: String?) throws {
    let input = MarkedText(marked)
    let column = try #require(input.column)
    let expected = "\(reason) at column \(column)" + (detail.map { ": " + $0 } ?? "")
    #expect(h.parse(input.text) == .reject(expected))
  }

  @Test func deepNestingWithinTheScannerLimitIsAccepted() {
    let deep = String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40)
    #expect(h.parse(deep) == .record("{}"))
  }

  @Test func linesAreIndependent() {
    // The scanner, best ranks and scratch space are reused: nothing leaks from one line to the next.
    #expect(h.parse(#"{"StartUTC":"2020-01-02T00:00:00Z","x":"a\"b"}"#) == .record(#"{"time":"2020-01-02T00:00:00Z","x":"a\"b"}"#))
    #expect(h.parse(#"{"time":"2020-01-01T00:00:00Z"}"#) == .record(#"{"time":"2020-01-01T00:00:00Z"}"#))
    #expect(h.parse(#"{"status":"#) != .record("{}"))
    #expect(h.parse(#"{"y":"c\"d"}"#) == .record(#"{"y":"c\"d"}"#))
  }
}
