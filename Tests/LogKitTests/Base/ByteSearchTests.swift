/*
 The inline byte searches and sets of the parser's hot path agree with their
 plain definitions at every position and length (the word loads must neither
 miss a byte nor read past the range).
*/
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct ByteSearchTests {
  @Test func firstIndexAgreesWithALinearSearch() {
    var rng = TestRNG(seed: 7)
    for _ in 0..<3000 {
      let length = Int(rng.next() % 48)
      let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next() % 6 == 0 ? 0x20 : 0x41 &+ rng.next() % 3) }
      let from = length == 0 ? 0 : Int(rng.next() % UInt64(length + 1))
      let end = from + Int(rng.next() % UInt64(length - from + 1))
      for byte: UInt8 in [0x20, 0x41, 0x43, 0x00] {
        let want = bytes[from..<end].firstIndex(of: byte)
        let got = bytes.withUnsafeBytes { firstIndex(of: byte, in: $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, from: from, to: end) }
        #expect(got == want, "\(bytes) \(from)..<\(end) \(byte)")
      }
    }
  }

  @Test func clientAddressBytesAreTheDocumentedSet() {
    let allowed = Set(Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.:-_%[]".utf8))
    for b in 0...255 {
      let one = [UInt8(b), UInt8(ascii: "1")]
      #expect(one.withUnsafeBytes { FieldTable.isClientAddress($0) } == allowed.contains(UInt8(b)), "byte \(b)")
    }
  }
}
