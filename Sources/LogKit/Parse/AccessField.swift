/*
 The fields of the access record (GUIDE §2), in output order.

 A parsed line fills a `FieldTable` slot per field; the writer walks this enum
 in order, so every format produces the same field order. Custom fields of a
 format (nginx `$request_length`, Apache `%P`, W3C `s-ip`, unknown JSON keys)
 follow the standard ones under lower_snake_case names.
*/

package enum AccessField: Int, CaseIterable, Sendable {
  case time, client, ident, user, method, path, query, `protocol`, request, status, bytes
  case referer, userAgent, requestTime, upstreamTime, vhost, port, forwardedFor

  /// The JSON key.
  package var name: String {
    switch self {
    case .time: "time"
    case .client: "client"
    case .ident: "ident"
    case .user: "user"
    case .method: "method"
    case .path: "path"
    case .query: "query"
    case .protocol: "protocol"
    case .request: "request"
    case .status: "status"
    case .bytes: "bytes"
    case .referer: "referer"
    case .userAgent: "user_agent"
    case .requestTime: "request_time"
    case .upstreamTime: "upstream_time"
    case .vhost: "vhost"
    case .port: "port"
    case .forwardedFor: "forwarded_for"
    }
  }

  /// The bit of this field in a field mask.
  @inline(__always)
  package var bit: UInt32 { 1 &<< UInt32(rawValue) }

  package init?(name: String) {
    guard let field = AccessField.allCases.first(where: { $0.name == name }) else { return nil }
    self = field
  }
}

/// `User-Agent` -> `user_agent`, `cs(Referer)` -> `cs_referer`, `RouterName` -> `router_name`:
/// letters lowercased, a word break before an upper-case letter that follows a lower-case
/// one, every run of other characters one `_`, no leading or trailing `_`.
package func snakeCase(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
  out.removeAll(keepingCapacity: true)
  var previousLower = false
  var pendingUnderscore = false
  for b in bytes {
    let isUpper = b >= 0x41 && b <= 0x5A
    let isLower = b >= 0x61 && b <= 0x7A
    let isDigit = b >= 0x30 && b <= 0x39
    if isUpper || isLower || isDigit {
      if (pendingUnderscore || (isUpper && previousLower)) && !out.isEmpty { out.append(0x5F) }
      pendingUnderscore = false
      out.append(isUpper ? b | 0x20 : b)
      previousLower = isLower || isDigit
    } else {
      pendingUnderscore = true
      previousLower = false
    }
  }
}

package func snakeCase(_ text: String) -> String {
  var s = text
  var out: [UInt8] = []
  s.withUTF8 { snakeCase(UnsafeRawBufferPointer($0), into: &out) }
  return String(decoding: out, as: UTF8.self)
}
