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
    #expect(render(.w3c, e) == "2025-07-01 01:02:03 10.0.0.5 GET /a b q=1 443 - 203.0.113.9 Agent/1.0+(x) - www.example.com 404 0 1030\n")
    #expect(render(.json, e) == #"{"time":"2025-07-01T01:02:03Z","client":"203.0.113.9","method":"GET","path":"/a b","query":"q=1","protocol":"HTTP/1.1","status":404,"bytes":0,"user_agent":"Agent/1.0 (x)","request_time":1.03,"vhost":"www.example.com","port":443}"# + "\n")
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
