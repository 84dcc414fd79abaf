// Typed access, lookups, nested paths and error columns of the NDJSON scanner.
import Testing
@testable import LogKit

@Suite struct NDJSONScannerTests {
  let scanner = NDJSONScanner()

  func withScan<T>(_ text: String, _ body: (NDJSONScanner) throws -> T) throws -> T {
    try scanner.withScan(text, body)
  }

  func error(_ text: String) -> NDJSONError? {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { buffer -> NDJSONError? in
      do throws(NDJSONError) {
        try scanner.scan(buffer)
        return nil
      } catch {
        return error
      }
    }
  }

  @Test func recordsFieldsInOrder() throws {
    try withScan(#"{"a":1, "bb" : "x", "c":{"d":[1,2]}, "e":null}"#) { s in
      #expect(s.fieldCount == 4)
      #expect((0..<4).map { s.name(at: $0) } == ["a", "bb", "c", "e"])
      #expect((0..<4).map { s.kind(at: $0) } == [.number, .string, .object, .null])
      #expect(String(decoding: s.rawBytes(at: 2), as: UTF8.self) == #"{"d":[1,2]}"#)
      #expect(String(decoding: s.rawBytes(at: 1), as: UTF8.self) == #""x""#)
    }
  }

  @Test func typedAccess() throws {
    try withScan(#"{"i":-42,"d":0.125,"e":1.5e3,"big":12345678901234567890,"t":true,"f":false,"n":null,"s":"hi"}"#) { s in
      #expect(s.int(at: s.fieldIndex(named: "i")!) == -42)
      #expect(s.double(at: s.fieldIndex(named: "i")!) == -42)
      #expect(s.double(at: s.fieldIndex(named: "d")!) == 0.125)
      #expect(s.int(at: s.fieldIndex(named: "d")!) == nil)
      #expect(s.int(at: s.fieldIndex(named: "e")!) == 1500)
      #expect(s.int(at: s.fieldIndex(named: "big")!) == nil)
      #expect(s.double(at: s.fieldIndex(named: "big")!) == 12345678901234567890.0)
      #expect(s.bool(at: s.fieldIndex(named: "t")!) == true)
      #expect(s.bool(at: s.fieldIndex(named: "f")!) == false)
      #expect(s.isNull(at: s.fieldIndex(named: "n")!))
      #expect(!s.isNull(at: s.fieldIndex(named: "s")!))
      #expect(s.string(at: s.fieldIndex(named: "s")!) == "hi")
      #expect(s.string(at: s.fieldIndex(named: "i")!) == nil)
      #expect(s.int(at: s.fieldIndex(named: "s")!) == nil)
      #expect(s.fieldIndex(named: "missing") == nil)
    }
  }

  @Test(arguments: [
    ("0", 0.0), ("-0", -0.0), ("1e5", 1e5), ("1E-2", 0.01), ("123.456", 123.456),
    ("0.1", 0.1), ("-2.5e+3", -2500), ("9007199254740993", 9007199254740992),
    ("1.7976931348623157e308", 1.7976931348623157e308), ("5e-324", .leastNonzeroMagnitude),
    ("0.30000000000000004", 0.30000000000000004), ("12345678901234567890.5", 12345678901234567890.5),
    // The all-digits path (at most 15 digits) and the first lengths past it.
    ("7", 7), ("200", 200), ("999999999999999", 999999999999999), ("1000000000000000", 1e15),
    ("9999999999999998", 9999999999999998), ("18446744073709551616", 18446744073709551616), ("1844674407370955161.6", 1844674407370955161.6),
  ])
  func doubles(_ text: String, _ expected: Double) throws {
    try withScan(#"{"x":\#(text)}"#) { s in
      let d = s.double(at: 0)
      #expect(d == expected)
      #expect(d?.sign == expected.sign)
      // The fast path agrees with the standard library's correctly rounded parser.
      #expect(d == Double(text))
    }
  }

  @Test(arguments: [
    ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min), ("0", 0), ("5.0", 5),
  ])
  func ints(_ text: String, _ expected: Int64) throws {
    try withScan(#"{"x":\#(text)}"#) { s in #expect(s.int(at: 0) == expected) }
  }

  @Test func intOverflowIsNil() throws {
    try withScan(#"{"x":9223372036854775808,"y":-9223372036854775809}"#) { s in
      #expect(s.int(at: 0) == nil)
      #expect(s.int(at: 1) == nil)
    }
  }

  @Test func stringsAndEscapes() throws {
    try withScan(#"{"plain":"abc","esc":"a\"b\\c\nd\u00e9\ud83d\ude00","lone":"\ud800!"}"#) { s in
      let plain = s.fieldIndex(named: "plain")!
      let esc = s.fieldIndex(named: "esc")!
      #expect(s.token(at: plain).hasEscapes == false)
      #expect(s.token(at: esc).hasEscapes == true)
      #expect(s.stringBytes(at: plain).map { String(decoding: $0, as: UTF8.self) } == "abc")
      #expect(s.stringBytes(at: esc) == nil)
      #expect(s.string(at: esc) == "a\"b\\c\ndé😀")
      #expect(s.decodedStringBytes(s.token(at: esc)).map { String(decoding: $0, as: UTF8.self) } == "a\"b\\c\ndé😀")
      #expect(s.string(at: s.fieldIndex(named: "lone")!) == "\u{FFFD}!")
    }
  }

  @Test func lookupVariants() throws {
    try withScan(#"{"a":1,"b":2,"c\u0064":3,"":4}"#) { s in
      #expect(s.fieldIndex(named: "b" as StaticString) == 1)
      #expect(s.fieldIndex(named: String("a")) == 0)
      #expect(s.fieldIndex(named: "cd") == 2)  // escaped name, decoded for the compare
      #expect(s.fieldIndex(named: "") == 3)
      #expect(s.fieldIndex(named: "c") == nil)
      var key = FieldKey("b")
      #expect(s.fieldIndex(&key) == 1)
      #expect(s.fieldIndex(&key) == 1)
    }
    // The key's cached position is only a hint: another layout still finds it.
    var key = FieldKey("a")
    try withScan(#"{"a":1,"b":2}"#) { s in #expect(s.fieldIndex(&key) == 0) }
    try withScan(#"{"x":1,"y":2,"a":3}"#) { s in #expect(s.fieldIndex(&key) == 2) }
    try withScan(#"{"a":5}"#) { s in
      let i = s.fieldIndex(&key)
      #expect(i == 0)
      #expect(s.int(at: 0) == 5)
    }
    try withScan(#"{"x":1}"#) { s in #expect(s.fieldIndex(&key) == nil) }
  }

  @Test func duplicateNamesFindTheFirst() throws {
    try withScan(#"{"a":1,"a":2}"#) { s in
      var key = FieldKey("a")
      #expect(s.fieldIndex(&key).map { s.int(at: $0) } == 1)
    }
  }

  @Test func nestedPaths() throws {
    try withScan(#"{"a":{"b":{"c":"deep"},"n":7},"s":"x","arr":[1]}"#) { s in
      #expect(s.value(path: ["a", "b", "c"]).flatMap { s.string($0) } == "deep")
      #expect(s.value(path: ["a", "n"]).flatMap { s.int($0) } == 7)
      #expect(s.value(path: ["a", "b"])?.kind == .object)
      #expect(s.value(path: ["a", "x"]) == nil)
      #expect(s.value(path: ["s", "x"]) == nil)
      #expect(s.value(path: ["arr", "0"]) == nil)
      #expect(s.value(path: ["s"]).flatMap { s.string($0) } == "x")
      var path = FieldPath(dotted: "a.b.c")
      #expect(s.token(at: &path).flatMap { s.string($0) } == "deep")
      #expect(s.jsonValue(s.value(path: ["a"])!) == JSONValue.object([("b", .object([("c", .string("deep"))])), ("n", .number(7))]))
    }
  }

  @Test func reusedAcrossLines() throws {
    for n in [3, 40, 2] {
      let text = "{" + (0..<n).map { "\"f\($0)\":\($0)" }.joined(separator: ",") + "}"
      try withScan(text) { s in
        #expect(s.fieldCount == n)
        #expect(s.int(at: s.fieldIndex(named: "f\(n - 1)")!) == Int64(n - 1))
      }
    }
  }

  /// 1️⃣ marks where the error must be reported.
  @Test(arguments: [
    (#"{"a" 1️⃣1}"#, "expected ':' after object key"),
    (#"{"abc"  1️⃣1}"#, "expected ':' after object key"),
    (#"{"a":1 1️⃣"b":2}"#, "expected ',' or '}' after object value"),
    (#"{"a":1,1️⃣}"#, "trailing comma in object"),
    (#"{"a":[1,1️⃣]}"#, "trailing comma in array"),
    (#"{"a":1️⃣tru}"#, "expected a value"),
    (#"{"a":1️⃣01}"#, "leading zero in number"),
    (#"{"a":"1️⃣\x"}"#, #"invalid escape \x"#),
    (#"{"a":1️⃣"abc}"#, "unterminated string"),
    (#"{"a":1}1️⃣x"#, "expected end of line after object"),
    (#"1️⃣[1]"#, "expected '{' (a record is a JSON object)"),
    (#"  1️⃣x"#, "expected '{' (a record is a JSON object)"),
    (#"{"a":11️⃣"#, "unexpected end of line, expected ',' or '}'"),
    (#"{"a":1.1️⃣}"#, "expected digit after '.'"),
    (#"{"a":"x1️⃣\#u{01}"}"#, "control character 0x01 in string"),
    (#"{1️⃣'a':1}"#, "expected object key"),
    (#"{"a":[1 1️⃣2]}"#, "expected ',' or ']' after array element"),
    (#"{"a":"1️⃣\u12G4"}"#, #"invalid \u escape: expected 4 hex digits"#),
  ])
  func errorColumns(_ marked: String, _ reason: String) {
    let input = MarkedText(marked)
    let e = error(input.text)
    #expect(e?.column == input.column, "\(input.text): \(String(describing: e))")
    #expect(e?.reason.hasSuffix(reason) == true, "\(input.text): \(String(describing: e))")
    #expect(e?.description.hasSuffix("at column \(input.column ?? 0)") == true)
  }

  @Test func depthLimit() {
    let ok = "{\"a\":" + String(repeating: "[", count: 511) + String(repeating: "]", count: 511) + "}"
    let deep = "{\"a\":" + String(repeating: "[", count: 512) + String(repeating: "]", count: 512) + "}"
    #expect(error(ok) == nil)
    #expect(error(deep)?.reason == "nesting deeper than 512 levels")
  }
}
