/*
 Turns one NDJSON line into what the window engine needs: event time,
 whether --where keeps it, the group key bytes and the aggregate inputs.

 All expressions (--where, --by keys, aggregate arguments) share one
 RecordSlots, so each field is looked up once per record. The time field is
 read straight from the scanner, since TimeParser wants the raw text.
*/

/// Why a line was not used.
package enum RecordOutcome {
  case ok
  case filtered
  case invalid(String)
}

/// One --by key: output name and compiled expression.
package struct GroupKeySpec {
  package var name: String
  package var expr: Expr

  /// Parses `--by` text: `path,status_class,class=int(status/100)`.
  package static func parseList(_ text: String) throws(WindowSetupError) -> [GroupKeySpec] {
    var keys: [GroupKeySpec] = []
    for part in AggregateSpec.splitArguments(Substring(text)) {
      var name: String?
      var body = part
      if let eq = part.firstIndex(of: "="), part[part.index(after: eq)...].first != "=" {
        let candidate = part[..<eq].trimmingSpaces
        if !candidate.isEmpty, candidate.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
          name = String(candidate)
          body = String(part[part.index(after: eq)...])
        }
      }
      let expr: Expr
      do { expr = try Expr.parse(body) } catch {
        throw .key("'\(part)': \(error)")
      }
      if name == nil, case .field(let path) = expr { name = path.joined(separator: ".") }
      keys.append(GroupKeySpec(name: name ?? AggregateSpec.nameSuffix(body), expr: expr))
    }
    guard !keys.isEmpty else { throw .noKeys }
    return keys
  }
}

package final class RecordEvaluator {
  package let reader: RecordReader
  package var scanner: NDJSONScanner { reader.scanner }
  package var slots: RecordSlots { reader.slots }
  private let filter: CompiledExpr?
  private let keyExprs: [CompiledExpr]
  /// Per aggregate: the compiled argument, nil for count / rate().
  private let arguments: [CompiledExpr?]
  /// Per aggregate and per key: the slot when the expression is a plain field
  /// (read directly, skipping the evaluator), else -1.
  private let argumentSlots: [Int]
  private let keySlots: [Int]
  private let layout: AccumulatorLayout
  package let keyBuffer = OutputSink(fd: -1, capacity: 4096)
  package let inputs: AggregateInputs
  package private(set) var time: EpochMicros = 0
  package private(set) var keyHash: UInt64 = 0

  package init(timeField: String, filter: String?, keys: [GroupKeySpec], layout: AccumulatorLayout) throws(WindowSetupError) {
    reader = RecordReader(timeField: timeField)
    self.layout = layout
    let slots = reader.slots
    do {
      self.filter = try filter.map { text throws(ExprError) in try CompiledExpr(Expr.parse(text), slots: slots) }
    } catch {
      throw .filter("\(error)")
    }
    var compiledKeys: [CompiledExpr] = []
    for key in keys {
      do { compiledKeys.append(try CompiledExpr(key.expr, slots: slots)) } catch {
        throw .key("'\(key.name)': \(error)")
      }
    }
    keyExprs = compiledKeys
    keySlots = keys.map { if case .field(let path) = $0.expr { slots.slot(for: path) } else { -1 } }
    var compiledArguments: [CompiledExpr?] = []
    var fieldSlots: [Int] = []
    for spec in layout.specs {
      guard let text = spec.argument else {
        compiledArguments.append(nil)
        fieldSlots.append(-1)
        continue
      }
      do {
        let expr = try Expr.parse(text)
        compiledArguments.append(try CompiledExpr(expr, slots: slots))
        if case .field(let path) = expr { fieldSlots.append(slots.slot(for: path)) } else { fieldSlots.append(-1) }
      } catch {
        throw .aggregate("invalid aggregate '\(spec.name)': \(error) in '\(excerpt(text))'")
      }
    }
    arguments = compiledArguments
    argumentSlots = fieldSlots
    inputs = AggregateInputs(count: layout.count)
  }

  /// Scans `line` and fills time, key and inputs.
  package func evaluate(_ line: UnsafeRawBufferPointer) -> RecordOutcome {
    do { try reader.read(line) } catch { return .invalid(error.description) }
    time = reader.time
    if let filter, !filter.matches(slots) { return .filtered }
    computeKey()
    computeInputs()
    return .ok
  }

  private func computeKey() {
    keyBuffer.count = 0
    for i in 0..<keyExprs.count {
      if i > 0 { keyBuffer.append(keySeparator) }
      let value = keySlots[i] >= 0 ? slots[keySlots[i]] : keyExprs[i].evaluate(slots)
      if !keyBuffer.appendCanonical(value) { keyBuffer.append("null") }
    }
    keyHash = hash64(keyBuffer.contents)
  }

  private func computeInputs() {
    inputs.clearBytes()
    for a in 0..<layout.count {
      let slot = argumentSlots[a]
      let value: ExprValue
      if slot >= 0 {
        value = slots[slot]
      } else if let argument = arguments[a] {
        value = argument.evaluate(slots)
      } else {
        continue
      }
      switch layout.functions[a] {
      case .countIf:
        inputs.flags[a] = value.isTrue
      case .distinct, .top, .first, .last:
        let start = inputs.bytes.count
        let present = inputs.bytes.appendCanonical(value)
        inputs.flags[a] = present
        inputs.starts[a] = start
        inputs.ends[a] = inputs.bytes.count
        if present, layout.functions[a] != .first, layout.functions[a] != .last {
          inputs.hashes[a] = inputs.withValue(a) { hash64($0) }
        }
      default:
        inputs.numbers[a] = value.numeric ?? .nan
      }
    }
  }
}
