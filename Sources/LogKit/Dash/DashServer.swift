/*
 The --serve HTTP server: GET / returns the page, GET /events streams each
 new page as a Server-Sent Event. Single-threaded and non-blocking: the run
 loop calls poll() on its clock; nothing here ever waits on a client. A
 client whose unsent data passes `maxQueued` (slow or gone) is dropped,
 connections are capped, idle request readers time out. Read-only: any
 other method gets 405.
*/
import Glibc

package final class DashServer {
  struct Connection {
    var fd: Int32
    var request: [UInt8] = []
    var outgoing: [UInt8] = []
    var sent = 0
    var streaming = false
    var closeWhenSent = false
    var opened: Int64
  }

  package let port: UInt16
  let listener: Int32
  var connections: [Connection] = []
  var page: [UInt8] = Array("<!DOCTYPE html><title>logdash</title><p>starting</p>".utf8)
  package let maxConnections = 32
  let maxQueued = 8 << 20
  let maxRequest = 8192
  /// Clients dropped for being too slow, and connections refused for being over the cap.
  package private(set) var droppedSlow = 0
  package private(set) var refused = 0
  var lastHeartbeat: Int64 = 0

  package init(address: ListenAddress) throws(DashError) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw .socket("socket", errno: errno) }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = address.port.bigEndian
    addr.sin_addr.s_addr = address.ipv4
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
      let code = errno
      close(fd)
      throw .socket("cannot listen on \(address.host):\(address.port)", errno: code)
    }
    guard listen(fd, 16) == 0 else {
      let code = errno
      close(fd)
      throw .socket("listen", errno: code)
    }
    var actual = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &actual) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    listener = fd
    port = UInt16(bigEndian: actual.sin_port)
  }

  deinit {
    for c in connections { close(c.fd) }
    close(listener)
  }

  package var connectionCount: Int { connections.count }

  /// A new version of the page: served from now on and pushed to every stream.
  package func publish(_ html: String) {
    page = Array(html.utf8)
    var event: [UInt8] = Array("event: page\n".utf8)
    event.reserveCapacity(page.count + page.count / 20 + 32)
    for line in page.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      event += Array("data: ".utf8)
      event += line
      event.append(UInt8(ascii: "\n"))
    }
    event.append(UInt8(ascii: "\n"))
    for i in connections.indices where connections[i].streaming { queue(i, event) }
  }

  /// Accepts, reads requests, writes what each socket takes now. Never blocks.
  package func poll() {
    acceptPending()
    let now = monotonicMicros()
    if now - lastHeartbeat > 15_000_000 {
      lastHeartbeat = now
      for i in connections.indices where connections[i].streaming { queue(i, Array(": keep-alive\n\n".utf8)) }
    }
    var keep: [Connection] = []
    keep.reserveCapacity(connections.count)
    for var c in connections {
      if service(&c, now: now) { keep.append(c) } else { close(c.fd) }
    }
    connections = keep
  }

  private func acceptPending() {
    while true {
      let fd = accept(listener, nil, nil)
      guard fd >= 0 else { return }
      _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
      _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      if connections.count >= maxConnections {
        refused &+= 1
        let busy = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        busy.withUnsafeBytes { _ = send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        close(fd)
        continue
      }
      var one: Int32 = 1
      setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
      connections.append(Connection(fd: fd, opened: monotonicMicros()))
    }
  }

  /// False when the connection should close.
  private func service(_ c: inout Connection, now: Int64) -> Bool {
    if c.closeWhenSent && c.outgoing.isEmpty { return false }
    if !c.streaming && !c.closeWhenSent {
      guard readRequest(&c) else { return false }
      if c.outgoing.isEmpty && now - c.opened > 10_000_000 { return false }
    }
    if c.streaming {
      // Detect a closed peer: a readable stream socket with nothing to read.
      var byte: UInt8 = 0
      let n = recv(c.fd, &byte, 1, Int32(MSG_DONTWAIT))
      if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return false }
    }
    return flush(&c)
  }

  private func readRequest(_ c: inout Connection) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = buffer.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
      if n == 0 { return false }
      if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR }
      c.request += buffer[0..<n]
      if c.request.count > maxRequest {
        respond(&c, status: "431 Request Header Fields Too Large", type: "text/plain", body: Array("request too large\n".utf8))
        return true
      }
      if let response = HTTPRequest.route(c.request, page: page) {
        if response.stream {
          c.streaming = true
          c.outgoing = Array(response.head.utf8)
          publishCurrent(&c)
        } else {
          c.outgoing = Array(response.head.utf8) + response.body
          c.closeWhenSent = true
        }
        return true
      }
    }
  }

  private func publishCurrent(_ c: inout Connection) {
    var event: [UInt8] = Array("event: page\n".utf8)
    for line in page.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      event += Array("data: ".utf8) + line + [UInt8(ascii: "\n")]
    }
    c.outgoing += event + [UInt8(ascii: "\n")]
  }

  private func respond(_ c: inout Connection, status: String, type: String, body: [UInt8]) {
    let head = "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
    c.outgoing = Array(head.utf8) + body
    c.closeWhenSent = true
  }

  private func queue(_ i: Int, _ bytes: [UInt8]) {
    if connections[i].outgoing.count - connections[i].sent + bytes.count > maxQueued {
      // Too slow to keep up: drop it rather than buffer without bound.
      droppedSlow &+= 1
      connections[i].streaming = false
      connections[i].outgoing = []
      connections[i].sent = 0
      connections[i].closeWhenSent = true
      return
    }
    connections[i].outgoing += bytes
  }

  /// Writes what the socket accepts; false when done with a closing response or on error.
  private func flush(_ c: inout Connection) -> Bool {
    while c.sent < c.outgoing.count {
      let n = c.outgoing.withUnsafeBytes {
        send(c.fd, $0.baseAddress.map { $0 + c.sent }, $0.count - c.sent, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
      }
      if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR }
      c.sent += n
    }
    c.outgoing.removeAll(keepingCapacity: true)
    c.sent = 0
    return !c.closeWhenSent
  }
}
