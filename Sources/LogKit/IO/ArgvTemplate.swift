/*
 An argv with `{name}` placeholders: logalert's and logscale's --exec.

 Each argument is split once into literal text and placeholders; rendering
 substitutes values inside that one argument only (`--replicas={replicas}`
 stays one argument whatever the value holds: spaces, quotes, `;`, `$(...)`).
 No shell ever sees the result. A placeholder is `{` NAME `}` where NAME is
 letters, digits, `_`, `-` and inner dots, starting with a letter or `_`;
 anything else in braces is literal (`jsonpath={.spec.replicas}` passes
 unchanged), and `{{` / `}}` are literal braces. `{NAME:json}` writes the
 value escaped for the inside of a JSON string (`'{"text":"{summary:json}"}'`).
*/

package struct ArgvTemplate: Sendable, Equatable {
  package enum Piece: Sendable, Equatable {
    case literal(String)
    case field(String)
    /// `{name:json}`: the value escaped for the inside of a JSON string.
    case jsonField(String)
  }

  /// One list of pieces per argument.
  package let arguments: [[Piece]]

  package init(_ argv: [String]) {
    arguments = argv.map(Self.pieces)
  }

  /// Every placeholder name, in order of first use.
  package var fieldNames: [String] {
    var seen: [String] = []
    for pieces in arguments {
      for piece in pieces {
        switch piece {
        case .field(let name), .jsonField(let name): if !seen.contains(name) { seen.append(name) }
        case .literal: continue
        }
      }
    }
    return seen
  }

  /// The argv with each placeholder replaced by `lookup(name)` ("" when nil).
  package func render(_ lookup: (String) -> String?) -> [String] {
    arguments.map { pieces in
      var text = ""
      for piece in pieces {
        switch piece {
        case .literal(let literal): text += literal
        case .field(let name): text += lookup(name) ?? ""
        case .jsonField(let name): text += jsonEscaped(lookup(name) ?? "")
        }
      }
      return text
    }
  }

  static func pieces(_ argument: String) -> [Piece] {
    var pieces: [Piece] = []
    var literal = ""
    var rest = Substring(argument)
    while let brace = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
      literal += rest[..<brace]
      let after = rest.index(after: brace)
      if after < rest.endIndex, rest[after] == rest[brace] {
        literal.append(rest[brace])
        rest = rest[rest.index(after: after)...]
        continue
      }
      if rest[brace] == "{", let close = rest[after...].firstIndex(of: "}"), let field = field(rest[after..<close]) {
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        literal = ""
        pieces.append(field)
        rest = rest[rest.index(after: close)...]
        continue
      }
      literal.append(rest[brace])
      rest = rest[after...]
    }
    literal += rest
    if !literal.isEmpty || pieces.isEmpty { pieces.append(.literal(literal)) }
    return pieces
  }

  static func field(_ body: Substring) -> Piece? {
    if body.hasSuffix(":json") {
      let name = body.dropLast(5)
      return isName(name) ? .jsonField(String(name)) : nil
    }
    return isName(body) ? .field(String(body)) : nil
  }

  static func isName(_ text: Substring) -> Bool {
    guard let first = text.first, first == "_" || first.isASCIILetter, text.last != "." else { return false }
    return text.allSatisfy { $0.isASCIILetter || ($0.isASCII && $0.isNumber) || $0 == "_" || $0 == "-" || $0 == "." }
  }
}

extension Character {
  fileprivate var isASCIILetter: Bool { isASCII && isLetter }
}

/// An environment variable name from a field name: upper-cased, every
/// character other than A-Z, 0-9 and `_` becomes `_` (`client.ip` → `CLIENT_IP`).
package func environmentName(_ field: String) -> String {
  String(field.uppercased().map { c -> Character in
    c.isASCII && (c.isLetter || c.isNumber || c == "_") ? c : "_"
  })
}
