// Seeded random mutations of the pass corpus: the scanner never crashes, it
// agrees with the tree parser on what is valid, and what it accepts has the
// same members. (A fuzzer would run this property unbounded.)
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct NDJSONMutationTests {
  static func mutate(_ input: [UInt8], _ rng: inout TestRNG) -> [UInt8] {
    var bytes = input
    let specials: [UInt8] = Array(#"{}[]:,"\ 0-.eE+tfnu"#.utf8) + [0x00, 0x0A, 0x1F, 0x80, 0xFF]
    for _ in 0...(rng.next() % 3) {
      let position = bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))
      switch rng.next() % 4 {
      case 0 where !bytes.isEmpty: bytes[position] = specials[Int(rng.next() % UInt64(specials.count))]
      case 1: bytes.insert(specials[Int(rng.next() % UInt64(specials.count))], at: position)
      case 2 where !bytes.isEmpty: bytes.remove(at: position)
      default: bytes = Array(bytes.prefix(position))
      }
    }
    return bytes
  }

  @Test func mutatedCorpusIsHandled() throws {
    let corpus = Fixtures.names(in: "json/pass").map { Fixtures.bytes("json/pass", $0) }
    #expect(!corpus.isEmpty)
    var rng = TestRNG(seed: 0xC0FF_EE00)
    let scanner = NDJSONScanner()
    var accepted = 0
    var rejected = 0
    for _ in 0..<5000 {
      let line = Self.mutate(corpus[Int(rng.next() % UInt64(corpus.count))], &rng)
      line.withUnsafeBytes { buffer in
        let scanned: NDJSONError?
        do throws(NDJSONError) {
          try scanner.scan(buffer)
          scanned = nil
        } catch {
          scanned = error
        }
        let tree = try? JSONValue.parse(buffer)
        if let scanned {
          rejected += 1
          #expect(scanned.column >= 1 && scanned.column <= line.count + 1)
          // The tree parser accepts non-objects; for objects both must reject.
          if case .object = tree { Issue.record("tree parser accepted what the scanner rejected: \(line)") }
        } else {
          accepted += 1
          guard case .object(let members) = tree else {
            Issue.record("scanner accepted what the tree parser rejected: \(line)")
            return
          }
          #expect(scanner.fieldCount == members.count)
          for i in 0..<scanner.fieldCount { _ = scanner.string(at: i); _ = scanner.double(at: i) }
        }
      }
    }
    // Both outcomes are exercised.
    #expect(accepted > 100 && rejected > 100)
  }
}
