// --inhibit: a firing source mutes its targets' events (written with
// "inhibited":true, not notified) whatever the order of the records of one
// time; `equal` fields; a muted target's resolution is muted, a notified
// one's is not; a target still firing when the source resolves is released
// as a repeat; grouping sees only what is not muted; spec errors.
import Testing
@testable import LogKit

@Suite struct AlertInhibitionTests {
  static let rules = [
    "outage: errors / count > 0.5 and not exists(path)",
    "err: errors / count > 0.5 and exists(path) by path",
  ]
  static func path(_ p: String, _ errors: Int) -> String { #""path":"\#(p)","count":10,"errors":\#(errors)"# }
  static func total(_ errors: Int) -> String { #""count":100,"errors":\#(errors)"# }

  @Test func aSourceMutesItsTargetsWhateverTheRecordOrder() throws {
    let h = try DispatchHarness(Self.rules, inhibit: ["outage => err"])
    // The target's record comes before the source's at 01.
    try h.window(1, Self.path("/a", 9))
    try h.window(1, Self.total(90))
    try h.window(1, Self.path("/b", 9))
    #expect(h.written.isEmpty, "held until 01 is complete")
    try h.window(2, Self.path("/a", 9))
    #expect(h.written == ["01 err firing /a inhibited", "01 outage firing", "01 err firing /b inhibited"])
    #expect(h.notified == ["01 outage firing"])
  }

  @Test func withoutTheSourceFiringNothingIsMutedAndEventsAreNotHeldWithoutInhibit() throws {
    let h = try DispatchHarness(Self.rules, inhibit: ["outage => err"])
    try h.window(1, Self.path("/a", 9))
    try h.window(1, Self.total(9))
    try h.finish()
    #expect(h.written == ["01 err firing /a"])
    #expect(h.notified == ["01 err firing /a"])

    let plain = try DispatchHarness(Self.rules)
    try plain.window(1, Self.path("/a", 9))
    #expect(plain.written == ["01 err firing /a"], "no --inhibit: written as it happens")
    #expect(plain.notified == ["01 err firing /a"])
  }

  @Test func aMutedResolutionAndAReleaseWhenTheSourceResolves() throws {
    let h = try DispatchHarness(Self.rules, inhibit: ["outage => err"])
    try h.window(1, Self.total(90))
    try h.window(1, Self.path("/a", 9))
    try h.window(1, Self.path("/b", 9))
    try h.window(2, Self.total(90))
    try h.window(2, Self.path("/a", 0))
    try h.window(2, Self.path("/b", 9))
    try h.window(3, Self.total(0))
    try h.window(3, Self.path("/b", 9))
    try h.finish()
    #expect(h.written == [
      "01 outage firing", "01 err firing /a inhibited", "01 err firing /b inhibited",
      // /a's firing was never told: neither is its resolution.
      "02 err resolved /a inhibited",
      // The outage ends while /b still fails: /b is told now, as a repeat.
      "03 outage resolved", "03 err firing /b repeat",
    ])
    #expect(h.notified == ["01 outage firing", "03 outage resolved", "03 err firing /b repeat"])
  }

  @Test func aTargetToldBeforeTheSourceFiredHasItsResolutionTold() throws {
    let h = try DispatchHarness(Self.rules, inhibit: ["outage => err"])
    try h.window(1, Self.total(0))
    try h.window(1, Self.path("/a", 9))
    try h.window(2, Self.total(90))
    try h.window(2, Self.path("/a", 9))
    try h.window(3, Self.total(90))
    try h.window(3, Self.path("/a", 0))
    try h.finish()
    #expect(h.notified == ["01 err firing /a", "02 outage firing", "03 err resolved /a"])
    #expect(!h.written.contains { $0.contains("inhibited") })
  }

  @Test func equalFieldsMuteOnlyTargetsWithTheSameValues() throws {
    let h = try DispatchHarness(
      ["dc_down: errors / count > 0.5 and not exists(path)", "err: errors / count > 0.5 and exists(path) by dc, path"],
      inhibit: ["dc_down => err equal dc"])
    try h.window(1, #""dc":"eu","count":100,"errors":90"#)
    try h.window(1, #""dc":"us","count":100,"errors":0"#)
    try h.window(1, #""dc":"eu","path":"/a","count":10,"errors":9"#)
    try h.window(1, #""dc":"us","path":"/a","count":10,"errors":9"#)
    try h.finish()
    #expect(h.written == ["01 dc_down firing eu", "01 err firing eu /a inhibited", "01 err firing us /a"])
    #expect(h.notified == ["01 dc_down firing eu", "01 err firing us /a"])
  }

  @Test func mutedEventsStayOutOfGroups() throws {
    let h = try DispatchHarness(Self.rules, inhibit: ["outage => err"], groupBy: ["alert"], wait: 0)
    try h.window(1, Self.total(90))
    try h.window(1, Self.path("/a", 9))
    try h.window(2, Self.total(90))
    try h.window(2, Self.path("/a", 0))
    try h.window(2, Self.path("/b", 9))
    try h.window(3, Self.total(0))
    try h.window(3, Self.path("/b", 9))
    try h.finish()
    #expect(h.notified.isEmpty)
    #expect(h.groups == [
      #"01 [alert="outage"] firing=1: 01 outage firing"#,
      #"03 [alert="outage"] firing=0: 03 outage resolved"#,
      // /a was muted and resolved at 02; /b is released at 03.
      #"03 [alert="err"] firing=1: 03 err firing /b repeat"#,
    ])
  }

  @Test func restoredFiringSourcesMuteAgain() throws {
    let h = try DispatchHarness(Self.rules, inhibit: ["outage => err"])
    let source = AlertEvent(time: 0, alert: "outage", state: "firing", since: 0, key: [], value: .null, expr: "", summary: "")
    h.dispatcher.restoreFiring([source])
    try h.window(1, Self.path("/a", 9))
    try h.finish()
    #expect(h.written == ["01 err firing /a inhibited"])
    #expect(h.notified.isEmpty)
  }

  @Test func specErrorsGiveTheColumnAndTheClosestName() throws {
    let rules = try Self.rules.map { try AlertRuleParser.parse($0) }
    func message(_ text: String) -> String {
      do { _ = try InhibitRule.parse(text, rules: rules); return "ok" } catch { return error.description }
    }
    #expect(message("outgae => err") == "column 1: no rule named 'outgae' (did you mean 'outage'?)")
    #expect(message("outage => er") == "column 11: no rule named 'er' (did you mean 'err'?)")
    #expect(message("outage err") == "column 8: expected '=>' after the source rule: 'SOURCE => TARGET [equal FIELD,...]'")
    #expect(message("outage =>") == "column 10: expected a target rule name after '=>'")
    #expect(message("err => err") == "column 8: rule 'err' cannot inhibit itself")
    #expect(message("outage => err where path") == "column 15: expected 'equal FIELD,...' or the end after the target, found 'where'")
    #expect(message("outage => err equal pth") == "column 21: 'pth' is not a key field of rule 'err' (by path); did you mean 'path'?")
    #expect(message("outage => err equal") == "column 20: expected key fields after 'equal'")
    let rule = try InhibitRule.parse("outage,err => err2", rules: rules + [try AlertRuleParser.parse("err2: count > 1 by path")])
    #expect(rule == InhibitRule(sources: ["outage", "err"], targets: ["err2"], equal: []))
  }
}
