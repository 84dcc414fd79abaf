/*
 `--replay FILE`: the requests of a real log, kept in memory for re-emission.

 This holds a deliberately minimal Common/Combined Log reader (host, ident,
 user, [time], "request", status, bytes, optional "referer" "agent"), so loggen
 does not depend on logparse's parsers while both are being built. TODO after
 the merge: parse the base with the shared Parse/ parsers, which read every
 format logparse does. Lines it cannot read are skipped and counted.

 All field bytes live in one allocation; a record is a set of byte ranges.
*/
import Glibc

struct ReplayRecord {
  var client: Range<Int32>
  var user: Range<Int32>
  var method: Range<Int32>
  var path: Range<Int32>
  var query: Range<Int32>
  var protocolName: Range<Int32>
  var referer: Range<Int32>
  var agent: Range<Int32>
  var status: Int
  var bytes: Int
  /// ln of a plausible request time in ms (the base has none): assets are fast, big bodies slower.
  var latencyMu: Double
}

package final class ReplayBase {
  private let storage: UnsafeMutableRawPointer
  let records: UnsafeMutablePointer<ReplayRecord>
  package let count: Int
  /// Lines that could not be read.
  package let skipped: Int

  /// Reads `path` completely. Throws for an unreadable file; an empty result is the caller's error.
  package init(path: String) throws(IOError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw .openFailed(path: path, errno: errno) }
    defer { close(fd) }
    let reader = LineReader()
    reader.attach(fd: fd, path: path)
    var bytes: [UInt8] = []
    var list: [ReplayRecord] = []
    var bad = 0
    loop: while true {
      switch try reader.next() {
      case .line(let line):
        if let record = Self.parse(line, appendingTo: &bytes) { list.append(record) } else { bad += 1 }
      case .tooLong: bad += 1
      case .idle: continue
      case .interrupted, .end: break loop
      }
    }
    let block = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
    bytes.withUnsafeBytes { if let base = $0.baseAddress { block.copyMemory(from: base, byteCount: $0.count) } }
    storage = block
    count = list.count
    records = .allocate(capacity: max(list.count, 1))
    records.initialize(from: list, count: list.count)
    skipped = bad
  }

  deinit {
    storage.deallocate()
    records.deallocate()
  }

  @inline(__always)
  func bytes(_ r: Range<Int32>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: storage + Int(r.lowerBound), count: Int(r.upperBound - r.lowerBound))
  }

  /// The path of record `i`, for tests.
  package func path(_ i: Int) -> String { String(decoding: bytes(records[i].path), as: UTF8.self) }

  /// Reads one CLF/combined line; nil when it does not have that shape.
  static func parse(_ line: UnsafeRawBufferPointer, appendingTo out: inout [UInt8]) -> ReplayRecord? {
    var i = 0
    let n = line.count
    func field(until stop: UInt8) -> Range<Int>? {
      let start = i
      while i < n && line[i] != stop { i += 1 }
      guard i < n || stop == 0 else { return nil }
      return start..<i
    }
    func quoted() -> Range<Int>? {
      guard i < n, line[i] == UInt8(ascii: "\"") else { return nil }
      i += 1
      let start = i
      while i < n && line[i] != UInt8(ascii: "\"") {
        if line[i] == UInt8(ascii: "\\") { i += 1 }
        i += 1
      }
      guard i < n else { return nil }
      defer { i += 1 }
      return start..<i
    }
    func skipSpace() { while i < n && line[i] == UInt8(ascii: " ") { i += 1 } }
    func number(_ r: Range<Int>) -> Int? {
      if r.count == 1 && line[r.lowerBound] == UInt8(ascii: "-") { return 0 }
      var v = 0
      for k in r {
        let d = Int(line[k]) - 48
        guard d >= 0 && d <= 9, r.count <= 15 else { return nil }
        v = v * 10 + d
      }
      return r.isEmpty ? nil : v
    }
    guard let host = field(until: UInt8(ascii: " ")) else { return nil }
    skipSpace()
    guard field(until: UInt8(ascii: " ")) != nil else { return nil }
    skipSpace()
    guard let user = field(until: UInt8(ascii: " ")) else { return nil }
    skipSpace()
    guard i < n, line[i] == UInt8(ascii: "["), field(until: UInt8(ascii: "]")) != nil else { return nil }
    i += 1
    skipSpace()
    guard let request = quoted() else { return nil }
    skipSpace()
    guard let statusRange = field(until: UInt8(ascii: " ")), let status = number(statusRange), (100...599).contains(status)
    else { return nil }
    skipSpace()
    let bytesStart = i
    while i < n && line[i] != UInt8(ascii: " ") { i += 1 }
    guard let size = number(bytesStart..<i) else { return nil }
    skipSpace()
    var referer = i..<i
    var agent = i..<i
    if i < n, let r = quoted() {
      referer = r
      skipSpace()
      agent = quoted() ?? (i..<i)
    }
    // The request line: METHOD TARGET PROTOCOL; the target splits at '?'.
    var parts: [Range<Int>] = []
    var k = request.lowerBound
    while k < request.upperBound {
      let s = k
      while k < request.upperBound && line[k] != UInt8(ascii: " ") { k += 1 }
      if k > s { parts.append(s..<k) }
      k += 1
    }
    guard parts.count >= 2 else { return nil }
    var path = parts[1]
    var query = path.upperBound..<path.upperBound
    if let q = path.firstIndex(where: { line[$0] == UInt8(ascii: "?") }) {
      query = (q + 1)..<path.upperBound
      path = path.lowerBound..<q
    }
    func keep(_ r: Range<Int>) -> Range<Int32> {
      if r.count == 1 && line[r.lowerBound] == UInt8(ascii: "-") { return 0..<0 }
      let start = Int32(out.count)
      out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[r]))
      return start..<Int32(out.count)
    }
    let pathText = UnsafeRawBufferPointer(rebasing: line[path])
    let isAsset = pathText.count > 4 && [".gif", ".jpg", ".png", ".css", ".js", ".ico"].contains { ext in
      ext.utf8.count <= pathText.count && zip(ext.utf8, pathText.suffix(ext.utf8.count)).allSatisfy { $0 == $1 }
    }
    return ReplayRecord(
      client: keep(host), user: keep(user), method: keep(parts[0]), path: keep(path), query: keep(query),
      protocolName: parts.count >= 3 ? keep(parts[2]) : 0..<0, referer: keep(referer), agent: keep(agent),
      status: status, bytes: size,
      latencyMu: (isAsset ? log(2.0) : log(40.0)) + (size > 100_000 ? 1 : 0))
  }
}
