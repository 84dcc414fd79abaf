/*
 One `-a` aggregate: its output name, function and argument text.

 `-a NAME=EXPR` names it; `-a EXPR` derives a name from the function and
 argument (`count`, `count_if`, `sum_bytes`, `p95_request_time`,
 `distinct_client`, `top_path`, `avg_request_time`). The argument stays text
 here; RecordInputs compiles it (a plain field path is read directly, the
 rest goes through the expression language).
*/

package enum AggregateFunction: Sendable, Equatable {
  case count
  case countIf
  case sum
  case avg
  case min
  case max
  /// Count (no argument) or sum of the argument, per second of window length.
  case rate
  case distinct
  case quantile(Double)
  case top(Int)
  case first
  case last

  /// Short code used in partial records (`--partial`), with the parameter.
  package var code: String {
    switch self {
    case .count: return "count"
    case .countIf: return "count_if"
    case .sum: return "sum"
    case .avg: return "avg"
    case .min: return "min"
    case .max: return "max"
    case .rate: return "rate"
    case .distinct: return "distinct"
    case .quantile(let q): return "quantile:\(q)"
    case .top(let k): return "top:\(k)"
    case .first: return "first"
    case .last: return "last"
    }
  }

  package init?(code: String) {
    let parts = code.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
    guard let name = parts.first else { return nil }
    switch name {
    case "count": self = .count
    case "count_if": self = .countIf
    case "sum": self = .sum
    case "avg": self = .avg
    case "min": self = .min
    case "max": self = .max
    case "rate": self = .rate
    case "distinct": self = .distinct
    case "first": self = .first
    case "last": self = .last
    case "quantile":
      guard parts.count == 2, let q = Double(parts[1]), q >= 0, q <= 1 else { return nil }
      self = .quantile(q)
    case "top":
      guard parts.count == 2, let k = Int(parts[1]), k > 0, k <= 10_000 else { return nil }
      self = .top(k)
    default: return nil
    }
  }
}

package struct AggregateSpec: Sendable, Equatable {
  package var name: String
  package var function: AggregateFunction
  /// The value or predicate expression; nil for `count` and plain `rate`.
  package var argument: String?

  package init(name: String, function: AggregateFunction, argument: String?) {
    self.name = name
    self.function = function
    self.argument = argument
  }

  /// Parses `NAME=EXPR` or `EXPR`.
  package static func parse(_ text: String) throws(WindowSetupError) -> AggregateSpec {
    var name: String?
    var body = Substring(text)
    // NAME= prefix: an identifier followed by '=' that is not '=='.
    if let eq = text.firstIndex(of: "="), text[text.index(after: eq)...].first != "=" {
      let candidate = text[..<eq].trimmingSpaces
      if !candidate.isEmpty, candidate.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) {
        name = String(candidate)
        body = text[text.index(after: eq)...]
      }
    }
    let call = body.trimmingSpaces
    let functionName: Substring
    var args: [String] = []
    if let open = call.firstIndex(of: "(") {
      guard call.last == ")" else { throw .aggregate("invalid aggregate '\(excerpt(text))': expected ')' at the end") }
      functionName = call[..<open].trimmingSpaces
      args = splitArguments(call[call.index(after: open)..<call.index(before: call.endIndex)])
    } else {
      functionName = call
    }
    let fn = String(functionName).lowercased()
    let spec = try make(fn, args, text: text)
    var result = spec
    if let name { result.name = name }
    return result
  }

  private static func make(_ fn: String, _ args: [String], text: String) throws(WindowSetupError) -> AggregateSpec {
    func need(_ n: Int) throws(WindowSetupError) {
      guard args.count == n, !args.contains(where: \.isEmpty) else {
        throw .aggregate("invalid aggregate '\(excerpt(text))': \(fn) takes \(n == 0 ? "no arguments" : n == 1 ? "one argument" : "\(n) arguments")")
      }
    }
    switch fn {
    case "count":
      try need(0)
      return AggregateSpec(name: "count", function: .count, argument: nil)
    case "count_if":
      try need(1)
      return AggregateSpec(name: "count_if", function: .countIf, argument: args[0])
    case "rate":
      if args.isEmpty { return AggregateSpec(name: "rate", function: .rate, argument: nil) }
      try need(1)
      return AggregateSpec(name: "rate_" + nameSuffix(args[0]), function: .rate, argument: args[0])
    case "sum", "avg", "min", "max", "distinct", "first", "last":
      try need(1)
      let function: AggregateFunction = switch fn {
      case "sum": .sum
      case "avg": .avg
      case "min": .min
      case "max": .max
      case "distinct": .distinct
      case "first": .first
      default: .last
      }
      return AggregateSpec(name: fn + "_" + nameSuffix(args[0]), function: function, argument: args[0])
    case "p50", "p90", "p95", "p99", "p999":
      try need(1)
      let q = fn == "p999" ? 0.999 : (Double(fn.dropFirst()) ?? 50) / 100
      return AggregateSpec(name: fn + "_" + nameSuffix(args[0]), function: .quantile(q), argument: args[0])
    case "quantile":
      try need(2)
      guard let q = Double(args[0]), q >= 0, q <= 1 else {
        throw .aggregate("invalid aggregate '\(excerpt(text))': quantile's first argument must be a number from 0 to 1")
      }
      let percent = formatExprNumber(q * 100)
      return AggregateSpec(name: "p" + percent + "_" + nameSuffix(args[1]), function: .quantile(q), argument: args[1])
    case "top":
      try need(2)
      guard let k = Int(args[0]), k > 0, k <= 10_000 else {
        throw .aggregate("invalid aggregate '\(excerpt(text))': top's first argument must be a count from 1 to 10000")
      }
      return AggregateSpec(name: "top_" + nameSuffix(args[1]), function: .top(k), argument: args[1])
    default:
      throw .aggregate("invalid aggregate '\(excerpt(text))': unknown function '\(fn)' (expected count, count_if, sum, avg, min, max, rate, distinct, p50, p90, p95, p99, quantile, top, first, last)")
    }
  }

  /// Splits at commas outside parentheses, brackets and quotes.
  static func splitArguments(_ text: Substring) -> [String] {
    var parts: [String] = []
    var depth = 0
    var quote: Character?
    var current = ""
    var escaped = false
    for c in text {
      if let q = quote {
        current.append(c)
        if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == q { quote = nil }
        continue
      }
      switch c {
      case "\"", "'": quote = c; current.append(c)
      case "(", "[": depth += 1; current.append(c)
      case ")", "]": depth -= 1; current.append(c)
      case "," where depth == 0:
        parts.append(String(current.trimmingSpaces))
        current = ""
      default: current.append(c)
      }
    }
    let last = current.trimmingSpaces
    if !last.isEmpty || !parts.isEmpty { parts.append(String(last)) }
    return parts
  }

  /// `request_time` -> `request_time`; `bytes / 1024` -> `bytes_1024`.
  static func nameSuffix(_ argument: String) -> String {
    var out = ""
    for c in argument {
      if c.isLetter || c.isNumber || c == "_" {
        out.append(c)
      } else if !out.isEmpty && out.last != "_" {
        out.append("_")
      }
    }
    while out.last == "_" { out.removeLast() }
    return out.isEmpty ? "value" : out
  }
}

extension StringProtocol {
  var trimmingSpaces: SubSequence {
    let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
    let end = lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? start
    return self[start..<end]
  }
}
