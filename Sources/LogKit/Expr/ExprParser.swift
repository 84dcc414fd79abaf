/*
 Recursive descent over the token list, one function per grammar level of
 Expr.swift. Function names and arities are checked here, so a compiled
 expression cannot fail on a misspelt call at run time.
*/

struct ExprParser {
  private let text: String
  private let outerFunctions: Set<String>
  private var tokens: [ExprToken] = []
  private var index = 0

  init(_ text: String, outerFunctions: Set<String>) {
    self.text = text
    self.outerFunctions = outerFunctions
  }

  mutating func parseAll() throws(ExprError) -> Expr {
    tokens = try ExprLexer(text).tokenize()
    index = 0
    if case .end = current.kind { throw ExprError("empty expression", column: 1) }
    let expr = try disjunction()
    guard case .end = current.kind else {
      if isSymbol(")") { throw ExprError("unmatched ')'", column: current.column) }
      throw ExprError("\(describeCurrent()) after expression", column: current.column)
    }
    if expr.treeDepth > Self.maxTreeDepth {
      throw ExprError("expression nested deeper than \(Self.maxTreeDepth) levels", column: 1)
    }
    if case .call(let name, _) = expr, outerFunctions.contains(name) { return expr }
    if let outer = outerCallColumn {
      throw ExprError("'\(outer.name)' must be the whole expression", column: outer.column)
    }
    return expr
  }

  /// Depth of the tree being built (parentheses, calls, prefix operators and
  /// chained binary operators, whose trees lean left), bounded so that
  /// recursion here, in compilation and in evaluation stays shallow.
  private var depth = 0
  /// The deepest tree accepted.
  static let maxTreeDepth = 200
  /// Rendering a tree costs at most two nesting levels per tree level
  /// ("(a + b)": the parentheses and the operator), so any accepted tree's
  /// rendering parses again.
  static let maxDepth = 2 * maxTreeDepth + 1

  private mutating func enter() throws(ExprError) {
    depth += 1
    if depth > Self.maxDepth {
      throw ExprError("expression nested deeper than \(Self.maxTreeDepth) levels", column: current.column)
    }
  }

  /// Where an outer (aggregate) call was parsed, to reject `sum(x) + 1`.
  private var outerCallColumn: (name: String, column: Int)?

  // MARK: token helpers

  private var current: ExprToken { tokens[index] }

  private mutating func advance() { if index < tokens.count - 1 { index += 1 } }

  private func isSymbol(_ s: String) -> Bool {
    if case .symbol(let t) = current.kind { return t == s }
    return false
  }

  private func isKeyword(_ s: String) -> Bool {
    if case .name(let t) = current.kind { return t == s }
    return false
  }

  private func describeCurrent() -> String {
    switch current.kind {
    case .end: return "unexpected end of expression"
    case .symbol(let s): return "unexpected '\(s)'"
    case .name(let s), .quotedName(let s): return "unexpected '\(s)'"
    case .number(let d): return "unexpected number \(formatExprNumber(d))"
    case .string: return "unexpected string"
    }
  }

  private mutating func expect(_ s: String, _ context: String) throws(ExprError) {
    guard isSymbol(s) else {
      throw ExprError("expected '\(s)'\(context)", column: current.column)
    }
    advance()
  }

  // MARK: grammar

  private mutating func disjunction() throws(ExprError) -> Expr {
    try enter()
    defer { depth -= 1 }
    var left = try conjunction()
    var chained = 0
    defer { depth -= chained }
    while isKeyword("or") || isSymbol("||") {
      try enter()
      chained += 1
      advance()
      left = .binary(.or, left, try conjunction())
    }
    return left
  }

  private mutating func conjunction() throws(ExprError) -> Expr {
    var left = try negation()
    var chained = 0
    defer { depth -= chained }
    while isKeyword("and") || isSymbol("&&") {
      try enter()
      chained += 1
      advance()
      left = .binary(.and, left, try negation())
    }
    return left
  }

  private mutating func negation() throws(ExprError) -> Expr {
    if isKeyword("not") || isSymbol("!") {
      try enter()
      defer { depth -= 1 }
      advance()
      return .not(try negation())
    }
    return try comparison()
  }

  private static let comparisons: [String: ExprOperator] = [
    "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
  ]

  private mutating func comparison() throws(ExprError) -> Expr {
    let left = try additive()
    var result = left
    if case .symbol(let s) = current.kind, let op = Self.comparisons[s] {
      advance()
      result = .binary(op, left, try additive())
    } else if isKeyword("in") {
      advance()
      result = .membership(left, try list(), negated: false)
    } else if isKeyword("not"), index + 1 < tokens.count, tokens[index + 1].kind == .name("in") {
      advance()
      advance()
      result = .membership(left, try list(), negated: true)
    } else {
      return left
    }
    if case .symbol(let s) = current.kind, Self.comparisons[s] != nil {
      throw ExprError("comparisons cannot be chained; use 'and'", column: current.column)
    }
    if isKeyword("in") { throw ExprError("comparisons cannot be chained; use 'and'", column: current.column) }
    return result
  }

  private mutating func list() throws(ExprError) -> [Expr] {
    guard isSymbol("[") else { throw ExprError("expected '[' after 'in'", column: current.column) }
    advance()
    var items: [Expr] = []
    if isSymbol("]") {
      advance()
      return items
    }
    while true {
      items.append(try disjunction())
      if isSymbol("]") {
        advance()
        return items
      }
      try expect(",", " or ']' in list")
    }
  }

  private mutating func additive() throws(ExprError) -> Expr {
    var left = try term()
    var chained = 0
    defer { depth -= chained }
    while true {
      let op: ExprOperator
      if isSymbol("+") { op = .add } else if isSymbol("-") { op = .subtract } else { return left }
      try enter()
      chained += 1
      advance()
      left = .binary(op, left, try term())
    }
  }

  private mutating func term() throws(ExprError) -> Expr {
    var left = try unary()
    var chained = 0
    defer { depth -= chained }
    while true {
      let op: ExprOperator
      if isSymbol("*") {
        op = .multiply
      } else if isSymbol("/") {
        op = .divide
      } else if isSymbol("%") {
        op = .remainder
      } else {
        return left
      }
      try enter()
      chained += 1
      advance()
      left = .binary(op, left, try unary())
    }
  }

  private mutating func unary() throws(ExprError) -> Expr {
    if isSymbol("-") {
      try enter()
      defer { depth -= 1 }
      advance()
      let operand = try unary()
      if case .number(let d) = operand { return .number(-d) }
      return .negate(operand)
    }
    return try primary()
  }

  private mutating func primary() throws(ExprError) -> Expr {
    let token = current
    switch token.kind {
    case .number(let d):
      advance()
      return .number(d)
    case .string(let s):
      advance()
      return .string(s)
    case .quotedName:
      return .field(try fieldPath())
    case .name(let name):
      switch name {
      case "true": advance(); return .bool(true)
      case "false": advance(); return .bool(false)
      case "null": advance(); return .null
      case "and", "or", "not", "in":
        throw ExprError("expected an expression, found '\(name)'", column: token.column)
      default: break
      }
      if index + 1 < tokens.count, tokens[index + 1].kind == .symbol("(") { return try call(name, column: token.column) }
      return .field(try fieldPath())
    case .symbol("("):
      advance()
      let inner = try disjunction()
      try expect(")", "")
      return inner
    case .symbol("["):
      throw ExprError("a list is only allowed after 'in'", column: token.column)
    case .end:
      throw ExprError("expected an expression at end", column: token.column)
    case .symbol(let s):
      throw ExprError("expected an expression, found '\(s)'", column: token.column)
    }
  }

  private mutating func fieldPath() throws(ExprError) -> [String] {
    var path: [String] = []
    while true {
      switch current.kind {
      case .name(let s), .quotedName(let s): path.append(s)
      default: throw ExprError("expected a field name after '.'", column: current.column)
      }
      advance()
      guard isSymbol(".") else { return path }
      advance()
    }
  }

  private mutating func call(_ name: String, column: Int) throws(ExprError) -> Expr {
    let isOuter = outerFunctions.contains(name) && index == 0
    let builtin = ExprBuiltin(rawValue: name)
    if !isOuter && builtin == nil && outerFunctions.contains(name) {
      throw ExprError("'\(name)' must be the whole expression", column: column)
    }
    if !isOuter && builtin == nil {
      throw ExprError("unknown function '\(name)'\(suggestion(for: name))", column: column)
    }
    advance()  // name
    advance()  // (
    var args: [Expr] = []
    if !isSymbol(")") {
      while true {
        args.append(try disjunction())
        if isSymbol(")") { break }
        try expect(",", " or ')' after argument of \(name)()")
      }
    }
    advance()  // )
    if isOuter {
      outerCallColumn = (name, column)
      return .call(name, args)
    }
    if let builtin {
      if !builtin.arity.contains(args.count) {
        throw ExprError("\(name)() expects \(builtin.arityText), got \(args.count)", column: column)
      }
      if builtin == .exists, case .field = args[0] {} else if builtin == .exists {
        throw ExprError("exists() expects a field name", column: column)
      }
    }
    return .call(name, args)
  }

  private func suggestion(for name: String) -> String {
    let candidates = ExprBuiltin.allCases.map(\.rawValue) + outerFunctions.sorted()
    var best: (String, Int)?
    for candidate in candidates {
      let d = editDistance(name, candidate)
      if d <= Swift.max(1, name.count / 3), best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
    }
    return best.map { "; did you mean '\($0.0)'?" } ?? ""
  }
}
