// Parsing: precedence and associativity (via the canonical parenthesised
// rendering), literals, field paths, and errors with their columns.
import Testing
@testable import LogKit

@Suite struct ExprParserTests {
  @Test(arguments: [
    ("1 + 2 * 3", "(1 + (2 * 3))"),
    ("1 - 2 - 3", "((1 - 2) - 3)"),
    ("8 / 2 % 3", "((8 / 2) % 3)"),
    ("(1 + 2) * 3", "((1 + 2) * 3)"),
    ("a or b and c", "(a or (b and c))"),
    ("a and b or c", "((a and b) or c)"),
    ("a && b || !c", "((a and b) or (not c))"),
    ("not a == b", "(not (a == b))"),
    ("not not a", "(not (not a))"),
    ("-x * 2", "((-x) * 2)"),
    ("- - 3", "3"),
    ("a - -1", "(a - -1)"),
    ("status>=500", "(status >= 500)"),
    ("status >= 500 and path == '/x'", #"((status >= 500) and (path == "/x"))"#),
    (#"method in ['GET', "HEAD"]"#, #"(method in ["GET", "HEAD"])"#),
    ("x not in [1, 2]", "(x not in [1, 2])"),
    ("x in []", "(x in [])"),
    ("a + 1 in [2]", "((a + 1) in [2])"),
    ("a.b.c == `weird-name`", "(a.b.c == `weird-name`)"),
    ("`in`.`x y` != null", "(`in`.`x y` != null)"),
    ("5m + 250ms", "(300 + 0.25)"),
    ("1h30m", "5400"),
    ("1e3 + 1.5E-1", "(1000 + 0.15)"),
    (#"'it\'s' == "a\"b\n""#, #"("it's" == "a\"b\n")"#),
    ("startswith(path, '/api') or contains(lower(ua), 'bot')",
     #"(startswith(path, "/api") or contains(lower(ua), "bot"))"#),
    ("max(1, 2, 3) - min(a)", "(max(1, 2, 3) - min(a))"),
    ("true != false", "(true != false)"),
  ])
  func precedence(_ text: String, _ canonical: String) throws {
    let expr = try Expr.parse(text)
    #expect(expr.description == canonical)
    // The rendering parses back to the same tree.
    #expect(try Expr.parse(expr.description) == expr)
  }

  @Test func treeShape() throws {
    #expect(try Expr.parse("a.b < 2") == .binary(.less, .field(["a", "b"]), .number(2)))
    #expect(try Expr.parse("f(x)", outerFunctions: ["f"]) == .call("f", [.field(["x"])]))
    #expect(try Expr.parse("null") == .null)
  }

  /// 1️⃣ marks where the error must be reported.
  @Test(arguments: [
    ("(status >= 5001️⃣", "expected ')'"),
    ("status >=1️⃣", "expected an expression at end"),
    ("1️⃣strtswith(path, 'x')", "unknown function 'strtswith'; did you mean 'startswith'?"),
    ("1️⃣frobnicate(1)", "unknown function 'frobnicate'"),
    ("status 1️⃣= 5", "unexpected '=': use '==' to compare"),
    ("a < b 1️⃣< c", "comparisons cannot be chained; use 'and'"),
    ("a == 1 1️⃣in [1]", "comparisons cannot be chained; use 'and'"),
    ("1️⃣startswith(a)", "startswith() expects 2 arguments, got 1"),
    ("1️⃣len(a, b)", "len() expects 1 argument, got 2"),
    ("1️⃣min()", "min() expects at least 1 argument, got 0"),
    ("x in 1️⃣5", "expected '[' after 'in'"),
    ("x in [1 1️⃣2]", "expected ',' or ']' in list"),
    ("1️⃣'abc", "unterminated string"),
    ("5 1️⃣5", "unexpected number 5 after expression"),
    ("a 1️⃣=~ 'x'", "regular expressions are not supported; use startswith, endswith or contains"),
    ("1 + 1️⃣)", "expected an expression, found ')'"),
    ("1️⃣5x", "invalid number or duration '5x' (units: us, ms, s, m, h, d)"),
    ("len(a1️⃣", "expected ',' or ')' after argument of len()"),
    ("1️⃣exists(1)", "exists() expects a field name"),
    ("a 1️⃣# b", "unexpected character '#'"),
    ("1️⃣", "empty expression"),
    ("a.1️⃣5", "expected a field name after '.'"),
    ("1️⃣[1]", "a list is only allowed after 'in'"),
    ("x 1️⃣)", "unmatched ')'"),
    ("a and 1️⃣or b", "expected an expression, found 'or'"),
    ("'a1️⃣\\q'", "invalid escape '\\q'"),
    ("1️⃣`unterminated", "unterminated `quoted name`"),
    ("a 1️⃣& b", "unexpected '&': use '&&' or 'and'"),
    ("-1️⃣1e999", "number out of range '1e999'"),
    ("1 + 1️⃣0x10", "invalid number or duration '0x10' (units: us, ms, s, m, h, d)"),
    ("-------3-----1️⃣333E33333333-a", "number out of range '333E33333333'"),
  ])
  func errors(_ marked: String, _ message: String) {
    let input = MarkedText(marked)
    #expect(input.column != nil)
    #expect(throws: ExprError(message, column: input.column ?? 0)) { try Expr.parse(input.text) }
  }

  @Test func nestingIsBounded() throws {
    #expect(try Expr.parse(String(repeating: "(", count: 150) + "1" + String(repeating: ")", count: 150)) == .number(1))
    #expect(try Expr.parse(String(repeating: "-", count: 150) + "1") == .number(1))
    for prefix in ["(", "-", "not ", "len("] {
      let deep = String(repeating: prefix, count: 5000) + "x"
      #expect(throws: ExprError.self) { try Expr.parse(deep) }
    }
    // Accepted trees near the limit render to text that parses again.
    let nearLimit = try Expr.parse(String(repeating: "!", count: 198) + "-x")
    #expect(try Expr.parse(nearLimit.description) == nearLimit)
    #expect(throws: ExprError.self) { try Expr.parse(String(repeating: "!", count: 199) + "-x") }
    for op in [" + ", " * ", " and ", " or "] {
      #expect(throws: ExprError.self) { try Expr.parse(Array(repeating: "x", count: 5000).joined(separator: op)) }
      #expect(try Expr.parse(Array(repeating: "x", count: 100).joined(separator: op)).fieldReferences == [["x"]])
    }
  }

  @Test func outerFunctions() throws {
    let outer: Set<String> = ["count_if", "sum", "max"]
    #expect(try Expr.parse("count_if(status >= 500)", outerFunctions: outer)
      == .call("count_if", [.binary(.greaterOrEqual, .field(["status"]), .number(500))]))
    #expect(try Expr.parse("sum(bytes * 2)", outerFunctions: outer)
      == .call("sum", [.binary(.multiply, .field(["bytes"]), .number(2))]))
    // A name that is both: at the top it is the outer function, with any arity.
    #expect(try Expr.parse("max(bytes, 1, 2)", outerFunctions: outer).description == "max(bytes, 1, 2)")
    #expect(throws: ExprError("'sum' must be the whole expression", column: 1)) {
      try Expr.parse("sum(x) + 1", outerFunctions: outer)
    }
    #expect(throws: ExprError("'sum' must be the whole expression", column: 5)) {
      try Expr.parse("1 + sum(x)", outerFunctions: outer)
    }
    #expect(throws: ExprError("'count_if' must be the whole expression", column: 10)) {
      try Expr.parse("count_if(count_if(x))", outerFunctions: outer)
    }
    #expect(throws: ExprError("unknown function 'sum'", column: 1)) { try Expr.parse("sum(x)") }
    #expect(throws: ExprError("unknown function 'cont_if'; did you mean 'count_if'?", column: 1)) {
      try Expr.parse("cont_if(x)", outerFunctions: outer)
    }
  }

  @Test func fieldReferences() throws {
    let expr = try Expr.parse("a + b.c > a and exists(d) or `e f` in [a, g]")
    #expect(expr.fieldReferences == [["a"], ["b", "c"], ["d"], ["e f"], ["g"]])
    #expect(try Expr.parse("1 + 2").fieldReferences.isEmpty)
  }
}
