/*
 Rendering on fixed records: golden text for the summary and the terminal
 frames at 80x24, 120x40 and 40x10 (summary.txt, frame-WxH.txt in Tests/Fixtures/logdash; run with
 LOGDASH_UPDATE_GOLDEN=1 to rewrite them, then review the diff), log text
 made inert on the terminal, only changed cells redrawn.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct DashRenderTests {
  static let health = DashHealth(lines: 98, rejected: 0, linesPerSecond: 0, inputEnded: true)

  static func golden(_ name: String, _ actual: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = Fixtures.root.appendingPathComponent("logdash").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["LOGDASH_UPDATE_GOLDEN"] == "1" {
      try? actual.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let expected = String(decoding: Fixtures.bytes("logdash", name), as: UTF8.self)
    #expect(actual == expected, "golden \(name) differs; rerun with LOGDASH_UPDATE_GOLDEN=1 and review", sourceLocation: sourceLocation)
  }

  @Test func textSummaryGolden() {
    let text = TextSummary.render(DashHarness.pipelineModel(), health: Self.health)
    Self.golden("summary.txt", text)
    #expect(text.contains("requests: 59,"))
    #expect(text.contains("FIRING slow_api path=/api/items  for 4m"))
    #expect(text.contains("scaling: 3 replicas after 4 decisions"))
  }

  @Test(arguments: [(80, 24), (120, 40), (40, 10)])
  func terminalFrameGolden(width: Int, height: Int) {
    let frame = TerminalLayout.render(DashHarness.pipelineModel(), health: Self.health, view: TerminalView(), width: width, height: height)
    #expect(frame.width == width && frame.height == height)
    Self.golden("frame-\(width)x\(height).txt", frame.text)
    let text = frame.text
    if width >= 80 {
      for panel in ["Requests/s", "Error ratio", "Top paths", "Alerts: 1 firing", "Replicas: 3", "Totals and input"] {
        #expect(text.contains(panel), "\(panel) at \(width)x\(height)")
      }
      #expect(text.contains("/checkout"))
      #expect(text.contains(width >= 100 ? "slow_api path=/api/items" : "slow_api path=/api/…"))
    } else {
      #expect(text.contains("FIRING 1: slow_api"))
      #expect(text.contains("replicas 3"))
    }
  }

  @Test func logTextIsInertOnTheTerminal() {
    let model = DashModel(config: DashConfig())
    DashHarness.feed(model, DashHarness.fixtureLines("hostile-access.ndjson"))
    model.finish()
    for kind in [TopKind.path, .userAgent] {
      let frame = TerminalLayout.render(model, health: Self.health, view: TerminalView(top: kind), width: 120, height: 40)
      for cell in frame.cells {
        let v = cell.scalar.value
        #expect(v >= 0x20 && v != 0x7F && !(0x80..<0xA0).contains(v), "control character U+\(String(v, radix: 16)) in a cell")
        #expect(!(0x202A...0x202E).contains(v) && !(0x2066...0x2069).contains(v), "bidi control in a cell")
      }
      let text = frame.text
      if kind == .path {
        #expect(text.contains(#"/term\x1b[2J\x1b]0;pwned\x07"#))
        #expect(text.contains(#"/bidi\u{202e}exe.txt"#))
      } else {
        #expect(text.contains(#"Mozilla/5.0 \x1b[31mred\x1b[0m"#))
        #expect(text.contains(#"curl/8.0 \u{2066}rtl\u{2069}"#))
      }
      // The escape sequences on the wire are only the writer's own.
      var writer = ScreenWriter()
      let wire = writer.update(to: frame)
      #expect(!wire.contains("\u{1B}]0;"))
      #expect(!wire.contains("\u{1B}[31mred"))
    }
  }

  @Test func inertTextEscapesControlsAndBidiButKeepsText() {
    #expect(InertText.escape("plain /path?q=1") == "plain /path?q=1")
    #expect(InertText.escape("a\u{1B}[2Jb") == #"a\x1b[2Jb"#)
    #expect(InertText.escape("tab\there\nnl") == #"tab\x09here\x0anl"#)
    #expect(InertText.escape("c1\u{9B}31m") == #"c1\x9b31m"#)
    #expect(InertText.escape("\u{202E}gpj.exe") == #"\u{202e}gpj.exe"#)
    #expect(InertText.escape("zero\u{200B}width") == #"zero\u{200b}width"#)
    #expect(InertText.escape("café 東京") == "café 東京")
    #expect(InertText.width("東京") == 4)
    #expect(InertText.fit("abcdefgh", 5) == "abcd…")
  }

  @Test func screenWriterSendsOnlyChangedCells() {
    var a = TerminalFrame(width: 20, height: 5)
    a.put("hello", x: 0, y: 0)
    var writer = ScreenWriter()
    let first = writer.update(to: a)
    #expect(first.hasPrefix("\u{1B}[0m\u{1B}[2J"))
    var b = a
    b.put("J", x: 3, y: 2, style: .red)
    let second = writer.update(to: b)
    #expect(second == "\u{1B}[3;4H\u{1B}[0;31mJ\u{1B}[0m")
    #expect(writer.update(to: b) == "")
    // A new size repaints everything.
    let c = TerminalFrame(width: 10, height: 3)
    #expect(writer.update(to: c).hasPrefix("\u{1B}[0m\u{1B}[2J"))
  }

  @Test func brailleChartFillsFromTheBottom() {
    var frame = TerminalFrame(width: 2, height: 2)
    BrailleChart.draw([[0, 1, 0.5, 1]], into: &frame, rect: Rect(x: 0, y: 0, width: 2, height: 2), styles: [.plain])
    // Column 0 empty, column 1 full height; column 2 half, column 3 full.
    #expect(frame[0, 0].scalar == Unicode.Scalar(0x2800 + 0x08 + 0x10 + 0x20 + 0x80))
    #expect(frame[0, 1].scalar == Unicode.Scalar(0x2800 + 0x08 + 0x10 + 0x20 + 0x80))
    #expect(frame[1, 0].scalar == Unicode.Scalar(0x2800 + 0x08 + 0x10 + 0x20 + 0x80))
    #expect(frame[1, 1].scalar == Unicode.Scalar(0x2800 + 0xFF))
  }
}
