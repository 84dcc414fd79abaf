/*
 HOST:PORT for --serve: an IPv4 address (or `localhost`) and a port.
*/
import Glibc

package struct ListenAddress: Sendable, Equatable {
  package var host: String
  package var port: UInt16
  package var ipv4: UInt32  // network byte order

  package static func parse(_ text: String) throws(DashError) -> ListenAddress {
    guard let colon = text.lastIndex(of: ":") else { throw .invalidAddress(text) }
    var host = String(text[..<colon])
    let portText = text[text.index(after: colon)...]
    guard let port = UInt16(portText) else { throw .invalidAddress(text) }
    if host.isEmpty || host == "localhost" { host = "127.0.0.1" }
    var address = in_addr()
    guard inet_pton(AF_INET, host, &address) == 1 else { throw .invalidAddress(text) }
    return ListenAddress(host: host, port: port, ipv4: address.s_addr)
  }

  package var isLoopback: Bool { host.hasPrefix("127.") }
}
