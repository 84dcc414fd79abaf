/*
 Checks logparse against other parsers' test vectors (../shared/data/peer-vectors.jsonl,
 their field names and types). For every `line` and `timestamp` vector of a
 format we support, the peer's values that correspond to our schema (client,
 ident, user, time, method, path, protocol, status, bytes, referer,
 user_agent) must agree, and a peer's rejection must be ours too, except for
 the documented differences listed in `knownDifferences`. Skips when the
 shared data is absent.
*/
import Foundation
import Testing
@testable import LogKit

@Suite struct PeerVectorTests {
  static let path: String? = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    let file = url.deletingLastPathComponent().appendingPathComponent("shared/data/peer-vectors.jsonl").path
    return FileManager.default.fileExists(atPath: file) ? file : nil
  }()

  /// Where we differ on purpose, by the start of the line: why.
  static let knownDifferences: [String: String] = [
    "- - - - - - -": "no [time] field: not a CLF line, rejected (VRL accepts seven dashes as an empty record)",
    "- - - [2000-10-10T20:55:36Z]": "ISO time inside %t is not Apache's format; rejected (VRL's timestamp_format option)",
    "10.0.0.2, 10.0.0.1, 127.0.0.1 - -": "a client list in %h is rejected as a bad client address (filebeat splits it; lars rejects it too)",
    "10.0.0.2, 10.0.0.1, 85.181.35.98 - -": "client list, as above",
    "2a02:2f0d:3:1::a, 172.17.0.1 -": "client list, as above",
    "10.1.10.51 -  -  [23/Dec/2014": "trailing ` 293` after the user agent is not in the combined format; rejected (lnav's regex allows extra fields)",
    "10.112.2.3 - - [16/Sep/2022:00:53:14 +0200]": "trailing ` -` after the user agent; rejected as above",
    "172.18.0.1 - - [29/Aug/2023 22:02:58]": "python http.server time without zone; rejected as a bad timestamp (lnav accepts it)",
    "10.1.1.1 T1 blah.foo.com - - [08/Mar/2015": "unquoted %{User-agent}i at the end takes the rest of the line; the peer's expected '' is its own quirk",
    "\"10.5.102.222, 199.96.1.1, 204.246.1.1\" 10.2.1.185": "a quoted forwarded-for list before the client: a site-specific format, not nginx main",
    "2a03:0000:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121": "a client list plus a second address: a site-specific format",
    "2013-02-11T06:43:36 10.112.72.172 - GET": "lnav's own ISO-first access format, not an Apache or nginx format",
    "www.example.com 1.2.3.4 - theuser": "vhost without :port before the client is not vhost_combined (%v:%p); use --apache-format '%v %h %l %u %t ...'",
    "www.varonathe.org:80 185.234.218.71 - - [14/Apr/2018:18:39:42": "\\xHH stays as written (Apache's escaping of a byte); the peer decodes it into bytes",
    "[31/Dec/1969:19:00:00 +0500": "an unbalanced '[' is not a %t timestamp; rejected",
    "31/Dec/1969:19:00:00 +0500]": "an unbalanced ']' is not a %t timestamp; rejected",
  ]

  struct Tally { var agree = 0, disagree = 0, known = 0, skipped = 0 }

  @Test(.enabled(if: PeerVectorTests.path != nil, "needs ../shared/data"))
  func peerVectorsAgree() throws {
    guard let path = Self.path else { return }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var tally = Tally()
    var problems: [String] = []
    for line in text.split(separator: "\n") {
      let vector = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
      let kind = vector["kind"] as! String
      var input = vector["line"] as! String
      // The line reader splits at LF (and drops the CR before it); the parser never sees it.
      if input.hasSuffix("\n") || input.hasSuffix("\r\n") { input.removeLast() }
      let expect = vector["expect"] as? [String: Any]
      let source = (vector["source"] as! String).components(separatedBy: ":")[0]
      let format = vector["format"] as! String
      let outcome: [String: Any]?
      switch kind {
      case "timestamp":
        var inner = input
        if inner.hasPrefix("[") && inner.hasSuffix("]") { inner = String(inner.dropFirst().dropLast()) }
        outcome = TimeParser.any(inner).flatMap { input.isEmpty ? nil : ["time": formatRFC3339($0.micros)] }
        guard inner.count >= 20 || expect == nil else { tally.skipped += 1; continue }
      case "line":
        guard let harness = try harness(source: source, format: format) else { tally.skipped += 1; continue }
        switch harness.parse(input) {
        case .record(let json): outcome = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        default: outcome = nil
        }
      default:
        tally.skipped += 1
        continue
      }
      let differences = compare(expect: expect, got: outcome, source: source, format: format)
      if differences.isEmpty {
        tally.agree += 1
      } else if let why = Self.knownDifferences.first(where: { input.hasPrefix($0.key) }) {
        tally.known += 1
        if why.value.isEmpty { problems.append("known difference needs a reason: \(why.key)") }
      } else {
        tally.disagree += 1
        problems.append("\(source) [\(format)] \(input.prefix(90)): \(differences.joined(separator: "; "))")
      }
    }
    print("peer vectors: \(tally.agree) agree, \(tally.known) documented differences, \(tally.disagree) disagree, \(tally.skipped) not applicable")
    #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    #expect(tally.agree > 100)
  }

  private func harness(source: String, format: String) throws -> ParseHarness? {
    switch source {
    case "vectordotdev/vrl":
      if format.contains("ingress_upstreaminfo") { return nil }
      if format.contains("nginx") { return try ParseHarness(format.contains("\"main\"") ? .nginxMain : .nginx) }
      return try ParseHarness(format.contains("combined") ? .combined : .common)
    case "rory/apache-log-parser", "waveform80/lars":
      return try ParseHarness(apache: format)
    case "jwodder/apachelogs":
      return try ParseHarness(format.hasPrefix("VHOST") ? .vhostCombined : .combined)
    case "logstash-plugins/logstash-patterns-core": return try ParseHarness(.combined)
    case "elastic/beats":
      if format.contains("$host prefix") { return nil }
      return try ParseHarness(format.contains("nginx") ? .nginx : .auto)
    case "tstack/lnav": return try ParseHarness(.auto)
    case "satyrius/gonx": return try ParseHarness(nginx: format)
    default: return nil
    }
  }

  /// Peer key -> our field, for the fields both sides have.
  private func ourField(_ key: String, source: String) -> String? {
    switch key {
    case "host", "client", "remote_addr", "remote_host", "remote_ip", "clientip", "source.address", "c_ip": return "client"
    case "identity", "ident", "remote_logname": return "ident"
    case "user", "remote_user", "auth", "user.name", "cs_username": return "user"
    case "timestamp", "@timestamp", "time", "time_utc", "datetime": return "time"
    case "request_time": return source == "jwodder/apachelogs" ? "time" : nil
    case "method", "request_method", "verb", "http.request.method", "cs_method": return "method"
    case "path", "url.original", "cs_uri_stem", "request_url": return "path"
    case "request": return source == "logstash-plugins/logstash-patterns-core" ? "path" : nil
    case "protocol", "httpversion", "http.version", "cs_version", "request_http_ver": return "protocol"
    case "status", "final_status", "response", "http.response.status_code", "sc_status": return "status"
    case "size", "bytes", "bytes_sent", "body_bytes_size", "http.response.body.bytes", "sc_bytes", "response_bytes_clf": return "bytes"
    case "referrer", "referer", "http_referer", "http.request.referrer", "req_Referer", "request_header_referer": return "referer"
    case "agent", "http_user_agent", "user_agent.original", "req_User_Agent", "request_header_user_agent": return "user_agent"
    default: return nil
    }
  }

  private func compare(expect: [String: Any]?, got: [String: Any]?, source: String, format: String) -> [String] {
    guard let expect else { return got == nil ? [] : ["peer rejects, we accept"] }
    guard let got else { return ["peer accepts, we reject"] }
    var flat = expect
    if let headers = expect["headers_in"] as? [String: Any] {
      flat["referer"] = headers["Referer"] ?? NSNull()
      flat["agent"] = headers["User-Agent"] ?? NSNull()
    }
    if let request = expect["request"] as? [Any], request.count == 3 {
      flat["method"] = request[0]; flat["path"] = request[1]; flat["protocol"] = request[2]
    }
    var differences: [String] = []
    for (key, value) in flat {
      guard let field = ourField(key, source: source) else { continue }
      var theirs: String? = value is NSNull ? nil : "\(value)"
      if theirs == "-" { theirs = nil }
      if source == "logstash-plugins/logstash-patterns-core", let t = theirs, t.hasPrefix("\""), t.hasSuffix("\""), t.count >= 2 {
        theirs = String(t.dropFirst().dropLast())
      }
      var ours: String? = got[field].map { "\($0)" }
      switch field {
      case "time": theirs = theirs.flatMap(utcText)
      case "method": theirs = theirs?.uppercased()
      case "protocol": if let t = theirs, !t.hasPrefix("HTTP/") { theirs = "HTTP/" + t }
      case "path": if let q = got["query"] { ours = (ours ?? "") + "?\(q)" }
      case "referer", "user_agent": if theirs == "" { theirs = nil }
      default: break
      }
      if theirs != ours { differences.append("\(field): peer \(theirs ?? "absent"), ours \(ours ?? "absent")") }
    }
    return differences
  }

  /// A peer's time (ISO with offset, naive UTC, or CLF text) as our RFC 3339 UTC text.
  private func utcText(_ text: String) -> String? {
    if let t = TimeParser.any(text.replacingOccurrences(of: "+00:00", with: "Z")) ?? TimeParser.any(text + "Z") {
      return formatRFC3339(t.micros)
    }
    return text
  }
}
