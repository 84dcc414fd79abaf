/*
 The library is layered one way: a folder of Sources/LogKit may use only the
 folders below it (ARCHITECTURE.md). This test reads the sources, collects
 the top-level names each folder declares (types, functions, constants) and
 fails on every use of a name declared in a folder the using folder may not
 depend on, naming the file, line and symbol.
*/
import Foundation
import XCTest

/// Which folders each folder may use, besides itself.
let allowedDependencies: [String: Set<String>] = {
  let bottom: Set<String> = ["Base", "Time", "IO", "JSON"]
  let engines: Set<String> = bottom.union(["Parse", "Expr"])
  return [
    "Base": [],
    "Time": ["Base"],
    "IO": ["Base", "Time"],
    "JSON": ["Base", "Time", "IO"],
    "CommandLine": bottom,
    "Parse": bottom,
    "Expr": bottom,
    "Window": engines, "Gen": engines, "Alert": engines, "Scale": engines, "Dash": engines,
    "Commands": engines.union(["CommandLine", "Window", "Gen", "Alert", "Scale", "Dash"]),
  ]
}()

struct LayerViolation: CustomStringConvertible, Equatable {
  var file: String
  var line: Int
  var symbol: String
  var declaredIn: String
  var description: String { "\(file):\(line): uses \(symbol) of \(declaredIn)/, which its folder may not depend on" }
}

enum LayerChecker {
  /// Sources as (folder, file name, text).
  typealias Source = (folder: String, file: String, text: String)

  static func violations(_ sources: [Source], allowed: [String: Set<String>]) -> [LayerViolation] {
    var declaredIn: [String: Set<String>] = [:]
    for source in sources {
      for name in declarations(in: source.text) { declaredIn[name, default: []].insert(source.folder) }
    }
    var found: [LayerViolation] = []
    for source in sources {
      let permitted = (allowed[source.folder] ?? []).union([source.folder])
      for (lineNumber, line) in codeLines(source.text) {
        for word in identifiers(in: line) {
          guard let folders = declaredIn[word], folders.isDisjoint(with: permitted) else { continue }
          found.append(LayerViolation(
            file: "\(source.folder)/\(source.file)", line: lineNumber, symbol: word,
            declaredIn: folders.sorted().joined(separator: ",")))
        }
      }
    }
    return found
  }

  /// Top-level names a file declares for other files (private ones excluded).
  static func declarations(in text: String) -> [String] {
    let pattern = #"^(?:@\w+(?:\([^)]*\))?\s+)*(?:package\s+|public\s+|internal\s+)?(?:final\s+|indirect\s+)?(?:struct|class|enum|protocol|typealias|actor|func|let|var)\s+([A-Za-z_]\w*)"#
    guard let regex = try? NSRegularExpression(pattern: pattern, options: [.anchorsMatchLines]) else { return [] }
    let range = NSRange(text.startIndex..., in: text)
    return regex.matches(in: text, range: range).compactMap { match in
      Range(match.range(at: 1), in: text).map { String(text[$0]) }
    }
  }

  /// Lines with comments and string literals removed, numbered from 1.
  static func codeLines(_ text: String) -> [(Int, String)] {
    var out: [(Int, String)] = []
    var inBlockComment = false
    var inMultilineString = false
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var code = ""
      let chars = Array(raw)
      var i = 0
      var inString = false
      if inMultilineString {
        if raw.contains("\"\"\"") { inMultilineString = false }
        continue
      }
      while i < chars.count {
        let c = chars[i]
        let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
        if inBlockComment {
          if c == "*", next == "/" { inBlockComment = false; i += 2 } else { i += 1 }
          continue
        }
        if inString {
          if c == "\\" { i += 2; continue }
          if c == "\"" { inString = false }
          i += 1
          continue
        }
        if c == "/", next == "/" { break }
        if c == "/", next == "*" { inBlockComment = true; i += 2; continue }
        if c == "\"" {
          if i + 2 < chars.count, chars[i + 1] == "\"", chars[i + 2] == "\"" {
            inMultilineString = !String(chars[(i + 3)...]).contains("\"\"\"")
            break
          }
          inString = true
          i += 1
          continue
        }
        code.append(c)
        i += 1
      }
      out.append((index + 1, code))
    }
    return out
  }

  /// Identifiers of a code line, leaving out member accesses (`.name`) and labels (`name:`).
  static func identifiers(in line: String) -> [String] {
    let chars = Array(line)
    var words: [String] = []
    var previousWord = ""
    var i = 0
    func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
    while i < chars.count {
      guard isWordChar(chars[i]) else { i += 1; continue }
      let start = i
      while i < chars.count, isWordChar(chars[i]) { i += 1 }
      let isMember = start > 0 && chars[start - 1] == "."
      let isLabel = i < chars.count && chars[i] == ":"
      let word = String(chars[start..<i])
      // The name a member declaration introduces is not a use (`func jsonValue` in an extension).
      let isDeclared = ["func", "var", "let", "case"].contains(previousWord)
      if !isMember, !isLabel, !isDeclared, !chars[start].isNumber { words.append(word) }
      previousWord = word
    }
    return words
  }
}

final class LayeringTests: XCTestCase {
  static let libraryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("Sources/LogKit")
  }()

  static func librarySources() throws -> [LayerChecker.Source] {
    let fm = FileManager.default
    var sources: [LayerChecker.Source] = []
    guard let walker = fm.enumerator(atPath: libraryRoot.path) else { return [] }
    for case let relative as String in walker where relative.hasSuffix(".swift") {
      let parts = relative.split(separator: "/")
      guard parts.count >= 2 else { continue }
      let text = try String(contentsOf: libraryRoot.appendingPathComponent(relative), encoding: .utf8)
      sources.append((String(parts[0]), parts.dropFirst().joined(separator: "/"), text))
    }
    return sources
  }

  func testEveryFolderHasALayer() throws {
    let folders = Set(try Self.librarySources().map(\.folder))
    XCTAssertFalse(folders.isEmpty)
    for folder in folders.sorted() {
      XCTAssertNotNil(allowedDependencies[folder], "Sources/LogKit/\(folder)/ is not in the layer table (LayeringTests.swift, ARCHITECTURE.md)")
    }
  }

  func testNoFolderUsesAFolderAboveOrBesideIt() throws {
    let violations = LayerChecker.violations(try Self.librarySources(), allowed: allowedDependencies)
    XCTAssertTrue(violations.isEmpty, "layer violations:\n" + violations.map(\.description).joined(separator: "\n"))
  }

  /// The checker itself: an upward use is found, a permitted one is not.
  func testCheckerFindsAnUpwardUse() {
    let sources: [LayerChecker.Source] = [
      ("IO", "Sink.swift", "package final class OutputSink {\n  func flush() {}\n}\n"),
      ("CommandLine", "Usage.swift", "package struct UsageError: Error {}\n"),
      ("Time", "Format.swift", "// OutputSink in a comment is fine\nlet s = \"UsageError\"\nextension OutputSink {\n}\n"),
      ("Parse", "P.swift", "func f() throws(UsageError) { let sink = OutputSink(); sink.flush() }\n"),
    ]
    let found = LayerChecker.violations(sources, allowed: allowedDependencies)
    XCTAssertEqual(found, [
      LayerViolation(file: "Time/Format.swift", line: 3, symbol: "OutputSink", declaredIn: "IO"),
      LayerViolation(file: "Parse/P.swift", line: 1, symbol: "UsageError", declaredIn: "CommandLine"),
    ])
  }
}
