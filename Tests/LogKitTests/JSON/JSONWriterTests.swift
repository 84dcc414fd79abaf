/*
 The JSON writer: escaping, UTF-8 repair, numbers and comma placement.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

private func written(_ body: (OutputSink) -> Void) -> String {
  let sink = OutputSink(fd: -1, capacity: 16)
  body(sink)
  return sink.takeString()
}

private func escaped(_ bytes: [UInt8]) -> String {
  written { sink in bytes.withUnsafeBytes { sink.appendEscapedString($0) } }
}

@Suite struct JSONWriterTests {
  @Test func escapesQuotesBackslashesAndControls() {
    #expect(escaped(Array("a\"b\\c\n\r\t\u{08}\u{0C}".utf8)) == #""a\"b\\c\n\r\t\b\f""#)
    #expect(escaped([0x01, 0x1F, 0x7F]) == "\"\\u0001\\u001f\u{7F}\"")
    #expect(escaped([0x00]) == #""\u0000""#)
  }

  @Test func keepsValidUTF8AndRepairsInvalid() {
    #expect(escaped(Array("héllo €𝄞".utf8)) == "\"héllo €𝄞\"")
    // Lone continuation, truncated sequence, overlong, surrogate, > U+10FFFF.
    #expect(escaped([0x41, 0x80, 0x42]) == "\"A\u{FFFD}B\"")
    #expect(escaped([0xE2, 0x82]) == "\"\u{FFFD}\u{FFFD}\"")
    #expect(escaped([0xC0, 0xAF]) == "\"\u{FFFD}\u{FFFD}\"")
    #expect(escaped([0xED, 0xA0, 0x80]) == "\"\u{FFFD}\u{FFFD}\u{FFFD}\"")
    #expect(escaped([0xF4, 0x90, 0x80, 0x80]) == "\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\"")
  }

  @Test func randomBytesAlwaysGiveValidJSON() throws {
    var rng = TestRNG(seed: 0x1234_5678)
    for _ in 0..<500 {
      var bytes: [UInt8] = []
      for _ in 0..<Int.random(in: 0..<40, using: &rng) {
        // Mostly ASCII and UTF-8 lead/continuation bytes, so valid sequences occur too.
        bytes.append(UInt8.random(in: 0...255, using: &rng))
      }
      let text = escaped(bytes)
      let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
      #expect(decoded is String)
      // Valid input must round-trip exactly.
      if String(validating: bytes, as: UTF8.self) != nil {
        #expect(decoded as? String == String(decoding: bytes, as: UTF8.self))
      } else {
        #expect((decoded as? String)?.contains("\u{FFFD}") == true)
      }
    }
  }

  /// Plain strings of 8 bytes and more are copied a word at a time; one byte to
  /// escape at any position, in any length, must still take the byte loop.
  @Test func aByteToEscapeIsFoundAtEveryPositionOfEveryLength() {
    for length in 0..<40 {
      let plain = (0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
      #expect(escaped(plain) == "\"" + String(decoding: plain, as: UTF8.self) + "\"", "length \(length)")
      for position in 0..<length {
        for special: UInt8 in [0x22, 0x5C, 0x0A, 0xC3] {
          var bytes = plain
          bytes[position] = special
          let want: String
          switch special {
          case 0x22: want = "\\\""
          case 0x5C: want = "\\\\"
          case 0x0A: want = "\\n"
          default: want = "\u{FFFD}"
          }
          let expected = "\"" + String(decoding: plain[..<position], as: UTF8.self) + want
            + String(decoding: plain[(position + 1)...], as: UTF8.self) + "\""
          #expect(escaped(bytes) == expected, "length \(length) position \(position) byte \(special)")
        }
      }
    }
  }

  @Test func objectsArraysAndCommas() {
    let text = written { sink in
      sink.beginObject()
      sink.key("a"); sink.value(1)
      sink.key("b"); sink.beginArray(); sink.value("x"); sink.value(2.5); sink.valueNull()
      sink.beginObject(); sink.key("c"); sink.value(true); sink.endObject()
      sink.endArray()
      sink.key("d"); sink.value(Double.nan)
      sink.key("e"); sink.value(microsecondsAsSeconds: 1_500)
      sink.endObject()
    }
    #expect(text == #"{"a":1,"b":["x",2.5,null,{"c":true}],"d":null,"e":0.0015}"#)
  }

  @Test(arguments: [
    (Int64(0), "0"), (1, "0.000001"), (1_000_000, "1"), (1_250_000, "1.25"), (-2_500_000, "-2.5"),
    (123_456_789, "123.456789"),
  ])
  func fixedPointSeconds(micros: Int64, text: String) {
    #expect(written { $0.appendFixedPoint(micros, scaleDigits: 6) } == text)
  }

  @Test func integersAndDoubles() {
    #expect(written { $0.appendInt(Int.min) } == "-9223372036854775808")
    #expect(written { $0.appendInt(0) } == "0")
    #expect(written { $0.appendJSONDouble(3.0) } == "3")
    #expect(written { $0.appendJSONDouble(0.1) } == "0.1")
    #expect(written { $0.appendJSONDouble(-.infinity) } == "null")
  }

  @Test func sinkGrowsPastItsCapacityWithoutDescriptor() {
    let long = String(repeating: "z", count: 10_000)
    #expect(written { $0.append(string: long) } == long)
  }
}
