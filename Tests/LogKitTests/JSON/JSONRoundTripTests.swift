// Random byte strings written with the JSON writer's escaping must scan back
// as the writer's documented repair: valid UTF-8 kept, every other byte U+FFFD.
import LogKitTestSupport
import Testing
@testable import LogKit

@Suite struct JSONRoundTripTests {
  /// The expected text, computed independently of the writer: the standard
  /// library validates each candidate sequence.
  static func repaired(_ bytes: [UInt8]) -> String {
    var out = ""
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      let length: Int
      switch b {
      case 0..<0x80: length = 1
      case 0xC2...0xDF: length = 2
      case 0xE0...0xEF: length = 3
      case 0xF0...0xF4: length = 4
      default: length = 0
      }
      if length > 0, i + length <= bytes.count,
        let s = String(validating: bytes[i..<i + length], as: UTF8.self)
      {
        out += s
        i += length
      } else {
        out += "\u{FFFD}"
        i += 1
      }
    }
    return out
  }

  static func randomBytes(_ rng: inout TestRNG) -> [UInt8] {
    let length = Int(rng.next() % 40)
    var bytes: [UInt8] = []
    for _ in 0..<length {
      switch rng.next() % 6 {
      case 0: bytes.append(UInt8(rng.next() % 0x20))  // control characters
      case 1: bytes.append([0x22, 0x5C, 0x2F][Int(rng.next() % 3)])  // quote, backslash, slash
      case 2: bytes.append(contentsOf: Array(["é", "中", "😀", "\u{7FF}", "\u{FFFF}"][Int(rng.next() % 5)].utf8))
      case 3: bytes.append(UInt8(0x80 + rng.next() % 0x80))  // stray high bytes
      default: bytes.append(UInt8(0x20 + rng.next() % 0x5F))  // printable ASCII
      }
    }
    return bytes
  }

  @Test func randomStringsRoundTrip() throws {
    var rng = TestRNG(seed: 0x5EED_1234)
    let scanner = NDJSONScanner()
    for _ in 0..<2000 {
      let original = Self.randomBytes(&rng)
      let sink = OutputSink(fd: -1)
      sink.beginObject()
      original.withUnsafeBytes { sink.key(bytes: $0) }
      original.withUnsafeBytes { sink.value(string: $0) }
      sink.endObject()
      let line = sink.bufferedText
      let expected = Self.repaired(original)
      var bytes = Array(line.utf8)
      #expect(String(validating: bytes, as: UTF8.self) != nil)
      try bytes.withUnsafeMutableBytes { buffer in
        try scanner.scan(UnsafeRawBufferPointer(buffer))
        #expect(scanner.fieldCount == 1)
        #expect(scanner.string(at: 0) == expected, "\(original)")
        #expect(scanner.name(at: 0) == expected)
        #expect(scanner.fieldIndex(named: expected) == 0)
      }
      #expect(try JSONValue.parse(line) == .object([(expected, .string(expected))]))
    }
  }
}
