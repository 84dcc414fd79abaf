/*
 The plain-ASCII fast path must agree with a byte-by-byte definition, and
 strings it writes must equal what the shared escaper writes.
*/
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct CleanTextTests {
  @Test func agreesWithByteDefinition() {
    var rng = TestRNG(seed: 0x9E37_79B9_7F4A_7C15)
    func next() -> UInt64 { rng.next() }
    let specials: [UInt8] = [0x00, 0x1F, 0x22, 0x5C, 0x7F, 0x80, 0xFF, 0x20, 0x7E, 0x41]
    for _ in 0..<5000 {
      let length = Int(next() % 40)
      var bytes = (0..<length).map { _ in UInt8(0x20 + next() % 0x5F) }
      if length > 0 && next() % 2 == 0 { bytes[Int(next() % UInt64(length))] = specials[Int(next() % UInt64(specials.count))] }
      let expected = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x80 && $0 != 0x22 && $0 != 0x5C }
      bytes.withUnsafeBytes { raw in
        #expect(OutputSink.isPlainASCII(raw) == expected, "\(bytes)")
        let fast = OutputSink(fd: -1)
        let slow = OutputSink(fd: -1)
        fast.valueText(raw)
        slow.value(string: raw)
        #expect(fast.takeString() == slow.takeString())
      }
    }
  }
}
