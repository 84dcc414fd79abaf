// Walking nested objects and arrays of a scanned line, decoded names, decoding
// into a caller's buffer, and the kinds of scanner errors.
import Testing
@testable import LogKit

@Suite struct JSONMembersTests {
  let scanner = NDJSONScanner()

  func withScan<T>(_ text: String, _ body: (NDJSONScanner) throws -> T) throws -> T {
    try scanner.withScan(text, body)
  }

  /// `name=raw` for each member of the value at `path`.
  func members(_ s: NDJSONScanner, _ path: [String]) -> [String] {
    guard let t = s.value(path: path) else { return ["<missing>"] }
    return s.members(of: t).map { m in
      String(decoding: s.decodedName(m), as: UTF8.self) + "=" + String(decoding: s.rawBytes(m.value), as: UTF8.self)
    }
  }

  @Test func objectMembersInOrder() throws {
    try withScan(#"{"r":{ "a" : 1 ,"b":"x\"y","c":{"d":[1,{}]},"e":null,"a":true }}"#) { s in
      #expect(members(s, ["r"]) == ["a=1", #"b="x\"y""#, #"c={"d":[1,{}]}"#, "e=null", "a=true"])
      #expect(members(s, ["r", "c"]) == ["d=[1,{}]"])
      let kinds = s.members(of: s.value(path: ["r"])!).map(\.value.kind)
      #expect(kinds == [.number, .string, .object, .null, .true])
    }
  }

  @Test func arrayElementsHaveEmptyNames() throws {
    try withScan(#"{"h":{"User-Agent":["curl/8", "x" ,3,[4],{"k":"v"}]}}"#) { s in
      #expect(members(s, ["h", "User-Agent"]) == [#"="curl/8""#, #"="x""#, "=3", "=[4]", #"={"k":"v"}"#])
    }
  }

  @Test func emptyAndScalarValuesHaveNoMembers() throws {
    try withScan(#"{"o":{ },"a":[ ],"s":"{\"x\":1}","n":5,"t":true}"#) { s in
      for name in ["o", "a", "s", "n", "t"] {
        #expect(members(s, [name]).isEmpty, "\(name)")
      }
      // A fresh walk each time: the iterator is a value.
      let o = s.value(path: ["o"])!
      var it = s.members(of: o)
      #expect(it.next() == nil)
      #expect(it.next() == nil)
    }
  }

  @Test func escapedNamesDecode() throws {
    try withScan(#"{"\u0072eq":{"U\u0073er-Agent":["a"],"plain":1}}"#) { s in
      let f = s.field(at: 0)
      #expect(String(decoding: s.rawName(at: 0), as: UTF8.self) == #"\u0072eq"#)
      #expect(String(decoding: s.decodedName(f), as: UTF8.self) == "req")
      #expect(members(s, ["req"]) == [#"User-Agent=["a"]"#, "plain=1"])
    }
  }

  @Test func decodeStringIntoCallerBuffer() throws {
    try withScan(#"{"a":"x\ty\u00e9\ud83d\ude00\ud800z\/","b":"plain","c":7}"#) { s in
      var out = [UInt8](repeating: 0, count: 64)
      let a = s.value(path: ["a"])!
      let n = out.withUnsafeMutableBufferPointer { s.decodeString(a, into: $0.baseAddress!) }
      #expect(n.map { String(decoding: out[..<$0], as: UTF8.self) } == "x\ty\u{e9}\u{1F600}\u{FFFD}z/")
      // Decoding a second string into the scanner's scratch leaves the caller's copy alone.
      #expect(s.decodedStringBytes(s.value(path: ["a"])!).map { Array($0) } == Array(out[..<(n ?? 0)]))
      let b = s.value(path: ["b"])!
      #expect(out.withUnsafeMutableBufferPointer { s.decodeString(b, into: $0.baseAddress!) } == 5)
      #expect(String(decoding: out[..<5], as: UTF8.self) == "plain")
      #expect(out.withUnsafeMutableBufferPointer { s.decodeString(s.value(path: ["c"])!, into: $0.baseAddress!) } == nil)
    }
  }

  @Test(arguments: [
    ("", NDJSONError.Kind.notAnObject),
    ("[1]", .notAnObject),
    ("  7", .notAnObject),
    (#"{"a":1} x"#, .textAfterObject),
    (#"{"a":1}{}"#, .textAfterObject),
    (#"{"a":}"#, .syntax),
    (#"{"a":1"#, .syntax),
    (#"{"a":"\q"}"#, .syntax),
  ])
  func errorKinds(line: String, kind: NDJSONError.Kind) {
    let bytes = Array(line.utf8)
    let error = bytes.withUnsafeBytes { buffer -> NDJSONError? in
      do throws(NDJSONError) {
        try scanner.scan(buffer)
        return nil
      } catch {
        return error
      }
    }
    #expect(error?.kind == kind, "\(line): \(String(describing: error))")
  }
}
