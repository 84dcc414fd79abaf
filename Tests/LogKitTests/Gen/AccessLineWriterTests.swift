// Line layouts of the access formats, and the unescaped JSON fast path against the escaping one.
import Testing
@testable import LogKit

@Suite struct AccessLineWriterTests {
  private let t: EpochMicros = 1_751_328_000_000_000 + 3_723_000_000  // 2025-07-01T01:02:03Z

  private func render(_ format: OutputFormat, _ e: AccessEvent, plain: Bool = true, zone: Int = 0) -> String {
    let sink = OutputSink(fd: -1)
    AccessLineWriter(format: format, offsetMinutes: zone, plainText: plain).write(e, time: t, to: sink)
    return sink.takeString()
  }

  @Test func layouts() {
    let table = ByteTable(["203.0.113.9", "GET", "/a b", "q=1", "HTTP/1.1", "Agent/1.0 (x)", "www.example.com"])
    var e = AccessEvent()
    e.client = table[0]; e.method = table[1]; e.path = table[2]; e.query = table[3]; e.protocolName = table[4]
    e.agent = table[5]; e.vhost = table[6]
    e.status = 404; e.bytes = 0; e.requestMillis = 1030; e.port = 443
    #expect(render(.common, e) == "203.0.113.9 - - [01/Jul/2025:01:02:03 +0000] \"GET /a b?q=1 HTTP/1.1\" 404 0\n")
    #expect(render(.combined, e, zone: -240) == "203.0.113.9 - - [30/Jun/2025:21:02:03 -0400] \"GET /a b?q=1 HTTP/1.1\" 404 0 \"-\" \"Agent/1.0 (x)\"\n")
    #expect(render(.nginx, e).hasSuffix("\"-\" \"Agent/1.0 (x)\" 1.030\n"))
    #expect(render(.vhostCombined, e).hasPrefix("www.example.com:443 203.0.113.9 - - "))
    #expect(render(.w3c, e) == "2025-07-01 01:02:03 10.0.0.5 GET /a b q=1 443 - 203.0.113.9 HTTP/1.1 Agent/1.0+(x) - www.example.com 404 0 1030\n")
    #expect(render(.json, e) == #"{"time":"2025-07-01T01:02:03Z","client":"203.0.113.9","method":"GET","path":"/a b","query":"q=1","protocol":"HTTP/1.1","status":404,"bytes":0,"user_agent":"Agent/1.0 (x)","request_time":1.03,"vhost":"www.example.com","port":443}"# + "\n")
  }

  /// Replayed text is escaped the way Apache and IIS do, so each line still parses into one record.
  @Test(arguments: [OutputFormat.combined, .vhostCombined, .nginx, .w3c, .json])
  func replayedTextIsEscaped(format: OutputFormat) throws {
    let table = ByteTable(["203.0.113.9", "GET", "/a b", "q=\"1\"", "HTTP/1.1", "Agent \"x\" \\ 1.0\n+", "bob smith", "www.example.com"])
    var e = AccessEvent()
    e.client = table[0]; e.method = table[1]; e.path = table[2]; e.query = table[3]; e.protocolName = table[4]
    e.agent = table[5]; e.user = table[6]; e.vhost = table[7]
    e.status = 200; e.bytes = 5; e.requestMillis = 7; e.port = 80
    let line = render(format, e, plain: false)
    #expect(line.filter { $0 == "\n" }.count == 1 && line.hasSuffix("\n"), "\(line)")
    if format == .combined {
      #expect(line == #"203.0.113.9 - bob\x20smith [01/Jul/2025:01:02:03 +0000] "GET /a\x20b?q=\"1\" HTTP/1.1" 200 5 "-" "Agent \"x\" \\ 1.0\x0a+""# + "\n")
    }
    let parser = format == .nginx
      ? LogParser(format: try NginxFormat.compile(OutputFormat.nginxLogFormat), maxLine: 4096)
      : try LogParser(choice: LogFormatChoice(rawValue: format.rawValue) ?? .auto, maxLine: 4096)
    if format == .w3c {
      let header = "#Fields: \(OutputFormat.w3cFields)"
      var h = header
      _ = h.withUTF8 { parser.parse(UnsafeRawBufferPointer($0)) }
    }
    var text = String(line.dropLast())
    let outcome = text.withUTF8 { parser.parse(UnsafeRawBufferPointer($0)) }
    #expect(outcome == .record, "\(line)")
    func field(_ f: AccessField) -> String { String(decoding: parser.table.strings[f.rawValue], as: UTF8.self) }
    #expect(field(.method) == "GET" && field(.protocol) == "HTTP/1.1")
    #expect(parser.table.status == 200 && parser.table.bytes == 5)
    switch format {
    case .w3c:
      // IIS's lossy mapping: blanks became `+`, and `+` reads back as a space.
      #expect(field(.userAgent) == "Agent \"x\" \\ 1.0  " && field(.path) == "/a+b" && field(.user) == "bob+smith")
    case .json:
      #expect(field(.userAgent) == "Agent \"x\" \\ 1.0\n+" && field(.path) == "/a b" && field(.query) == "q=\"1\"")
    default:
      // Apache's own escaping: `\"` and `\\` decode, `\xHH` stays text.
      #expect(field(.userAgent) == "Agent \"x\" \\ 1.0\\x0a+" && field(.path) == "/a\\x20b" && field(.query) == "q=\"1\"")
    }
  }

  @Test func plainJSONEqualsEscapedJSON() {
    var rng = Xoshiro256(seed: 21)
    let model = TrafficModel(clients: 300, rng: &rng)
    var e = AccessEvent()
    for i in 0..<3000 {
      model.fill(&e, rng: &rng, load: 1)
      e.requestMillis = [0, 5, 30, 1500, 1234, 2000, 999][i % 7] + (i % 3) * 1000
      #expect(render(.json, e, plain: true) == render(.json, e, plain: false))
    }
  }

  @Test func timeTextFollowsTheSecond() {
    let sink = OutputSink(fd: -1)
    let writer = AccessLineWriter(format: .json, offsetMinutes: 0, plainText: true)
    sink.append(writer.timeText(t))
    sink.append(writer.timeText(t + 999_999))
    sink.append(writer.timeText(t + 1_000_000))
    #expect(sink.takeString() == #""2025-07-01T01:02:03Z""2025-07-01T01:02:03Z""2025-07-01T01:02:04Z""#)
  }
}
