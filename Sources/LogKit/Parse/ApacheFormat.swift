/*
 Compiles an Apache `LogFormat` string into a LineFormat.

 Directives map onto the record schema (GUIDE §2): %h/%a client, %l ident,
 %u user, %t time, %r request, %m %U %q %H its parts, %>s/%s status, %b/%B/%O
 bytes, %D/%T request_time, %v vhost, %p port, %{Referer}i, %{User-Agent}i,
 %{X-Forwarded-For}i. Every other directive becomes a custom field with a
 lower_snake_case name (`%P` pid, `%{X-Request-Id}i` x_request_id,
 `%{Content-Type}o` resp_content_type, `%{HOME}e` env_home). A second
 directive for a field already taken also becomes a custom field.
 Conditions and modifiers (`%>s`, `%400,501{Referer}i`) are accepted;
 `\"`, `\\`, `\t` and `\n` are unescaped as Apache does when reading its
 configuration.
*/

package enum ApacheFormat {
  package static let common = #"%h %l %u %t "%r" %>s %b"#
  package static let combined = #"%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i""#
  package static let vhostCombined = #"%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i""#

  package static func compile(_ format: String, name: String = "apache-format") throws(LogFormatError) -> LineFormat {
    let text = Array(unescapeConfig(format).utf8)
    var elements: [FormatElement] = []
    var names: [String] = []
    var taken = Set<String>()
    var literal: [UInt8] = []
    var i = 0
    func custom(_ name: String, _ label: String) -> FormatElement {
      var n = name
      var k = 2
      while taken.contains(n) { n = "\(name)_\(k)"; k += 1 }
      taken.insert(n)
      names.append(n)
      return .field(.custom(names.count - 1), label: label)
    }
    func standard(_ field: AccessField, _ capture: Capture, _ label: String, fallback: String, bracketed: Bool = false, innerSpaces: Int = 0) -> FormatElement {
      if taken.contains(field.name) { return custom(fallback, label) }
      taken.insert(field.name)
      return .field(capture, label: label, bracketed: bracketed, innerSpaces: innerSpaces)
    }
    while i < text.count {
      let c = text[i]
      guard c == UInt8(ascii: "%") else { literal.append(c); i += 1; continue }
      let directiveStart = i
      i += 1
      // Modifiers: `<`, `>`, status conditions `!400,501`.
      while i < text.count, text[i] == UInt8(ascii: "<") || text[i] == UInt8(ascii: ">") || text[i] == UInt8(ascii: "!")
        || text[i] == UInt8(ascii: ",") || text[i] &- 48 < 10
      {
        i += 1
      }
      var argument: String?
      if i < text.count && text[i] == UInt8(ascii: "{") {
        guard let close = text[i...].firstIndex(of: UInt8(ascii: "}")) else {
          throw LogFormatError("unterminated '{' in directive at position \(directiveStart + 1)")
        }
        argument = String(decoding: text[(i + 1)..<close], as: UTF8.self)
        i = close + 1
      }
      guard i < text.count else { throw LogFormatError("format ends inside a directive") }
      let letter = text[i]
      i += 1
      let label = String(decoding: text[directiveStart..<i], as: UTF8.self)
      if letter == UInt8(ascii: "%") { literal.append(letter); continue }
      if !literal.isEmpty { elements.append(.literal(literal)); literal = [] }
      elements.append(try directive(Character(UnicodeScalar(letter)), argument, label, standard, custom))
    }
    if !literal.isEmpty { elements.append(.literal(literal)) }
    // `%U%q` (path directly followed by query) is one request target.
    var k = 0
    while k + 1 < elements.count {
      if case .field(.text(.path), let label, _, _) = elements[k], case .field(.query, let next, _, _) = elements[k + 1] {
        elements[k] = .field(.target, label: label + next)
        elements.remove(at: k + 1)
      }
      k += 1
    }
    return try LineFormat(name: name, elements: elements, customNames: names)
  }

  private static func directive(
    _ letter: Character, _ argument: String?, _ label: String,
    _ standard: (AccessField, Capture, String, String, Bool, Int) -> FormatElement,
    _ custom: (String, String) -> FormatElement
  ) throws(LogFormatError) -> FormatElement {
    func std(_ field: AccessField, _ capture: Capture, fallback: String) -> FormatElement {
      standard(field, capture, label, fallback, false, 0)
    }
    switch letter {
    case "h": return std(.client, .text(.client), fallback: "remote_host")
    case "a": return argument == "c" ? custom("peer_ip", label) : std(.client, .text(.client), fallback: "remote_ip")
    case "l": return std(.ident, .text(.ident), fallback: "ident_2")
    case "u": return std(.user, .text(.user), fallback: "user_2")
    case "t": return timeDirective(argument, label, standard, custom)
    case "r": return standard(.request, .request, label, "request_line", false, 2)
    case "m": return std(.method, .text(.method), fallback: "request_method")
    case "U": return std(.path, .text(.path), fallback: "url_path")
    case "q": return std(.query, .query, fallback: "query_string")
    case "H": return std(.protocol, .text(.protocol), fallback: "request_protocol")
    case "s": return std(.status, .status, fallback: "original_status")
    case "b", "B": return std(.bytes, .bytes, fallback: "response_bytes")
    case "O": return std(.bytes, .bytes, fallback: "bytes_sent")
    case "I": return custom("bytes_received", label)
    case "S": return custom("bytes_transferred", label)
    case "D": return std(.requestTime, .duration(.requestTime, .microseconds), fallback: "request_time_us")
    case "T":
      let unit: DurationUnit
      switch argument {
      case nil, "s": unit = .seconds
      case "ms": unit = .milliseconds
      case "us": unit = .microseconds
      default: throw LogFormatError("unknown unit '\(argument ?? "")' in \(label): expected s, ms or us")
      }
      return std(.requestTime, .duration(.requestTime, unit), fallback: "request_time_\(argument ?? "s")")
    case "v": return std(.vhost, .text(.vhost), fallback: "server_name")
    case "V": return custom("server_name", label)
    case "p":
      switch argument {
      case nil, "canonical", "local": return std(.port, .port, fallback: "local_port")
      case "remote": return custom("remote_port", label)
      default: throw LogFormatError("unknown port kind '\(argument ?? "")' in \(label)")
      }
    case "i":
      guard let header = argument, !header.isEmpty else { throw LogFormatError("\(label) needs a header name") }
      switch header.lowercased() {
      case "referer", "referrer": return std(.referer, .text(.referer), fallback: "referer_2")
      case "user-agent": return std(.userAgent, .text(.userAgent), fallback: "user_agent_2")
      case "x-forwarded-for": return std(.forwardedFor, .text(.forwardedFor), fallback: "x_forwarded_for")
      default: return custom(snakeCase(header), label)
      }
    case "o": return custom("resp_" + snakeCase(argument ?? "header"), label)
    case "e": return custom("env_" + snakeCase(argument ?? "var"), label)
    case "n": return custom("note_" + snakeCase(argument ?? "note"), label)
    case "C": return custom("cookie_" + snakeCase(argument ?? "cookie"), label)
    case "x", "^": return custom(snakeCase(argument ?? "extension"), label)
    case "A": return custom("local_ip", label)
    case "P": return custom(argument.map { "pid_" + snakeCase($0) } ?? "pid", label)
    case "X": return custom("connection_status", label)
    case "k": return custom("keepalives", label)
    case "L": return custom("log_id", label)
    case "R": return custom("handler", label)
    case "f": return custom("filename", label)
    case "M": return custom("message", label)
    default: throw LogFormatError("unsupported directive \(label)")
    }
  }

  /// `%t` is `[10/Oct/2000:13:55:36 -0700]`; `%{sec}t`, `%{msec}t`, `%{usec}t` are epoch numbers;
  /// `%{strftime}t` is matched as one value with as many spaces as the pattern and parsed by shape.
  private static func timeDirective(
    _ argument: String?, _ label: String,
    _ standard: (AccessField, Capture, String, String, Bool, Int) -> FormatElement,
    _ custom: (String, String) -> FormatElement
  ) -> FormatElement {
    guard var pattern = argument else { return standard(.time, .timeCLF, label, "request_received", true, 1) }
    for prefix in ["begin:", "end:"] where pattern.hasPrefix(prefix) { pattern.removeFirst(prefix.count) }
    switch pattern {
    case "sec": return standard(.time, .timeEpoch, label, "time_sec", false, 0)
    case "msec":
      // Whole milliseconds since the epoch: 13 digits, read as milliseconds by TimeParser.epoch.
      return standard(.time, .timeEpoch, label, "time_msec", false, 0)
    case "usec", "msec_frac", "usec_frac": return custom("time_\(pattern)", label)
    default:
      let spaces = pattern.utf8.filter { $0 == 0x20 }.count
      return standard(.time, .timeAny, label, "time_text", false, spaces)
    }
  }

  /// Apache unescapes `\"`, `\\`, `\t`, `\n` in configuration strings.
  static func unescapeConfig(_ text: String) -> String {
    var out = ""
    var escaping = false
    for c in text {
      if escaping {
        switch c {
        case "t": out.append("\t")
        case "n": out.append("\n")
        default: out.append(c)
        }
        escaping = false
      } else if c == "\\" {
        escaping = true
      } else {
        out.append(c)
      }
    }
    if escaping { out.append("\\") }
    return out
  }
}
