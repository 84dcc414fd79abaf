/*
 The expression language shared by logwindow (--where, --by keys, aggregate
 arguments), logalert and logscale. Expressions are parsed once into this
 AST, compiled against a RecordSlots (CompiledExpr.swift) and evaluated per
 record without allocation for the common predicates.

 Grammar (EBNF; whitespace between tokens is ignored):

   expr       = disjunction ;
   disjunction= conjunction { ( "or" | "||" ) conjunction } ;
   conjunction= negation { ( "and" | "&&" ) negation } ;
   negation   = ( "not" | "!" ) negation | comparison ;
   comparison = additive [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) additive
                          | [ "not" ] "in" list ] ;
   additive   = term { ( "+" | "-" ) term } ;
   term       = unary { ( "*" | "/" | "%" ) unary } ;
   unary      = "-" unary | primary ;
   primary    = number | duration | string | "true" | "false" | "null"
              | call | field | "(" expr ")" ;
   list       = "[" [ expr { "," expr } ] "]" ;
   call       = name "(" [ expr { "," expr } ] ")" ;
   field      = segment { "." segment } ;
   segment    = name | "`" { any character but "`" } "`" ;
   name       = ( letter | "_" ) { letter | digit | "_" } ;
   number     = digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ] ;
   duration   = number unit { number unit } ;   unit = "us" | "ms" | "s" | "m" | "h" | "d"
   string     = '"' { char } '"' | "'" { char } "'" ;   escapes \" \' \\ \/ \n \r \t \uXXXX

 Comparisons do not chain (`a < b < c` is an error); `and`, `or`, `not`,
 `in`, `true`, `false`, `null` are keywords (quote a field named like one:
 `in`). Columns in errors are 1-based byte offsets.

 Semantics:
 - Values are null, booleans, numbers (Double) and strings. A duration is a
   number of seconds (`5m` = 300, `250ms` = 0.25). A field that is missing
   from the record is null; a dotted path reads nested objects; a nested
   object or array value is opaque (equal only to the same JSON text).
 - `==` and `!=` work on any values: null equals only null. The ordering
   comparisons `<` `<=` `>` `>=` are false when either side is null or the
   two sides cannot be ordered (a bool and a number, say).
 - Strings compare bytewise (which is code point order). When one side is a
   number and the other a string that is entirely a decimal number, the
   string counts as that number: `status == 500` holds for "500" too, as
   logs often carry numbers as strings. Two strings are never compared
   numerically ("1.0" != "1").
 - Arithmetic needs numbers (numeric strings convert as above), else the
   result is null; `+` on two strings concatenates. Division or remainder by
   zero is null; `%` is the truncating remainder.
 - `and`, `or`, `not` and `!` use truthiness: null, false, 0 and "" are
   false, everything else true; they short-circuit and return booleans.
 - `x in [a, b]` is `x == a or x == b`; `not in` is its negation.
 - Functions (null in, null out unless said otherwise):
   startswith(s, p), endswith(s, p), contains(s, p): booleans, false on
   null; numbers are matched by their text (`startswith(status, "5")`).
   lower(s), upper(s): ASCII case mapping. len(s): length in Unicode scalars.
   abs(x), floor(x), ceil(x), round(x) (half away from zero), round(x, n)
   (n decimals). min(x, ...), max(x, ...): over the non-null arguments.
   int(x): truncates toward zero; float(x): a number; both parse strings and
   map true/false to 1/0. str(x): the text of a value (integral numbers
   without ".0"). exists(field): the field is present and not null.
   coalesce(a, b, ...): the first argument that is not null.
*/

/// An expression's syntax tree.
package indirect enum Expr: Equatable, Hashable, Sendable, CustomStringConvertible {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  /// A field path: one component for a top-level field, more for nested objects.
  case field([String])
  case negate(Expr)
  case not(Expr)
  case binary(ExprOperator, Expr, Expr)
  /// `x in [list]`, or `x not in [list]` when negated.
  case membership(Expr, [Expr], negated: Bool)
  /// A function call; arguments are expressions. Aggregates of logwindow
  /// (`count_if(status >= 500)`) are calls too, see `parse(_:outerFunctions:)`.
  case call(String, [Expr])

  /// Parses an expression using the built-in functions only.
  package static func parse(_ text: String) throws(ExprError) -> Expr {
    var parser = ExprParser(text, outerFunctions: [])
    return try parser.parseAll()
  }

  /// Parses an expression that may be one call to a function named in
  /// `outerFunctions` (for example logwindow's `sum(bytes)`); those calls are
  /// allowed only as the whole expression and their arity is not checked.
  package static func parse(_ text: String, outerFunctions: Set<String>) throws(ExprError) -> Expr {
    var parser = ExprParser(text, outerFunctions: outerFunctions)
    return try parser.parseAll()
  }

  /// The distinct field paths the expression reads, in order of first use.
  package var fieldReferences: [[String]] {
    var seen = Set<[String]>()
    var out: [[String]] = []
    collectFields(into: &out, seen: &seen)
    return out
  }

  private func collectFields(into out: inout [[String]], seen: inout Set<[String]>) {
    switch self {
    case .null, .bool, .number, .string: return
    case .field(let path):
      if seen.insert(path).inserted { out.append(path) }
    case .negate(let e), .not(let e):
      e.collectFields(into: &out, seen: &seen)
    case .binary(_, let a, let b):
      a.collectFields(into: &out, seen: &seen)
      b.collectFields(into: &out, seen: &seen)
    case .membership(let e, let list, _):
      e.collectFields(into: &out, seen: &seen)
      for item in list { item.collectFields(into: &out, seen: &seen) }
    case .call(_, let args):
      for arg in args { arg.collectFields(into: &out, seen: &seen) }
    }
  }

  /// Levels of the tree (a leaf is 1).
  var treeDepth: Int {
    switch self {
    case .null, .bool, .number, .string, .field: return 1
    case .negate(let e), .not(let e): return 1 + e.treeDepth
    case .binary(_, let a, let b): return 1 + Swift.max(a.treeDepth, b.treeDepth)
    case .membership(let e, let list, _): return 1 + list.reduce(e.treeDepth) { Swift.max($0, $1.treeDepth) }
    case .call(_, let args): return 1 + args.reduce(0) { Swift.max($0, $1.treeDepth) }
    }
  }

  /// A fully parenthesised rendering that parses back to the same tree.
  package var description: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let d): return formatExprNumber(d)
    case .string(let s): return quoteExprString(s)
    case .field(let path): return path.map(renderFieldSegment).joined(separator: ".")
    case .negate(let e): return "(-\(e))"
    case .not(let e): return "(not \(e))"
    case .binary(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
    case .membership(let e, let list, let negated):
      return "(\(e) \(negated ? "not in" : "in") [\(list.map(\.description).joined(separator: ", "))])"
    case .call(let name, let args): return "\(name)(\(args.map(\.description).joined(separator: ", ")))"
    }
  }
}

/// Binary operators, spelled as in the canonical rendering.
package enum ExprOperator: String, Sendable, Hashable {
  case add = "+", subtract = "-", multiply = "*", divide = "/", remainder = "%"
  case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
  case and, or
}

/// Numbers as users write them: integral values without ".0".
package func formatExprNumber(_ d: Double) -> String {
  if d == d.rounded(.towardZero), Swift.abs(d) < 1e15 { return String(Int64(d)) }
  return d.description
}

private func quoteExprString(_ s: String) -> String {
  var out = "\""
  for scalar in s.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    default: out.unicodeScalars.append(scalar)
    }
  }
  return out + "\""
}

private func renderFieldSegment(_ segment: String) -> String {
  let keywords: Set<String> = ["and", "or", "not", "in", "true", "false", "null"]
  let utf8 = Array(segment.utf8)
  let isName =
    !utf8.isEmpty && !isExprDigit(utf8[0]) && utf8.allSatisfy { isExprNameByte($0) } && !keywords.contains(segment)
  return isName ? segment : "`\(segment)`"
}

func isExprDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

func isExprNameByte(_ b: UInt8) -> Bool {
  (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || isExprDigit(b) || b == UInt8(ascii: "_")
}
