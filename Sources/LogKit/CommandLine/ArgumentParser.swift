/*
 GNU-style parsing driven by a `CommandSpec`.

 Accepts `--opt value`, `--opt=value`, `-o value`, `-ovalue`, bundled switches
 (`-xy`), `--` to end options and `-` as a positional (stdin). Errors name the
 option and, for unknown names, suggest the closest one.
*/

/// A usage error: printed as one line plus a hint, exit status 2.
package struct UsageError: Error, Equatable, Sendable, CustomStringConvertible {
  package var message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}

/// What the command line said, looked up by long option name.
package struct ParsedOptions: Sendable {
  package private(set) var values: [String: [String]] = [:]
  package private(set) var positionals: [String] = []
  /// Every option as given, in command-line order (for options that bind to the one before them).
  package private(set) var ordered: [(name: String, value: String)] = []
  /// The argv of each option that takes a program (`OptionSpec.takesCommand`), in order.
  package private(set) var commands: [String: [[String]]] = [:]
  /// How many positionals came before `--` (nil: no `--`); the rest followed it.
  package private(set) var positionalsBeforeDoubleDash: Int?
  /// The spec's option names; a lookup of any other name is a programming
  /// error that debug builds stop at (empty: options built by hand in tests).
  private var known: Set<String> = []

  package init() {}

  init(spec: CommandSpec) { known = Set(spec.options.map(\.long)) }

  mutating func add(_ long: String, _ value: String) {
    values[long, default: []].append(value)
    ordered.append((long, value))
  }
  mutating func addCommand(_ long: String, _ argv: [String]) {
    commands[long, default: []].append(argv)
    add(long, argv.joined(separator: " "))
  }
  mutating func markDoubleDash() { if positionalsBeforeDoubleDash == nil { positionalsBeforeDoubleDash = positionals.count } }
  mutating func addPositional(_ value: String) { positionals.append(value) }

  private func lookup(_ long: String) -> [String]? {
    assert(known.isEmpty || known.contains(long), "--\(long) is not an option of this command's spec")
    return values[long]
  }

  /// True when the command's spec has the option (for shared code serving several commands).
  package func declares(_ long: String) -> Bool { known.isEmpty || known.contains(long) }

  /// True when the switch was given.
  package func flag(_ long: String) -> Bool { lookup(long) != nil }
  /// The argv of a program option (the last one given), nil when absent.
  package func command(_ long: String) -> [String]? {
    _ = lookup(long)
    return commands[long]?.last
  }
  /// The last value given (later options override earlier ones).
  package func value(_ long: String) -> String? { lookup(long)?.last }
  /// Every value given, in order.
  package func all(_ long: String) -> [String] { lookup(long) ?? [] }

  package func int(_ long: String, min: Int = Int.min) throws(UsageError) -> Int? {
    guard let text = value(long) else { return nil }
    guard let n = Int(text), n >= min else {
      throw UsageError("invalid value '\(text)' for --\(long): expected an integer\(min > Int.min ? " >= \(min)" : "")")
    }
    return n
  }

  package func double(_ long: String) throws(UsageError) -> Double? {
    guard let text = value(long) else { return nil }
    guard let n = Double(text), n.isFinite else {
      throw UsageError("invalid value '\(text)' for --\(long): expected a number")
    }
    return n
  }

  /// A duration such as `250ms`, `10s`, `5m`, `1h`, `1d`, in microseconds.
  package func duration(_ long: String) throws(UsageError) -> Int64? {
    guard let text = value(long) else { return nil }
    guard let micros = parseDuration(text) else {
      throw UsageError("invalid duration '\(text)' for --\(long): expected e.g. 250ms, 10s, 5m, 1h, 1d")
    }
    return micros
  }

  /// A size such as `64k`, `1M`, `2G`, in bytes.
  package func size(_ long: String) throws(UsageError) -> Int? {
    guard let text = value(long) else { return nil }
    guard let bytes = parseSize(text) else {
      throw UsageError("invalid size '\(text)' for --\(long): expected e.g. 4096, 64k, 1M")
    }
    return bytes
  }

  package func choice(_ long: String, in allowed: [String]) throws(UsageError) -> String? {
    guard let text = value(long) else { return nil }
    guard allowed.contains(text) else {
      throw UsageError("invalid value '\(text)' for --\(long): expected one of \(allowed.joined(separator: ", "))")
    }
    return text
  }
}

package enum ArgumentParser {
  package static func parse(_ arguments: [String], spec: CommandSpec) throws(UsageError) -> ParsedOptions {
    var parsed = ParsedOptions(spec: spec)
    var i = 0
    var onlyPositionals = false
    func record(_ option: OptionSpec, _ value: String?) throws(UsageError) {
      if !option.repeatable && option.takesValue == false && parsed.flag(option.long) { return }
      parsed.add(option.long, value ?? "")
    }
    while i < arguments.count {
      let arg = arguments[i]
      i += 1
      if onlyPositionals || arg == "-" || !arg.hasPrefix("-") {
        parsed.addPositional(arg)
        continue
      }
      if arg == "--" {
        onlyPositionals = true
        parsed.markDoubleDash()
        continue
      }
      if arg.hasPrefix("--") {
        let body = arg.dropFirst(2)
        let name: String
        var inline: String?
        if let eq = body.firstIndex(of: "=") {
          name = String(body[..<eq])
          inline = String(body[body.index(after: eq)...])
        } else {
          name = String(body)
        }
        guard let option = spec.option(named: name) else {
          throw UsageError("unknown option '--\(name)'\(suggestion(for: name, in: spec))")
        }
        if option.takesCommand {
          var argv = inline.map { [$0] } ?? []
          while i < arguments.count, arguments[i] != ";" {
            argv.append(arguments[i])
            i += 1
          }
          if i < arguments.count { i += 1 }  // the `;`
          guard let program = argv.first, !program.isEmpty else {
            throw UsageError("option '--\(name)' needs a program (\(option.valueName ?? "PROGRAM [ARG...]"))")
          }
          parsed.addCommand(option.long, argv)
          continue
        }
        if option.takesValue {
          if inline == nil {
            guard i < arguments.count else { throw UsageError("option '--\(name)' needs a value (\(option.valueName ?? "a value"))") }
            inline = arguments[i]
            i += 1
          }
          try record(option, inline)
        } else {
          if inline != nil { throw UsageError("option '--\(name)' takes no value") }
          try record(option, nil)
        }
        continue
      }
      // Short options, possibly bundled: -xy, -n5, -n 5.
      var rest = Substring(arg.dropFirst())
      while let c = rest.first {
        rest = rest.dropFirst()
        guard let option = spec.option(short: c) else {
          throw UsageError("unknown option '-\(c)'")
        }
        if option.takesValue {
          var value = String(rest)
          if value.isEmpty {
            guard i < arguments.count else { throw UsageError("option '-\(c)' needs a value (\(option.valueName ?? "a value"))") }
            value = arguments[i]
            i += 1
          }
          try record(option, value)
          break
        }
        try record(option, nil)
      }
    }
    if spec.positionals.isEmpty, let first = parsed.positionals.first {
      throw UsageError("unexpected argument '\(first)': \(spec.name) takes options only")
    }
    return parsed
  }

  /// ", did you mean '--x'?" for the closest visible option, or "".
  static func suggestion(for name: String, in spec: CommandSpec) -> String {
    let best = closestMatch(to: name, among: spec.options.filter { !$0.hidden }.map(\.long))
    if best == nil, let prefixed = spec.options.first(where: { !$0.hidden && $0.long.hasPrefix(name) && !name.isEmpty }) {
      return "; did you mean '--\(prefixed.long)'?"
    }
    return best.map { "; did you mean '--\($0)'?" } ?? ""
  }
}
