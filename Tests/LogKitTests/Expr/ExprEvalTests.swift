// Evaluation against a scanned record: operators, null semantics, numeric
// strings, functions, slot sharing and constant folding.
import Testing
@testable import LogKit

/// Scans one record, compiles expressions against it and evaluates them.
final class ExprHarness {
  let scanner = NDJSONScanner()
  let slots = RecordSlots()
  var line: [UInt8]

  init(_ record: String) {
    line = Array(record.utf8)
  }

  /// The value's rendering (strings quoted), so expectations are plain text.
  func eval(_ text: String) throws -> String {
    let compiled = try CompiledExpr(Expr.parse(text), slots: slots)
    return try line.withUnsafeBytes { buffer in
      try scanner.scan(buffer)
      slots.load(from: scanner)
      return compiled.evaluate(slots).description
    }
  }
}

@Suite struct ExprEvalTests {
  static let record = #"""
    {"status":503,"path":"/api/x","method":"GET","bytes":1024,"ua":"Mozilla Bot","s":"500",
    "nested":{"k":"v","n":2,"deeper":{"z":true}},"esc":"a\"b","nul":null,"t":true,"f":false,
    "zero":0,"empty":"","neg":-2.5,"list":[1,2]}
    """#.replacingOccurrences(of: "\n", with: "")

  @Test(arguments: [
    // comparisons
    ("status >= 500", "true"), ("status > 503", "false"), ("status == 503", "true"), ("status != 503", "false"),
    ("status < 503.5", "true"), ("status <= 502", "false"),
    ("path == '/api/x'", "true"), ("path != \"/api/x\"", "false"), ("path < '/b'", "true"),
    ("'b' > 'a'", "true"), ("'B' < 'a'", "true"), ("'abc' < 'abd'", "true"), ("'ab' < 'abc'", "true"),
    ("t == true", "true"), ("t == 1", "false"), ("f < t", "true"), ("t > 0", "false"),
    ("list == list", "true"), ("list == '[1,2]'", "false"), ("nested.deeper.z", "true"),
    // numeric strings
    ("s == 500", "true"), ("s == '500'", "true"), ("s > 499", "true"), ("s == '500.0'", "false"),
    ("s + 1", "501"), ("path > 1", "false"), ("path == 1", "false"),
    // membership
    ("method in ['GET', 'HEAD']", "true"), ("method not in ['GET', 'HEAD']", "false"),
    ("method in ['POST']", "false"), ("status in [500, 503]", "true"), ("s in [500]", "true"),
    ("missing in [null]", "true"), ("missing in [1]", "false"), ("missing not in [1]", "true"),
    ("status in [status - 1, status]", "true"), ("method in []", "false"),
    // arithmetic
    ("bytes / 1024", "1"), ("bytes % 1000", "24"), ("status / 100", "5.03"), ("-bytes", "-1024"),
    ("neg * 2", "-5"), ("7 % 0", "null"), ("bytes / zero", "null"), ("1 / 0", "null"),
    ("-7 % 3", "-1"), ("2 + 3 * 4 - 1", "13"), ("(2 + 3) * 4", "20"),
    ("'a' + 'b'", "\"ab\""), ("method + path", "\"GET/api/x\""), ("'a' + 1", "null"), ("-path", "null"),
    ("5m", "300"), ("250ms", "0.25"), ("1h30m > 5399", "true"), ("5m + 30s", "330"),
    // logic and truthiness
    ("t and status", "true"), ("zero or empty", "false"), ("not empty", "true"), ("!t", "false"),
    ("missing or 1", "true"), ("not missing", "true"), ("path and method", "true"), ("nul || f", "false"),
    ("status >= 500 and (path == '/x' or method == 'GET')", "true"),
    ("status >= 500 && path == '/x' || method == 'GET'", "true"),
    // fields
    ("nested.k == 'v'", "true"), ("nested.n * 2", "4"), ("nested.zz", "null"), ("path.x", "null"),
    ("esc == 'a\"b'", "true"), ("esc", "\"a\"b\""), ("`status`", "503"),
    // functions
    ("startswith(path, '/api')", "true"), ("startswith(path, '/x')", "false"), ("endswith(path, 'x')", "true"),
    ("contains(ua, 'Bot')", "true"), ("contains(ua, 'bot')", "false"), ("contains(missing, 'x')", "false"),
    ("startswith(status, '5')", "true"), ("contains(path, '')", "true"), ("endswith('a', 'abc')", "false"),
    ("lower(ua)", "\"mozilla bot\""), ("upper(method)", "\"GET\""), ("lower(missing)", "null"),
    ("contains(lower(ua), 'bot')", "true"),
    ("len(esc)", "3"), ("len('héllo')", "5"), ("len(path)", "6"), ("len(missing)", "null"),
    ("abs(-3)", "3"), ("abs(neg)", "2.5"), ("round(2.5)", "3"), ("round(-2.5)", "-3"), ("round(3.14159, 2)", "3.14"),
    ("floor(-1.5)", "-2"), ("ceil(1.2)", "2"), ("floor(missing)", "null"),
    ("min(3, 1, 2)", "1"), ("max(missing, 2)", "2"), ("min(missing)", "null"), ("max('a', 'b')", "\"b\""),
    ("max(status, bytes)", "1024"),
    ("int(status / 100)", "5"), ("int(-2.7)", "-2"), ("float('2.5')", "2.5"), ("int('abc')", "null"),
    ("int(t)", "1"), ("float(f)", "0"), ("int(s) + 1", "501"),
    ("str(status)", "\"503\""), ("str(1.5)", "\"1.5\""), ("str(t)", "\"true\""), ("str(missing)", "null"),
    ("str(path)", "\"/api/x\""),
    ("exists(status)", "true"), ("exists(missing)", "false"), ("exists(nul)", "false"), ("exists(nested.k)", "true"),
    ("coalesce(missing, nul, 'd')", "\"d\""), ("coalesce(missing)", "null"), ("coalesce(status, 1)", "503"),
  ])
  func evaluates(_ text: String, _ expected: String) throws {
    #expect(try ExprHarness(Self.record).eval(text) == expected, "\(text)")
  }

  /// Every ordering comparison with a null side is false, and so is its
  /// "opposite"; only == and != see null.
  @Test(arguments: ["missing", "nul"])
  func nullSemantics(_ field: String) throws {
    let h = ExprHarness(Self.record)
    for op in ["<", "<=", ">", ">="] {
      #expect(try h.eval("\(field) \(op) 1") == "false")
      #expect(try h.eval("1 \(op) \(field)") == "false")
      #expect(try h.eval("\(field) \(op) \(field)") == "false")
    }
    #expect(try h.eval("\(field) == null") == "true")
    #expect(try h.eval("\(field) != null") == "false")
    #expect(try h.eval("\(field) == 0") == "false")
    #expect(try h.eval("\(field) != 0") == "true")
    #expect(try h.eval("\(field) + 1") == "null")
    #expect(try h.eval("\(field) * 0") == "null")
    #expect(try h.eval("-\(field)") == "null")
  }

  @Test func slotsAreSharedAndReloaded() throws {
    let slots = RecordSlots()
    let scanner = NDJSONScanner()
    let a = try CompiledExpr(Expr.parse("status >= 500"), slots: slots)
    let b = try CompiledExpr(Expr.parse("status + bytes"), slots: slots)
    let c = try CompiledExpr(Expr.parse("req.m == 'GET'"), slots: slots)
    #expect(slots.count == 3)
    #expect(slots.path(of: 2) == ["req", "m"])
    #expect(slots.slot(for: ["status"]) == 0)
    let records = [
      (#"{"status":500,"bytes":1,"req":{"m":"GET"}}"#, true, "501", true),
      (#"{"bytes":2,"status":200}"#, false, "202", false),
      (#"{"req":{"m":"G\u0045T"},"status":"404"}"#, false, "null", true),
    ]
    for (text, matches, sum, isGet) in records {
      try Array(text.utf8).withUnsafeBytes { buffer in
        try scanner.scan(buffer)
        slots.load(from: scanner)
        #expect(a.matches(slots) == matches, "\(text)")
        #expect(b.evaluate(slots).description == sum, "\(text)")
        #expect(c.matches(slots) == isGet, "\(text)")
      }
    }
  }

  @Test func numbersForAggregates() throws {
    let h = ExprHarness(Self.record)
    let inputs = ["bytes", "s", "path", "missing", "bytes / 2"]
    let compiled = try inputs.map { try CompiledExpr(Expr.parse($0), slots: h.slots) }
    try h.line.withUnsafeBytes { buffer in
      try h.scanner.scan(buffer)
      h.slots.load(from: h.scanner)
      #expect(compiled.map { $0.number(h.slots) } == [1024, 500, nil, nil, 512])
    }
  }

  @Test func escapedStringsStayDistinct() throws {
    // Two escaped strings in one record are decoded into separate places.
    let h = ExprHarness(#"{"a":"x\ty","b":"\u00e9\n"}"#)
    #expect(try h.eval("a + '|' + b") == "\"x\ty|é\n\"")
    #expect(try h.eval("a == 'x\\ty' and b == 'é\\n'") == "true")
  }

  @Test func constantsFold() throws {
    let slots = RecordSlots()
    #expect(try CompiledExpr(Expr.parse("1 + 2 * 3 > 6 and lower('A') == 'a'"), slots: slots).isConstant)
    #expect(try !CompiledExpr(Expr.parse("1 + x"), slots: slots).isConstant)
    let folded = try CompiledExpr(Expr.parse("upper('ab') + 'c'"), slots: slots)
    #expect(folded.evaluate(slots).description == "\"ABc\"")
  }

  @Test func aggregateCallsDoNotCompile() throws {
    let expr = try Expr.parse("sum(bytes)", outerFunctions: ["sum"])
    #expect(throws: ExprError.self) { try CompiledExpr(expr, slots: RecordSlots()) }
    guard case .call(_, let args) = expr else { return }
    #expect(try CompiledExpr(args[0], slots: RecordSlots()).expr == .field(["bytes"]))
  }

  @Test func valuesWriteAsJSON() throws {
    let h = ExprHarness(Self.record)
    let sink = OutputSink(fd: -1)
    for text in ["esc", "status / 2", "nul", "t", "list", "upper(method)"] {
      let compiled = try CompiledExpr(Expr.parse(text), slots: h.slots)
      try h.line.withUnsafeBytes { buffer in
        try h.scanner.scan(buffer)
        h.slots.load(from: h.scanner)
        sink.beginArray()
        compiled.evaluate(h.slots).write(to: sink)
        sink.endArray()
      }
    }
    #expect(sink.bufferedText == #"["a\"b"],[251.5],[null],[true],[[1,2]],["GET"]"#)
  }
}
