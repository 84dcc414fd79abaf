// Seeded random token soups: the parser either reports an error inside the
// text or returns a tree whose rendering parses back to the same tree, and
// compiled trees evaluate without trapping.
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct ExprRandomTests {
  static let vocabulary = [
    "status", "path", "a.b", "`x-y`", "1", "2.5", "0", "5m", "'s'", "\"GET\"", "true", "null",
    "+", "-", "*", "/", "%", "==", "!=", "<", ">=", "and", "or", "not", "!", "in", "[", "]", ",",
    "(", ")", "len(", "min(", "startswith(", "exists(", "coalesce(", "=", "#", "'",
  ]

  @Test func randomTokenSoups() throws {
    var rng = TestRNG(seed: 0xE1A5)
    let record = Array(#"{"status":500,"path":"/x","a":{"b":"y"},"x-y":0}"#.utf8)
    let scanner = NDJSONScanner()
    var parsed = 0
    var failed = 0
    for _ in 0..<5000 {
      let n = 1 + Int(rng.next() % 8)
      let text = (0..<n).map { _ in Self.vocabulary[Int(rng.next() % UInt64(Self.vocabulary.count))] }
        .joined(separator: rng.next() % 2 == 0 ? " " : "")
      do throws(ExprError) {
        let expr = try Expr.parse(text)
        parsed += 1
        #expect(try Expr.parse(expr.description) == expr, "\(text)")
        let slots = RecordSlots()
        let compiled = try CompiledExpr(expr, slots: slots)
        record.withUnsafeBytes { buffer in
          #expect(throws: Never.self) { try scanner.scan(buffer) }
          slots.load(from: scanner)
          _ = compiled.evaluate(slots).description
        }
      } catch {
        failed += 1
        #expect(error.column >= 1 && error.column <= text.utf8.count + 1, "\(text): \(error)")
        #expect(!error.message.isEmpty && error.message.first?.isUppercase == false)
      }
    }
    #expect(parsed > 100 && failed > 100)
  }
}
