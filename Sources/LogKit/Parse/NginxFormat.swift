/*
 Compiles an nginx `log_format` string into a LineFormat.

 Variables map onto the record schema (GUIDE §2): $remote_addr client,
 $remote_user user, $time_local / $time_iso8601 / $msec time, $request,
 $status, $body_bytes_sent / $bytes_sent bytes, $http_referer,
 $http_user_agent, $http_x_forwarded_for, $request_time,
 $upstream_response_time, $host vhost, $server_port port, $request_method,
 $request_uri (path and query), $uri, $args / $query_string,
 $server_protocol. Any other variable is a custom field under its own name
 (`$request_length` -> request_length). nginx writes `-` for empty values
 and `\xHH` for quotes and control bytes, which stay as written.
*/

package enum NginxFormat {
  package static let combined = #"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent""#
  package static let main = combined + #" "$http_x_forwarded_for""#
  /// combined plus the request duration: the most common custom nginx format (and loggen --format nginx).
  package static let timed = combined + " $request_time"

  package static func compile(_ format: String, name: String = "nginx-format") throws(LogFormatError) -> LineFormat {
    let text = Array(format.utf8)
    var elements: [FormatElement] = []
    var names: [String] = []
    var taken = Set<String>()
    var literal: [UInt8] = []
    var i = 0
    func isNameByte(_ b: UInt8) -> Bool {
      (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b &- 48 < 10 || b == UInt8(ascii: "_")
    }
    while i < text.count {
      let c = text[i]
      guard c == UInt8(ascii: "$") else { literal.append(c); i += 1; continue }
      i += 1
      var name: String
      if i < text.count && text[i] == UInt8(ascii: "{") {
        guard let close = text[i...].firstIndex(of: UInt8(ascii: "}")) else {
          throw LogFormatError("unterminated '${' at position \(i)")
        }
        name = String(decoding: text[(i + 1)..<close], as: UTF8.self)
        i = close + 1
      } else {
        let start = i
        while i < text.count && isNameByte(text[i]) { i += 1 }
        name = String(decoding: text[start..<i], as: UTF8.self)
      }
      guard !name.isEmpty else { literal.append(UInt8(ascii: "$")); continue }
      if !literal.isEmpty { elements.append(.literal(literal)); literal = [] }
      let label = "$" + name
      var (field, capture, innerSpaces) = variable(name.lowercased())
      if let f = field, taken.contains(f.name) { field = nil }
      if let field {
        taken.insert(field.name)
        elements.append(.field(capture, label: label, innerSpaces: innerSpaces))
      } else {
        var n = snakeCase(name)
        var k = 2
        while taken.contains(n) { n = "\(snakeCase(name))_\(k)"; k += 1 }
        taken.insert(n)
        names.append(n)
        elements.append(.field(.custom(names.count - 1), label: label))
      }
    }
    if !literal.isEmpty { elements.append(.literal(literal)) }
    return try LineFormat(name: name, elements: elements, customNames: names)
  }

  /// The standard field a variable fills, or nil for a custom field.
  private static func variable(_ name: String) -> (AccessField?, Capture, Int) {
    switch name {
    case "remote_addr", "realip_remote_addr": return (.client, .text(.client), 0)
    case "remote_user": return (.user, .text(.user), 0)
    case "time_local": return (.time, .timeCLF, 1)
    case "time_iso8601": return (.time, .timeISO, 0)
    case "msec": return (.time, .timeEpoch, 0)
    case "request": return (.request, .request, 2)
    case "status": return (.status, .status, 0)
    case "body_bytes_sent", "bytes_sent": return (.bytes, .bytes, 0)
    case "http_referer": return (.referer, .text(.referer), 0)
    case "http_user_agent": return (.userAgent, .text(.userAgent), 0)
    case "http_x_forwarded_for": return (.forwardedFor, .text(.forwardedFor), 0)
    case "request_time": return (.requestTime, .duration(.requestTime, .seconds), 0)
    case "upstream_response_time": return (.upstreamTime, .duration(.upstreamTime, .seconds), 0)
    case "host": return (.vhost, .text(.vhost), 0)
    case "server_port": return (.port, .port, 0)
    case "request_method": return (.method, .text(.method), 0)
    case "request_uri": return (.path, .target, 0)
    case "uri", "document_uri": return (.path, .text(.path), 0)
    case "args", "query_string": return (.query, .query, 0)
    case "server_protocol": return (.protocol, .text(.protocol), 0)
    default: return (nil, .skip, 0)
    }
  }
}
