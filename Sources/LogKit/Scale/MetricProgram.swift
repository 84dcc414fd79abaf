/*
 A metric expression over the records of one evaluation (all window records
 with the same `end`, e.g. one per --by group).

   rps=sum(count)/15      sum over the group's records, divided by 15
   p95=max(p95)           the worst group
   err=sum(errors)/sum(count)

 sum(X), avg(X), min(X) and max(X) with one argument aggregate X (any
 per-record expression) across the group; they ignore records where X is not
 a number and are missing when no record has one. A field outside an
 aggregate is summed (for a single record: its value). `replicas` and `ready`
 outside an aggregate are the current and ready replica counts. `min(a, b)`
 and `max(a, b)` with several arguments are the ordinary functions. A
 missing result (null, not a number) is a missing metric, never 0.

 Implementation: each aggregate call is cut out of the text and replaced by
 a placeholder field padded to the same length (so error columns stay true);
 the arguments compile over the shared RecordReader's slots and are folded
 per record into accumulators; at the end of the group the outer expression
 runs over the accumulated values.
*/

/// An error in a metric definition, with the 1-based column in its expression.
package struct MetricExprError: Error, Equatable, Sendable, CustomStringConvertible {
  package var message: String
  package var column: Int?

  package init(_ message: String, column: Int? = nil) {
    self.message = message
    self.column = column
  }

  package var description: String { column.map { "\(message) at column \($0)" } ?? message }
}

private enum GroupFunction: String {
  case sum, avg, min, max
}

package final class MetricProgram {
  package let name: String
  package let expression: String
  private let outer: CompiledExpr
  private let outerSlots = RecordSlots()
  private let functions: [GroupFunction]
  private let arguments: [CompiledExpr]
  private let outerSlotOfAggregate: [Int]
  private var sums: [Double]
  private var counts: [Int]
  private var minima: [Double]
  private var maxima: [Double]
  private var replicasSlot: Int?
  private var readySlot: Int?

  /// Splits `NAME=EXPR`; a bare field path is its own name.
  package static func splitDefinition(_ text: String) throws(MetricExprError) -> (name: String, expression: String) {
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count, isExprNameByte(bytes[i]) { i += 1 }
    if i > 0, !isExprDigit(bytes[0]), i < bytes.count, bytes[i] == UInt8(ascii: "="),
      i + 1 >= bytes.count || bytes[i + 1] != UInt8(ascii: "=")
    {
      let expression = String(decoding: bytes[(i + 1)...], as: UTF8.self)
      guard !expression.isEmpty else { throw MetricExprError("empty expression after '\(text)'") }
      return (String(decoding: bytes[..<i], as: UTF8.self), expression)
    }
    let isPath = !bytes.isEmpty && !isExprDigit(bytes[0]) && bytes.allSatisfy { isExprNameByte($0) || $0 == UInt8(ascii: ".") }
    guard isPath else { throw MetricExprError("name the metric: NAME=EXPR (e.g. rps='sum(count)/15')") }
    return (text, text)
  }

  package init(name: String, expression: String, reader: RecordReader) throws(MetricExprError) {
    self.name = name
    self.expression = expression
    let cut = try Self.cutAggregates(expression)
    let outerExpr: Expr
    do { outerExpr = try Expr.parse(cut.outer) } catch { throw MetricExprError(error.message, column: error.column) }
    var functions: [GroupFunction] = []
    var arguments: [CompiledExpr] = []
    var slots: [Int] = []
    do {
      for call in cut.calls {
        let argument: Expr
        do { argument = try Expr.parse(call.argument) } catch {
          throw MetricExprError(error.message, column: error.column + call.offset)
        }
        functions.append(call.function)
        arguments.append(try reader.compile(argument))
        slots.append(outerSlots.slot(for: [Self.placeholder(call.index)]))
      }
      // Fields outside an aggregate are summed over the group.
      for path in outerExpr.fieldReferences where !(path.count == 1 && path[0].hasPrefix("#")) {
        if path == ["replicas"] || path == ["ready"] { continue }
        functions.append(.sum)
        arguments.append(try reader.compile(Expr.field(path)))
        slots.append(outerSlots.slot(for: path))
      }
      outer = try CompiledExpr(outerExpr, slots: outerSlots)
    } catch let error as MetricExprError {
      throw error
    } catch {
      throw MetricExprError("\(error)")
    }
    let paths = outerExpr.fieldReferences
    if paths.contains(["replicas"]) { replicasSlot = outerSlots.slot(for: ["replicas"]) }
    if paths.contains(["ready"]) { readySlot = outerSlots.slot(for: ["ready"]) }
    self.functions = functions
    self.arguments = arguments
    outerSlotOfAggregate = slots
    sums = Array(repeating: 0, count: functions.count)
    counts = Array(repeating: 0, count: functions.count)
    minima = Array(repeating: .infinity, count: functions.count)
    maxima = Array(repeating: -.infinity, count: functions.count)
  }

  /// Folds the record loaded in the reader's slots into the group.
  package func add(_ slots: RecordSlots) {
    for k in 0..<arguments.count {
      guard let x = arguments[k].number(slots), x.isFinite else { continue }
      sums[k] += x
      counts[k] &+= 1
      if x < minima[k] { minima[k] = x }
      if x > maxima[k] { maxima[k] = x }
    }
  }

  /// The metric over the group added since the last call (nil: missing), and a fresh group.
  package func finish(replicas: Int, ready: Int) -> Double? {
    for k in 0..<functions.count {
      let value: ExprValue
      if counts[k] == 0 {
        value = .null
      } else {
        switch functions[k] {
        case .sum: value = .number(sums[k])
        case .avg: value = .number(sums[k] / Double(counts[k]))
        case .min: value = .number(minima[k])
        case .max: value = .number(maxima[k])
        }
      }
      outerSlots[outerSlotOfAggregate[k]] = value
      sums[k] = 0
      counts[k] = 0
      minima[k] = .infinity
      maxima[k] = -.infinity
    }
    if let replicasSlot { outerSlots[replicasSlot] = .number(Double(replicas)) }
    if let readySlot { outerSlots[readySlot] = .number(Double(ready)) }
    guard let result = outer.evaluate(outerSlots).numeric, result.isFinite else { return nil }
    return result
  }

  // MARK: Cutting aggregate calls out of the text

  private struct Call {
    var function: GroupFunction
    var argument: String
    /// Columns in the argument text plus this are columns in the whole expression.
    var offset: Int
    var index: Int
  }

  private static func placeholder(_ index: Int) -> String { "#\(index)" }

  private static func cutAggregates(_ text: String) throws(MetricExprError) -> (outer: String, calls: [Call]) {
    let tokens: [ExprToken]
    do { tokens = try ExprLexer(text).tokenize() } catch { throw MetricExprError(error.message, column: error.column) }
    var bytes = Array(text.utf8)
    var calls: [Call] = []
    var i = 0
    while i < tokens.count {
      if case .quotedName(let q) = tokens[i].kind, q.hasPrefix("#") {
        throw MetricExprError("field names starting with '#' are reserved", column: tokens[i].column)
      }
      guard case .name(let name) = tokens[i].kind, let function = GroupFunction(rawValue: name),
        i + 1 < tokens.count, case .symbol("(") = tokens[i + 1].kind,
        i == 0 || tokens[i - 1].kind != .symbol(".")
      else {
        i += 1
        continue
      }
      let (close, commas) = try matchingParen(tokens, open: i + 1)
      if commas > 0 && (function == .min || function == .max) {
        i += 1  // the ordinary min/max of several values; its arguments may hold aggregates
        continue
      }
      guard commas == 0, close > i + 2 else {
        throw MetricExprError("\(name)() aggregates one expression over the group, e.g. \(name)(count)", column: tokens[i].column)
      }
      guard calls.count < 100 else { throw MetricExprError("more than 100 aggregates in one metric", column: tokens[i].column) }
      let start = tokens[i].column - 1
      let end = tokens[close].column  // one past ')'
      let argumentStart = tokens[i + 1].column  // byte after '('
      let argument = String(decoding: bytes[argumentStart..<(end - 1)], as: UTF8.self)
      calls.append(Call(function: function, argument: argument, offset: argumentStart, index: calls.count))
      let replacement = Array("`\(placeholder(calls.count - 1))`".utf8)
      for k in start..<end { bytes[k] = k - start < replacement.count ? replacement[k - start] : 0x20 }
      i = close + 1
    }
    return (String(decoding: bytes, as: UTF8.self), calls)
  }

  /// The token index of the ')' closing the '(' at `open`, and the commas directly inside.
  private static func matchingParen(_ tokens: [ExprToken], open: Int) throws(MetricExprError) -> (Int, Int) {
    var depth = 0
    var commas = 0
    var k = open
    while k < tokens.count {
      switch tokens[k].kind {
      case .symbol("("), .symbol("["): depth += 1
      case .symbol(")"), .symbol("]"):
        depth -= 1
        if depth == 0 { return (k, commas) }
      case .symbol(","): if depth == 1 { commas += 1 }
      case .end: throw MetricExprError("expected ')'", column: tokens[k].column)
      default: break
      }
      k += 1
    }
    throw MetricExprError("expected ')'", column: tokens[open].column)
  }
}
