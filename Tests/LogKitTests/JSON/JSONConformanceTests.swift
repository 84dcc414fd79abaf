// The conformance corpus: every file in Fixtures/json/pass must scan, every
// file in Fixtures/json/fail must be rejected, by the scanner and the tree parser alike.
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct JSONConformanceTests {
  @Test func corpusIsPresent() {
    #expect(Fixtures.names(in: "json/pass").count >= 20)
    #expect(Fixtures.names(in: "json/fail").count >= 20)
  }

  @Test(arguments: Fixtures.names(in: "json/pass"))
  func accepts(_ name: String) throws {
    let bytes = Fixtures.bytes("json/pass", name)
    let scanner = NDJSONScanner()
    let tree = try bytes.withUnsafeBytes { buffer in
      try scanner.scan(buffer)
      return try JSONValue.parse(buffer)
    }
    // Both readers see the same members in the same order.
    guard case .object(let members) = tree else {
      Issue.record("\(name): not an object")
      return
    }
    try bytes.withUnsafeBytes { buffer in
      try scanner.scan(buffer)
      #expect(scanner.fieldCount == members.count, "\(name)")
      for (i, member) in members.enumerated() where i < scanner.fieldCount {
        #expect(scanner.name(at: i) == member.0, "\(name)")
      }
    }
    // Writing the tree and reading it back gives the same tree.
    let again = try JSONValue.parse(tree.description)
    #expect(again == tree, "\(name)")
  }

  @Test(arguments: Fixtures.names(in: "json/fail"))
  func rejects(_ name: String) {
    let bytes = Fixtures.bytes("json/fail", name)
    let scanner = NDJSONScanner()
    bytes.withUnsafeBytes { buffer in
      #expect(throws: NDJSONError.self, "\(name)") { try scanner.scan(buffer) }
      #expect(scanner.fieldCount == 0)
      if name != "not_object.json" {
        #expect(throws: NDJSONError.self, "\(name)") { try JSONValue.parse(buffer) }
      }
    }
  }
}
