/*
 The inline byte searches, compares and sets of the hot paths agree with
 their plain definitions at every position and length (the word loads must
 neither miss a byte nor read past the range).
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

  @Test func bytesEqualAgreesWithMemcmpAtEveryLengthAndDifference() {
    for length in 0..<40 {
      let a = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
      #expect(a.withUnsafeBytes { x in a.withUnsafeBytes { y in bytesEqual(x.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, y.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, count: length) } })
      for position in 0..<length {
        var b = a
        b[position] ^= 0x40
        let equal = a.withUnsafeBytes { x in b.withUnsafeBytes { y in bytesEqual(x.baseAddress!, y.baseAddress!, count: length) } }
        #expect(!equal, "length \(length), differing at \(position)")
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
