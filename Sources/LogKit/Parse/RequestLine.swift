/*
 Splitting an HTTP request line `METHOD TARGET [PROTOCOL]` into method, path,
 query and protocol.

 Runs of spaces between the parts are tolerated (NASA 1995 logs have
 `"GET /x   HTTP/1.0"`) and the protocol may be missing (HTTP/0.9 style
 `"GET /"`). Anything else (TLS handshakes, `"Gh0st\xad"`, junk after the
 protocol) is kept verbatim in `request` with no method or path: the record
 survives and nothing is guessed.
*/

import Glibc

enum RequestLine {
  /// The first `byte` in `bytes` at or after `start`, or `bytes.count` (firstIndex: methods are short, paths run to 100 bytes).
  @inline(__always)
  static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
    guard start < bytes.count, let base = bytes.baseAddress else { return bytes.count }
    return firstIndex(of: byte, in: base, from: start, to: bytes.count) ?? bytes.count
  }

  @inline(__always)
  static func split(_ line: UnsafeRawBufferPointer, into table: FieldTable) {
    let n = line.count
    var i = 0
    // Method: a token of letters, '-' and '_' (WebDAV has VERSION-CONTROL).
    while i < n && i <= 32 {
      let b = line[i] | 0x20
      if (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || line[i] == UInt8(ascii: "-") || line[i] == UInt8(ascii: "_") {
        i += 1
      } else {
        break
      }
    }
    let methodEnd = i
    guard methodEnd > 0, methodEnd <= 32, i < n, line[i] == 0x20 else { return keepRaw(line, table) }
    while i < n && line[i] == 0x20 { i += 1 }
    let targetStart = i
    i = index(of: 0x20, in: line, from: i)
    let targetEnd = i
    guard targetEnd > targetStart else { return keepRaw(line, table) }
    while i < n && line[i] == 0x20 { i += 1 }
    var protocolRange: Range<Int>?
    if i < n {
      let protocolStart = i
      i = index(of: 0x20, in: line, from: i)
      let protocolEnd = i
      while i < n && line[i] == 0x20 { i += 1 }
      guard i == n, protocolEnd - protocolStart >= 6, line[protocolStart] == UInt8(ascii: "H"),
        line[protocolStart + 1] == UInt8(ascii: "T"), line[protocolStart + 2] == UInt8(ascii: "T"),
        line[protocolStart + 3] == UInt8(ascii: "P"), line[protocolStart + 4] == UInt8(ascii: "/")
      else { return keepRaw(line, table) }
      protocolRange = protocolStart..<protocolEnd
    }
    table.setText(.method, UnsafeRawBufferPointer(rebasing: line[0..<methodEnd]))
    splitTarget(UnsafeRawBufferPointer(rebasing: line[targetStart..<targetEnd]), into: table)
    if let protocolRange { table.setText(.protocol, UnsafeRawBufferPointer(rebasing: line[protocolRange])) }
  }

  @inline(__always)
  private static func keepRaw(_ line: UnsafeRawBufferPointer, _ table: FieldTable) {
    table.setText(.request, line)
  }

  /// `/a/b?x=1` -> path `/a/b`, query `x=1` (an empty query is left out).
  @inline(__always)
  static func splitTarget(_ target: UnsafeRawBufferPointer, into table: FieldTable) {
    let n = target.count
    let q = index(of: UInt8(ascii: "?"), in: target, from: 0)
    if q > 0 { table.setText(.path, UnsafeRawBufferPointer(rebasing: target[0..<q])) }
    if q + 1 < n { table.setText(.query, UnsafeRawBufferPointer(rebasing: target[(q + 1)..<n])) }
  }
}
