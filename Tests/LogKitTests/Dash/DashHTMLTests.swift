/*
 The HTML page: self-contained (no external references, no script in file
 modes), the panels and their values present, every log text escaped so
 `<script>`, `"onmouseover=` and `</svg>` in paths and user agents stay text;
 and the few HTTP routes of --serve.
*/
import Foundation
import Testing
@testable import LogKit

@Suite struct DashHTMLTests {
  static let health = DashHealth(lines: 120, rejected: 0, linesPerSecond: 0, inputEnded: true)

  static func hostileModel() -> DashModel {
    let model = DashModel(config: DashConfig())
    DashHarness.feed(model, DashHarness.fixtureLines("hostile-access.ndjson"))
    model.finish()
    return model
  }

  @Test func pageIsSelfContained() {
    for mode in [HTMLReport.Mode.finalFile, .liveFile(refreshSeconds: 5), .served] {
      let page = HTMLReport.render(DashHarness.pipelineModel(), health: Self.health, mode: mode)
      #expect(page.hasPrefix("<!DOCTYPE html>"))
      for external in ["src=\"http", "href=\"http", "url(", "@import", "src=\"//", "href=\"//"] {
        #expect(!page.contains(external), "\(external) in \(mode)")
      }
      #expect(page.components(separatedBy: "<script").count - 1 == (mode == .served ? 1 : 0))
      #expect(page.contains("http-equiv=\"refresh\"") == (mode == .liveFile(refreshSeconds: 5)))
    }
  }

  @Test func panelsCarryTheValues() {
    let page = HTMLReport.render(DashHarness.pipelineModel(), health: Self.health, mode: .finalFile)
    for id in ["totals", "rate", "error-ratio", "latency", "top-path", "alerts", "scaling", "overview", "alert-timeline", "scale-timeline"] {
      #expect(page.contains("<section id=\"\(id)\""), "panel \(id)")
    }
    #expect(page.contains("data-k=\"replicas\">3<"))
    #expect(page.contains("data-k=\"firing\">1<"))
    #expect(page.contains("data-k=\"alert-events\">4<"))
    #expect(page.contains("slow_api path=/api/items"))
    // Every alert event and decision is in the timelines.
    #expect(page.components(separatedBy: "<tr class=\"firing\"><td>2025").count - 1 == 2)
    #expect(page.contains("requests_per_replica 690 &gt; target 500: 5 replicas (max step 2)"))
  }

  @Test func logTextIsEscapedInTextAndAttributes() throws {
    let page = HTMLReport.render(Self.hostileModel(), health: Self.health, mode: .finalFile)
    #expect(!page.contains("<script"))
    #expect(!page.contains("<img"))
    #expect(!page.contains("<svg onload"))
    #expect(!page.contains("\"onmouseover="))
    #expect(!page.contains("onerror=alert(3)>"))
    #expect(page.contains("/&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(page.contains("&lt;script&gt;alert(&#39;ua&#39;)&lt;/script&gt;"))
    #expect(page.contains("/a&quot;onmouseover=alert(1) x=&quot;"))
    #expect(page.contains("/x&lt;/svg&gt;&lt;svg onload=alert(1)&gt;"))
    #expect(page.contains(#"/term\x1b[2J\x1b]0;pwned\x07"#))
    #expect(page.contains(#"/bidi\u{202e}exe.txt"#))
    // The SVG elements opened are all closed: no </svg> from the data ended one early.
    #expect(page.components(separatedBy: "<svg").count == page.components(separatedBy: "</svg>").count)
    // Attributes: a hostile --chart name ends up only quoted and escaped.
    var config = DashConfig()
    config.chartFields = ["x\" onmouseover=\"alert(1)"]
    let model = DashModel(config: config)
    DashHarness.feed(model, [#"{"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","count":1}"#])
    model.finish()
    let chartPage = HTMLReport.render(model, health: Self.health, mode: .finalFile)
    #expect(!chartPage.contains("\" onmouseover=\""))
    #expect(chartPage.contains("x&quot; onmouseover=&quot;alert(1)"))
  }

  @Test func wholeRunTablesForABatchReport() {
    let page = HTMLReport.render(Self.hostileModel(), health: Self.health, mode: .finalFile)
    for id in ["run-paths", "run-error-paths", "run-clients", "run-suspicious", "top-user_agent"] {
      #expect(page.contains("<section id=\"\(id)\""), "panel \(id)")
    }
  }

  @Test func routesOfTheServer() throws {
    let page = Array("<p>x</p>".utf8)
    #expect(HTTPRequest.route(Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8), page: page) == nil)
    let index = try #require(HTTPRequest.route(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), page: page))
    #expect(index.head.hasPrefix("HTTP/1.1 200 OK\r\n") && index.body == page && !index.stream)
    #expect(index.head.contains("Content-Length: 8\r\n"))
    let events = try #require(HTTPRequest.route(Array("GET /events HTTP/1.1\r\n\r\n".utf8), page: page))
    #expect(events.stream && events.head.contains("text/event-stream"))
    let post = try #require(HTTPRequest.route(Array("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n".utf8), page: page))
    #expect(post.head.hasPrefix("HTTP/1.1 405") && post.head.contains("Allow: GET, HEAD\r\n"))
    let missing = try #require(HTTPRequest.route(Array("GET /etc/passwd HTTP/1.1\r\n\r\n".utf8), page: page))
    #expect(missing.head.hasPrefix("HTTP/1.1 404"))
    #expect(throws: DashError.self) { try ListenAddress.parse("8080") }
    #expect(try ListenAddress.parse(":8080").host == "127.0.0.1")
    #expect(try ListenAddress.parse("localhost:0").isLoopback)
  }
}
