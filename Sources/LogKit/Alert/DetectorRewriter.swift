/*
 Finds detector calls (zscore(x), mad_score(x, N), change(x),
 seasonal(x, PERIOD), absent(DUR), anomaly(x)) in a rule expression and
 replaces each with a synthetic field, so the expression language itself
 stays stateless: the engine computes the detector per key and stores the
 result in that field's slot before evaluating the condition.

 The replacement "`@dN`" is padded with spaces to the call's length, so the
 columns of every later token, and therefore of parse errors, are unchanged.
 Identical calls (same function, same argument) share one detector.
*/

struct DetectorRewriter {
  private(set) var detectors: [DetectorCall] = []

  static let maxMadPoints = 64
  static let maxDetectors = 100

  /// Rewrites bytes[range] and parses the result. Error columns are offsets into `bytes`.
  mutating func rewrite(_ bytes: [UInt8], _ range: Range<Int>) throws(AlertRuleError) -> Expr {
    let segment = Array(bytes[range])
    let tokens: [ExprToken]
    do { tokens = try ExprLexer(String(decoding: segment, as: UTF8.self)).tokenize() } catch {
      throw AlertRuleError(error.message, column: range.lowerBound + error.column)
    }
    var output = segment
    var k = 0
    while k < tokens.count {
      guard case .name(let name) = tokens[k].kind, let kind = DetectorKind(rawValue: name),
        k + 1 < tokens.count, tokens[k + 1].kind == .symbol("("),
        k == 0 || tokens[k - 1].kind != .symbol(".")
      else {
        k += 1
        continue
      }
      let (call, next) = try parseCall(kind, tokens: tokens, at: k, segment: segment, base: range.lowerBound)
      let start = tokens[k].column - 1
      let end = tokens[next - 1].column  // just past ')'
      let slot = register(call)
      guard detectors.count <= Self.maxDetectors else {
        throw AlertRuleError("more than \(Self.maxDetectors) detector calls in one rule", column: range.lowerBound + start + 1)
      }
      // A call is at least 9 bytes ("change(x)") and "`@d99`" 6, so columns after it stay put.
      var replacement = Array("`\(slot)`".utf8)
      while replacement.count < end - start { replacement.append(0x20) }
      output.replaceSubrange(start..<end, with: replacement)
      k = next
    }
    return try parseRewritten(output, base: range.lowerBound)
  }

  private func parseRewritten(_ output: [UInt8], base: Int) throws(AlertRuleError) -> Expr {
    do {
      return try Expr.parse(String(decoding: output, as: UTF8.self), outerFunctions: Set(DetectorKind.allCases.map(\.rawValue)))
    } catch {
      throw AlertRuleError(error.message, column: base + error.column)
    }
  }

  private mutating func register(_ call: DetectorCall) -> String {
    if let same = detectors.first(where: { $0.kind == call.kind && $0.argument == call.argument && $0.points == call.points && $0.duration == call.duration }) {
      return same.slotName
    }
    var call = call
    call.slotName = "@d\(detectors.count)"
    detectors.append(call)
    return call.slotName
  }

  /// Parses `kind(args)` starting at token k; returns the call and the token index after ')'.
  private func parseCall(_ kind: DetectorKind, tokens: [ExprToken], at k: Int, segment: [UInt8], base: Int) throws(AlertRuleError) -> (DetectorCall, Int) {
    let column = base + tokens[k].column
    var depth = 0
    var argStarts = [tokens[k + 1].column]  // just after '(' (1-based column of '(' = index of next byte)
    var j = k + 1
    var close = -1
    while j < tokens.count {
      switch tokens[j].kind {
      case .symbol("("), .symbol("["): depth += 1
      case .symbol(")"), .symbol("]"):
        depth -= 1
        if depth == 0 { close = j }
      case .symbol(",") where depth == 1: argStarts.append(tokens[j].column)
      case .name(let n) where DetectorKind(rawValue: n) != nil && j + 1 < tokens.count && tokens[j + 1].kind == .symbol("("):
        throw AlertRuleError("detector calls cannot be nested: '\(n)' inside '\(kind.rawValue)'", column: base + tokens[j].column)
      case .end: throw AlertRuleError("expected ')' to close \(kind.rawValue)(", column: base + tokens[j].column)
      default: break
      }
      if close >= 0 { break }
      j += 1
    }
    guard close >= 0 else { throw AlertRuleError("expected ')' to close \(kind.rawValue)(", column: column) }
    let closeIndex = tokens[close].column - 1
    var args: [(text: String, column: Int)] = []
    for (n, startColumn) in argStarts.enumerated() {
      let lower = startColumn  // byte after '(' or ','
      let upper = n + 1 < argStarts.count ? argStarts[n + 1] - 1 : closeIndex
      let text = trimmedText(segment, lower..<upper)
      if !(text.isEmpty && argStarts.count == 1) { args.append((text, base + firstNonBlank(segment, lower..<upper) + 1)) }
    }
    guard kind.arity.contains(args.count) else {
      let expected = kind.arity.lowerBound == kind.arity.upperBound ? "\(kind.arity.lowerBound)" : "\(kind.arity.lowerBound) or \(kind.arity.upperBound)"
      throw AlertRuleError("\(kind.rawValue)() expects \(expected) argument\(kind.arity.upperBound == 1 ? "" : "s"), got \(args.count)", column: column)
    }
    let text = String(decoding: segment[(tokens[k].column - 1)...closeIndex], as: UTF8.self)
    var call = DetectorCall(kind: kind, argument: nil, slotName: "", text: text)
    switch kind {
    case .absent:
      call.duration = try durationArgument(args[0], kind)
    default:
      do { call.argument = try Expr.parse(args[0].text) } catch {
        throw AlertRuleError(error.message, column: args[0].column + error.column - 1)
      }
      if kind == .mad_score {
        call.points = 30
        if args.count == 2 {
          guard let n = Int(args[1].text), (5...Self.maxMadPoints).contains(n) else {
            throw AlertRuleError("mad_score() window must be an integer from 5 to \(Self.maxMadPoints), got '\(args[1].text)'", column: args[1].column)
          }
          call.points = n
        }
      }
      if kind == .seasonal { call.duration = try durationArgument(args[1], kind) }
    }
    return (call, close + 1)
  }

  private func durationArgument(_ arg: (text: String, column: Int), _ kind: DetectorKind) throws(AlertRuleError) -> Int64 {
    guard let micros = parseDuration(arg.text), micros > 0 else {
      throw AlertRuleError("\(kind.rawValue)() expects a positive duration such as 5m or 1d, got '\(arg.text)'", column: arg.column)
    }
    return micros
  }
}
