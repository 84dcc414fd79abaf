// --state at the engine: a restored engine continues as the original
// (lifecycles, detector baselines, clock), floats round-trip exactly through
// hex, a changed rule starts fresh and is named, a damaged payload is an error.
import Testing
@testable import LogKit

@Suite struct AlertEngineStateTests {
  static let rules = ["hot: count > 100 for 2m by path", "z: zscore(count) > 3 by path"]

  func feed(_ harness: EngineHarness, minutes: ClosedRange<Int>) throws {
    for m in minutes {
      try harness.window(m, #""path":"/a","count":\#(m >= 20 && m < 26 ? 500 : 50 + m % 3)"#)
      try harness.window(m, #""path":"/b","count":\#(40 + m % 5)"#)
    }
  }

  @Test func aRestoredEngineContinuesAsTheOriginal() throws {
    let whole = try EngineHarness(Self.rules)
    try feed(whole, minutes: 1...40)
    _ = try whole.finish()
    let reference = whole.states

    let first = try EngineHarness(Self.rules)
    try feed(first, minutes: 1...22)
    try first.engine.closeTime()
    let payload = first.engine.encodeState()
    let second = try EngineHarness(Self.rules)
    let restore = try second.engine.restoreState(payload)
    #expect(restore.instances == 4 && restore.changedRules.isEmpty)
    #expect(restore.now == 22 * 60_000_000)
    try feed(second, minutes: 23...40)
    _ = try second.finish()
    #expect(first.states.count > 0 && second.states.count > 0, "events on both sides of the cut: \(reference)")
    #expect(first.states + second.states == reference)
  }

  @Test func floatsRoundTripExactly() {
    let values: [Float] = [0, -0.0, 1, -1.5, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 3.14159]
    let text = hexFloats(values[...])
    #expect(text.count == values.count * 8)
    #expect(floatsFromHex(text).map { $0.map(\.bitPattern) } == values.map(\.bitPattern))
    let nan = floatsFromHex(hexFloats([Float.nan][...]))
    #expect(nan?.first?.isNaN == true)
    #expect(floatsFromHex("123") == nil && floatsFromHex("0000000g") == nil)
  }

  @Test func aChangedRuleStartsFreshAndIsNamed() throws {
    let first = try EngineHarness(Self.rules)
    try feed(first, minutes: 1...5)
    let payload = first.engine.encodeState()
    let changed = try EngineHarness(["hot: count > 200 for 2m by path", "z: zscore(count) > 3 by path"])
    let restore = try changed.engine.restoreState(payload)
    #expect(restore.changedRules == ["hot"])
    #expect(restore.instances == 2)
  }

  @Test func damagedPayloadsAreErrors() throws {
    let engine = try EngineHarness(Self.rules).engine
    for bad in ["", "{}", #"{"now":1,"rules":[{"name":"hot"}]}"#, #"{"now":"x","rules":[]}"#,
                #"{"now":1,"rules":[{"name":"z","fingerprint":"zscore(count) > 3|for 0|keep 0|by path|resolve |zscore(count)","stride":3,"instances":[[1,2]]}]}"#] {
      #expect(throws: AlertStateError.self) { _ = try engine.restoreState(Array(bad.utf8)) }
    }
  }
}
