// Rule parsing: clauses, detector calls, rules files with line:column errors,
// comments and continuation lines, did-you-mean for functions.
import Testing
@testable import LogKit

@Suite struct AlertRuleParserTests {
  @Test func parsesEveryClause() throws {
    let rule = try AlertRuleParser.parse(#"high_5xx: errors / count > 0.05 and count >= 50 for 2m keep 1m by path, vhost resolve errors / count < 0.01 summary "{path}: {value:%} 5xx""#)
    #expect(rule.name == "high_5xx")
    #expect(rule.conditionText == "errors / count > 0.05 and count >= 50")
    #expect(rule.condition == (try Expr.parse("errors / count > 0.05 and count >= 50")))
    #expect(rule.valueExpr == (try Expr.parse("errors / count")))
    #expect(rule.forDuration == 120_000_000)
    #expect(rule.keep == 60_000_000)
    #expect(rule.by == [["path"], ["vhost"]])
    #expect(rule.resolve == (try Expr.parse("errors / count < 0.01")))
    #expect(rule.summary == "{path}: {value:%} 5xx")
    #expect(rule.detectors.isEmpty)
  }

  @Test func clausesInAnyOrderAndDefaults() throws {
    let rule = try AlertRuleParser.parse("scanner: count > 300 by client")
    #expect(rule.by == [["client"]])
    #expect(rule.forDuration == 0 && rule.keep == 0 && rule.resolve == nil && rule.summary == nil)
    let other = try AlertRuleParser.parse("slow: p95_request_time > 0.8 resolve p95_request_time < 0.5 for 1m")
    #expect(other.forDuration == 60_000_000)
    #expect(other.by == nil)
    // A keyword inside parentheses or after a dot is not a clause.
    let nested = try AlertRuleParser.parse("n: (`for` > 1) and a.by > 2")
    #expect(nested.forDuration == 0)
    #expect(nested.condition == (try Expr.parse("(`for` > 1) and a.by > 2")))
  }

  @Test func detectorCallsBecomeSyntheticFields() throws {
    let rule = try AlertRuleParser.parse("spike: anomaly(count) >= 0.5 and count > 10 and mad_score(errors / count, 20) > 4 resolve anomaly(count) < 0.3")
    #expect(rule.detectors.count == 2)  // the two anomaly(count) calls share one detector
    #expect(rule.detectors[0].kind == .anomaly)
    #expect(rule.detectors[0].argument == .field(["count"]))
    #expect(rule.detectors[1].kind == .mad_score)
    #expect(rule.detectors[1].points == 20)
    #expect(rule.detectors[1].argument == (try Expr.parse("errors / count")))
    #expect(rule.condition == (try Expr.parse("`@d0` >= 0.5 and count > 10 and `@d1` > 4")))
    #expect(rule.resolve == (try Expr.parse("`@d0` < 0.3")))
    let seasonal = try AlertRuleParser.parse("s: seasonal(count, 1d) < 0.2 or absent(5m) or zscore(x) > 3 or change(y) > 2")
    #expect(seasonal.detectors.map(\.kind) == [.seasonal, .absent, .zscore, .change])
    #expect(seasonal.detectors[0].duration == 86_400_000_000)
    #expect(seasonal.detectors[1].duration == 300_000_000)
    #expect(seasonal.usesAbsent)
  }

  func error(_ text: String) -> AlertRuleError? {
    do { _ = try AlertRuleParser.parse(text); return nil } catch { return error }
  }

  @Test func errorsCarryColumns() {
    #expect(error("no colon here")?.message.contains("NAME: CONDITION") == true)
    #expect(error("a:")?.message.contains("no condition") == true)
    // Columns after a rewritten detector call stay right.
    let e = error("a: zscore(count) > 3 and )")
    #expect(e?.column == 26)
    #expect(error("a: count > 1 for soon")?.message == "invalid duration 'soon' after 'for': expected e.g. 30s, 2m, 1h")
    #expect(error("a: count > 1 for soon")?.column == 18)
    #expect(error("a: count > 1 for 1m for 2m")?.message == "'for' is given twice")
    #expect(error("a: count > 1 summary nope")?.message.contains("one quoted string") == true)
    #expect(error("a: count > 1 by start")?.message.contains("window") == true)
    #expect(error("a: mad_score(x, 2) > 1")?.message.contains("5 to 64") == true)
    #expect(error("a: zscore(change(x)) > 1")?.message.contains("cannot be nested") == true)
    #expect(error("a: seasonal(x) > 1")?.message.contains("expects 2 arguments") == true)
    #expect(error("a: absent(x) > 1")?.message.contains("positive duration") == true)
    let unknown = error("a: zscroe(count) > 3")
    #expect(unknown?.message == "unknown function 'zscroe'; did you mean 'zscore'?")
    #expect(unknown?.column == 4)
    #expect(error("a: anomoly(count) > 3")?.message.contains("did you mean 'anomaly'") == true)
    // Errors inside a detector argument point into the argument.
    #expect(error("a: anomaly(count +) > 3")?.column == 19)
  }

  @Test func rulesFileCommentsContinuationsAndLocations() throws {
    let text = """
      # web rules
      high_5xx: errors / count > 0.05   # ratio
        and count >= 50
        for 2m by path
      scanner: count > 300 \\
      by client

      hash: path == "/a#b" summary "x # y"
      """
    let rules = try AlertRuleFile.parse(text, path: "web.rules")
    #expect(rules.map(\.name) == ["high_5xx", "scanner", "hash"])
    #expect(rules[0].forDuration == 120_000_000)
    #expect(rules[0].by == [["path"]])
    #expect(rules[1].by == [["client"]])
    #expect(rules[2].summary == "x # y")
    #expect(rules[2].condition == (try Expr.parse(#"path == "/a#b""#)))
    do {
      _ = try AlertRuleFile.parse("ok: count > 1\nbad: count >\n  5 for 1x\n", path: "r.rules")
      Issue.record("expected an error")
    } catch {
      #expect(error.description.hasPrefix("r.rules:3:9: invalid number or duration '1x'"))
    }
    do {
      _ = try AlertRuleFile.parse("a: count > 1\na: count > 2\n", path: "r")
      Issue.record("expected an error")
    } catch {
      #expect(error.message == "rule name 'a' is used twice")
    }
  }
}
