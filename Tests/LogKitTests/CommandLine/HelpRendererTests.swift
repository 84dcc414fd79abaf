/*
 `--help` layout on the sample spec: order of parts, categories, defaults,
 wrapping at 79 columns, hidden options.
*/
import Testing
@testable import LogKit

@Suite struct HelpRendererTests {
  let help = RenderedSample.help
  var lines: [String] { help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

  @Test func partsInOrder() throws {
    #expect(help.hasPrefix("sample \(logkitVersion)\nExercise the command-line renderers\n\nUsage:\n"))
    #expect(help.contains("  sample [OPTIONS] [FILE...]\n  sample --merge DIR\n"))
    let markers = ["Usage:", "Reads records", "Input:", "Windows:", "Output:", "General:", "Arguments:", "Examples:", "Exit status:"]
    let positions = try markers.map { marker in try #require(help.range(of: marker)).lowerBound }
    #expect(positions == positions.sorted())
    #expect(help.hasSuffix("\n\n" + HelpRenderer.exitStatusLine + "\n"))
    #expect(HelpRenderer.exitStatusLine == "Exit status: 0 ok, 1 runtime failure, 2 usage error, 128+N ended by signal N")
  }

  @Test func optionLines() {
    #expect(lines.contains("  -f, --format FORMAT    Input format [values: combined, common, json]"))
    #expect(lines.contains("                         [default: combined]"))
    #expect(lines.contains("      --rejects FILE     Write rejected lines to FILE"))
    #expect(lines.contains("  -w, --window DURATION  Window length [default: 1m]"))
    #expect(lines.contains("  FILE...                Input files; - is standard input"))
    #expect(lines.contains("    $ sample -f json access.log | head -n 1"))
  }

  @Test func hiddenOptionsAreLeftOut() {
    #expect(!help.contains("secret-hook"))
    #expect(!help.contains("--generate"))
  }

  @Test func descriptionWrapsAt79AndKeepsPreformattedLines() {
    #expect(lines.allSatisfy { $0.count <= DocText.width })
    #expect(lines.filter { $0.hasPrefix("Reads records") || $0.hasPrefix("`-`) and") || $0.hasPrefix("text has to wrap") }.count == 3)
    #expect(lines.contains("  sample --format json access.log | head -n 1"))
    #expect(lines.contains("  'quoted start"))
    #expect(!lines.contains { $0.hasSuffix(" ") })
  }

  @Test func longSummariesWrapIntoTheSummaryColumn() {
    var spec = SampleSpec.spec
    let words = (1...30).map { "word\($0)" }
    spec.options.insert(OptionSpec("long-one", category: "Input", summary: words.joined(separator: " "), defaultValue: "x"), at: 0)
    let help = HelpRenderer.render(spec).split(separator: "\n").map(String.init)
    let column = HelpRenderer.summaryColumn(spec)
    let start = help.firstIndex { $0.hasPrefix("      --long-one") } ?? help.endIndex
    #expect(start < help.endIndex)
    let entry = help[start...].prefix { $0.hasPrefix("      --long-one") || $0.hasPrefix(String(repeating: " ", count: column)) }
    #expect(entry.count > 2)
    #expect(entry.allSatisfy { $0.count <= DocText.width })
    #expect(entry.dropFirst().allSatisfy { $0.dropFirst(column).first != " " })
    #expect(entry.joined().split(separator: " ").filter { $0.hasPrefix("word") }.count == 30)
    #expect(entry.last?.hasSuffix("[default: x]") == true)
  }

  @Test func veryLongNamesPutTheSummaryOnTheNextLine() {
    var spec = SampleSpec.spec
    spec.options.append(OptionSpec("a-very-long-option-name", value: "SOMETHING", summary: "Short summary"))
    let help = HelpRenderer.render(spec).split(separator: "\n").map(String.init)
    let column = HelpRenderer.summaryColumn(spec)
    let index = help.firstIndex(of: "      --a-very-long-option-name SOMETHING")
    #expect(index != nil)
    if let index { #expect(help[index + 1] == String(repeating: " ", count: column) + "Short summary") }
  }

  @Test func wrapKeepsWordsWhole() {
    let lines = DocText.wrap(["aaaa", "bbbb", "cccccccccccc", "d"], first: "> ", rest: "  ", width: 10)
    #expect(lines == ["> aaaa", "  bbbb", "  cccccccccccc", "  d"])
  }

  @Test func blocks() {
    let text = "one two\nthree\n\n  pre  one\n    pre two\n\nlast"
    #expect(DocText.blocks(text) == [
      .paragraph(["one", "two", "three"]), .preformatted(["pre  one", "  pre two"]), .paragraph(["last"]),
    ])
    #expect(DocText.blocks("").isEmpty)
  }
}
