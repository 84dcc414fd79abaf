/*
 The few requests --serve answers, from the bytes of a request head.
*/

package struct HTTPResponse {
  package var head: String
  package var body: [UInt8]
  package var stream: Bool
}

package enum HTTPRequest {
  /// nil until the head is complete (a blank line); then the response.
  package static func route(_ request: [UInt8], page: [UInt8]) -> HTTPResponse? {
    guard let end = headEnd(request) else { return nil }
    let firstLine = request[..<end].split(separator: UInt8(ascii: "\r"), maxSplits: 1).first ?? []
    let parts = firstLine.split(separator: UInt8(ascii: " "))
    guard parts.count >= 2 else { return plain("400 Bad Request", "bad request\n") }
    let method = String(decoding: parts[0], as: UTF8.self)
    var target = String(decoding: parts[1], as: UTF8.self)
    if let q = target.firstIndex(of: "?") { target = String(target[..<q]) }
    guard method == "GET" || method == "HEAD" else {
      var r = plain("405 Method Not Allowed", "read-only: GET only\n")
      r.head = r.head.replacingOccurrences("\r\n\r\n", "\r\nAllow: GET, HEAD\r\n\r\n")
      return r
    }
    let common = "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
    switch target {
    case "/", "/index.html":
      let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\(common)Content-Length: \(page.count)\r\nConnection: close\r\n\r\n"
      return HTTPResponse(head: head, body: method == "HEAD" ? [] : page, stream: false)
    case "/events":
      let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\(common)Connection: keep-alive\r\n\r\n"
      return HTTPResponse(head: head, body: [], stream: method == "GET")
    default:
      return plain("404 Not Found", "not found\n")
    }
  }

  static func plain(_ status: String, _ text: String) -> HTTPResponse {
    let body = Array(text.utf8)
    return HTTPResponse(
      head: "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n",
      body: body, stream: false)
  }

  static func headEnd(_ bytes: [UInt8]) -> Int? {
    guard bytes.count >= 4 else { return nil }
    for i in 0...(bytes.count - 4)
    where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
      return i
    }
    return nil
  }
}

extension String {
  /// Replaces every occurrence (no Foundation).
  func replacingOccurrences(_ target: String, _ replacement: String) -> String {
    guard !target.isEmpty else { return self }
    var out = ""
    var rest = Substring(self)
    while let range = rest.firstRange(of: target) {
      out += rest[..<range.lowerBound]
      out += replacement
      rest = rest[range.upperBound...]
    }
    return out + rest
  }
}
