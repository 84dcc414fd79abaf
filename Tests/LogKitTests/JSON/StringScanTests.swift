// The word-at-a-time string skip (JSONCursor.skipPlainStringBytes) at every
// length and at every position of the special byte, against a byte-by-byte
// reading of the same line: the value's end, escapes and control bytes.
import Testing
@testable import LogKit

@Suite struct StringScanTests {
  let scanner = NDJSONScanner()

  /// The scanner's verdict: the string value's raw bytes, or the error's column.
  func scan(_ bytes: [UInt8]) -> Result<[UInt8], NDJSONError> {
    bytes.withUnsafeBytes { buffer in
      do throws(NDJSONError) {
        try scanner.scan(buffer)
        return .success(Array(scanner.rawBytes(at: 0)))
      } catch {
        return .failure(error)
      }
    }
  }

  /// `{"k":"<body>"}` plus `tail`, for bodies of plain bytes with one special byte.
  func line(body: [UInt8], tail: [UInt8] = []) -> [UInt8] {
    Array(#"{"k":""#.utf8) + body + Array(#""}"#.utf8) + tail
  }

  @Test func plainStringsOfEveryLengthEndAtTheirQuote() throws {
    for length in 0..<70 {
      let body = (0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
      for tail in [[], [UInt8(ascii: " ")], Array("   ".utf8)] {
        #expect(try scan(line(body: body, tail: tail)).get() == [0x22] + body + [0x22], "length \(length)")
      }
    }
  }

  @Test func aSpecialByteIsFoundAtEveryPosition() throws {
    for length in 1..<40 {
      for at in 0..<length {
        var body = [UInt8](repeating: UInt8(ascii: "x"), count: length)
        // A byte >= 0x80 just before it must not hide it (no borrow downwards).
        if at > 0 { body[at - 1] = 0xC3 }
        body[at] = 0x01
        guard case .failure(let error) = scan(line(body: body)) else {
          Issue.record("control byte at \(at) of \(length) accepted")
          continue
        }
        #expect(error.column == 6 + at + 1, "control byte at \(at) of \(length)")
        var escaped = [UInt8](repeating: UInt8(ascii: "y"), count: length)
        escaped[at] = 0x5C
        escaped.insert(UInt8(ascii: "n"), at: at + 1)
        #expect(try scan(line(body: escaped)).get() == [0x22] + escaped + [0x22], "escape at \(at) of \(length)")
      }
    }
  }

  @Test func anUnterminatedStringIsRejectedAtEveryLength() {
    for length in 0..<40 {
      let bytes = Array(#"{"k":""#.utf8) + [UInt8](repeating: UInt8(ascii: "z"), count: length)
      guard case .failure(let error) = scan(bytes) else {
        Issue.record("unterminated string of \(length) accepted")
        continue
      }
      #expect(error.reason.contains("unterminated string"), "\(error)")
    }
  }
}
