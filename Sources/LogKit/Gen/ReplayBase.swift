/*
 `--replay FILE`: the requests of a real log, kept in memory for re-emission.

 The base is read with logparse's own LogParser, so replay takes every format
 logparse reads (detected per file by default, or fixed by --replay-format,
 --replay-apache-format, --replay-nginx-format) and sees the same values
 (`\"` decoded, `-` absent). It keeps what a re-emitted request needs:
 client, user, request parts, status, bytes, referer, user agent, and request
 time, virtual host and port when the base has them. A record needs a method, a path and a status to be
 replayed; lines the parser rejects and records without those are counted and
 the first few reported like any bad input (`loggen: FILE:LINE: reason`).

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
  /// Virtual host and port (0) when the base has them (vhost_combined, W3C cs-host, JSON).
  var vhost: Range<Int32>
  var port: Int
  var status: Int
  var bytes: Int
  /// The base's request time in milliseconds, or -1 when it has none.
  var requestMillis: Int
  /// ln of a plausible request time in ms when the base has none: assets are fast, big bodies slower.
  var latencyMu: Double
}

package final class ReplayBase {
  private let storage: UnsafeMutableRawPointer
  let records: UnsafeMutablePointer<ReplayRecord>
  package let count: Int
  /// Lines read, and lines that could not be replayed (rejected by the parser, or no request).
  package let lines: Int
  package let skipped: Int

  /// Reads `path` completely with `parser`. Throws for an unreadable file; an empty result is the caller's error.
  /// `reportFirst` bad lines are reported on stderr, as `command: ...`, as they are found.
  package init(path: String, parser: LogParser, command: String, reportFirst: Int = 5) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw IOError.openFailed(path: path, errno: errno) }
    defer { close(fd) }
    let reader = LineReader()
    reader.attach(fd: fd, path: path)
    let bad = try BadInput(command: command, rejectsPath: nil, limit: nil, reportFirst: reportFirst)
    var bytes: [UInt8] = []
    var list: [ReplayRecord] = []
    var total = 0
    loop: while true {
      switch try reader.next() {
      case .line(let line):
        total += 1
        let reason: String
        switch parser.parse(line) {
        case .skip:
          continue
        case .reject(let failure):
          reason = failure.description
        case .record:
          if let record = Self.record(parser.table, appendingTo: &bytes) {
            list.append(record)
            continue
          }
          reason = parser.table.has(.status) ? "no request method and path to replay" : "no status to replay"
        }
        try bad.reject(path: path, line: reader.lineNumber, reason: reason, raw: nil)
      case .tooLong(let length, _):
        total += 1
        try bad.reject(path: path, line: reader.lineNumber, reason: "line of \(length) bytes is too long", raw: nil)
      case .idle: continue
      case .interrupted, .end: break loop
      }
    }
    bad.summary(of: total, noun: "lines of \(path)")
    let block = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 8)
    bytes.withUnsafeBytes { if let base = $0.baseAddress { block.copyMemory(from: base, byteCount: $0.count) } }
    storage = block
    count = list.count
    records = .allocate(capacity: max(list.count, 1))
    records.initialize(from: list, count: list.count)
    lines = total
    skipped = bad.count
  }

  deinit {
    storage.deallocate()
    records.deallocate()
  }

  @inline(__always)
  func bytes(_ r: Range<Int32>) -> UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: storage + Int(r.lowerBound), count: Int(r.upperBound - r.lowerBound))
  }

  /// The text of `field` of record `i` ("" when absent), for tests.
  package func text(_ i: Int, _ field: AccessField) -> String {
    let r = records[i]
    let range: Range<Int32>
    switch field {
    case .client: range = r.client
    case .user: range = r.user
    case .method: range = r.method
    case .path: range = r.path
    case .query: range = r.query
    case .protocol: range = r.protocolName
    case .referer: range = r.referer
    case .userAgent: range = r.agent
    case .vhost: range = r.vhost
    default: return ""
    }
    return String(decoding: bytes(range), as: UTF8.self)
  }

  /// Status, bytes and request time (ms, -1 when the base has none) of record `i`, for tests.
  package func numbers(_ i: Int) -> (status: Int, bytes: Int, requestMillis: Int) {
    (records[i].status, records[i].bytes, records[i].requestMillis)
  }

  /// What replay keeps of a parsed line; nil without method, path or status.
  static func record(_ t: FieldTable, appendingTo out: inout [UInt8]) -> ReplayRecord? {
    guard t.has(.method), t.has(.path), t.has(.status) else { return nil }
    func keep(_ field: AccessField) -> Range<Int32> {
      guard t.has(field) else { return 0..<0 }
      let start = Int32(out.count)
      out.append(contentsOf: t.strings[field.rawValue])
      return start..<Int32(out.count)
    }
    let size = t.has(.bytes) ? t.bytes : 0
    let pathText = t.strings[AccessField.path.rawValue]
    let isAsset = [".gif", ".jpg", ".png", ".css", ".js", ".ico"].contains { ext in
      ext.utf8.count < pathText.count && zip(ext.utf8, pathText.suffix(ext.utf8.count)).allSatisfy { $0 == $1 }
    }
    return ReplayRecord(
      client: keep(.client), user: keep(.user), method: keep(.method), path: keep(.path), query: keep(.query),
      protocolName: keep(.protocol), referer: keep(.referer), agent: keep(.userAgent),
      vhost: keep(.vhost), port: t.has(.port) ? t.port : 0, status: t.status, bytes: size,
      requestMillis: t.has(.requestTime) ? Int(t.requestTime / 1000) : -1,
      latencyMu: (isAsset ? log(2.0) : log(40.0)) + (size > 100_000 ? 1 : 0))
  }
}
