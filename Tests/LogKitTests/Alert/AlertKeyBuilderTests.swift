// Rules that share a `by` clause share one rendered key per record; rules
// with different clauses (or the default key) keep their own instances.
import Testing
@testable import LogKit

@Suite struct AlertKeyBuilderTests {
  @Test func equalClausesShareOneNumber() {
    var builder = AlertKeyBuilder(excluded: ["end", "start"])
    let a = builder.clause([["path"]])
    let b = builder.clause([["client"]])
    #expect(builder.clause([["path"]]) == a)
    #expect(b != a)
    #expect(builder.clause(nil) != a)
    #expect(builder.clause(nil) == builder.clause(nil))
  }

  @Test func rendersOncePerRecordAndDefaultKeySkipsTimeFields() throws {
    var builder = AlertKeyBuilder(excluded: ["end", "start"])
    let byPath = builder.clause([["path"]]), byDefault = builder.clause(nil)
    let scanner = NDJSONScanner()
    let line = Array(#"{"start":"s","end":"e","path":"/a","client":"1.2.3.4","count":3}"#.utf8)
    try line.withUnsafeBytes { try scanner.scan($0) }
    builder.build(byPath, record: 1, scanner: scanner)
    builder.build(byDefault, record: 1, scanner: scanner)
    #expect(String(decoding: builder.keys[byPath], as: UTF8.self) == #""path":"/a""#)
    #expect(String(decoding: builder.keys[byDefault], as: UTF8.self) == #""path":"/a","client":"1.2.3.4""#)
    #expect(builder.hashes[byPath] == AlertKeyIndex.hash(builder.keys[byPath]))
    // A missing key field renders as null.
    let other = Array(#"{"start":"s","end":"e","count":3}"#.utf8)
    try other.withUnsafeBytes { try scanner.scan($0) }
    builder.build(byPath, record: 2, scanner: scanner)
    #expect(String(decoding: builder.keys[byPath], as: UTF8.self) == #""path":null"#)
  }

  @Test func rulesWithSharedAndOwnClausesTrackTheirOwnInstances() throws {
    let h = try EngineHarness([
      "hot: count > 10 by path", "errs: errors > 0 by path", "client: count > 10 by client", "any: count > 10",
    ])
    try h.window(1, #""path":"/a","client":"c1","count":20,"errors":0"#)
    try h.window(1, #""path":"/b","client":"c1","count":5,"errors":1"#)
    try h.window(2, #""path":"/a","client":"c2","count":1,"errors":0"#)
    let events = try h.finish()
    let lines = events.map { "\($0.alert) \($0.state) \($0.key.map { "\($0.0)=\(SummaryTemplate.format($0.1, spec: ""))" }.joined(separator: ","))" }
    #expect(lines == [
      "hot firing path=/a", "client firing client=c1", "any firing path=/a,client=c1",
      "errs firing path=/b", "client resolved client=c1",
      "hot resolved path=/a",
    ])
    #expect(h.engine.keyCounts.tracked == 2 + 2 + 2 + 3)
  }
}

@Suite struct AlertTouchPassTests {
  /// seasonal() state starts with a NaN baseline: the engine's touch pass
  /// reads it before every evaluation and must take any Float.
  @Test func detectorStateStartingWithNaNIsTouchedSafely() throws {
    let h = try EngineHarness(["s: seasonal(count, 1d) > 2 by path"])
    for m in 1...6 { try h.window(m, #""path":"/a","count":\#(m == 6 ? 100 : 10)"#) }
    let events = try h.finish()
    #expect(events.map(\.state) == ["firing"])
  }
}
