// The JSONValue tree: parsing any value, writing it back, member access.
import Testing
@testable import LogKit

@Suite struct JSONValueTests {
  @Test func parsesScalarsAndContainers() throws {
    #expect(try JSONValue.parse("null") == .null)
    #expect(try JSONValue.parse(" true ") == .bool(true))
    #expect(try JSONValue.parse("-1.5e2") == .number(-150))
    #expect(try JSONValue.parse(#""a\tb""#) == .string("a\tb"))
    #expect(try JSONValue.parse("[1,[2],{}]") == .array([.number(1), .array([.number(2)]), .object([])]))
    let v = try JSONValue.parse(#"{"b":1,"a":{"c":[true,null]}}"#)
    #expect(v["b"] == .number(1))
    #expect(v["a"]?["c"] == .array([.bool(true), .null]))
    #expect(v["zz"] == nil)
  }

  @Test func keepsMemberOrder() throws {
    let v = try JSONValue.parse(#"{"z":1,"a":2}"#)
    #expect(v.description == #"{"z":1,"a":2}"#)
    #expect(v != (try JSONValue.parse(#"{"a":2,"z":1}"#)))
  }

  @Test func writesEscapedAndNonFinite() {
    let sink = OutputSink(fd: -1)
    sink.beginObject()
    sink.key("v")
    sink.value(json: .array([.string("q\"\n"), .number(.nan), .number(2.5), .number(3)]))
    sink.endObject()
    #expect(sink.bufferedText == #"{"v":["q\"\n",null,2.5,3]}"#)
  }

  @Test func rejectsWithColumn() {
    #expect(throws: NDJSONError("trailing comma in array", column: 4)) { try JSONValue.parse("[1,]") }
    #expect(throws: NDJSONError.self) { try JSONValue.parse("") }
    #expect(throws: NDJSONError.self) { try JSONValue.parse("1 2") }
  }
}
