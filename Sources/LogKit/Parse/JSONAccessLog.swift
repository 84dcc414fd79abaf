/*
 JSON access logs (one object per line) mapped onto the record schema: nginx
 `log_format ... escape=json`, Caddy (`request.remote_ip`, `request.headers`
 arrays, `ts` epoch seconds, `duration` seconds) and Traefik (`ClientHost`,
 `DownstreamStatus`, `Duration` in nanoseconds, `StartUTC`).

 The shared NDJSON scanner reads and validates the line; this file only maps
 key paths onto fields. Top-level fields are taken in line order: a known key
 goes through FieldTable.store like any other format (a better-ranked key
 wins when a log has several, e.g. Traefik's StartUTC over its own `time`;
 among equal ranks the first in the line), other top-level scalars become
 custom fields under snake_case names, and null counts as absent. Objects are
 walked only where the table has keys below them (Caddy's `request` and
 `request.headers`); an array stands for its first element when that is a
 string (Caddy's header arrays). Anything else nested is skipped.
*/
import Glibc

final class JSONAccessLog {
  /// One component of a mapped key path. Siblings form a level, sorted by name
  /// length so that a lookup compares only names of the right length.
  private struct Entry {
    /// The name's bytes in `names`.
    var nameStart: Int
    /// What a scalar here becomes; nil for a parent only (`request.headers`),
    /// whose slot and rank are then unused.
    var capture: Capture?
    var slot: AccessField
    var rank: Int
    /// The level of the keys below this one, or -1.
    var children: Int
  }

  /// A key path tree, only used to build the levels.
  private struct Node {
    var name: [UInt8]
    var leaf: (Capture, AccessField, Int)?
    var children: [Node] = []

    mutating func insert(_ path: ArraySlice<[UInt8]>, _ leaf: (Capture, AccessField, Int)) {
      guard let first = path.first else {
        self.leaf = leaf
        return
      }
      if let k = children.firstIndex(where: { $0.name == first }) {
        children[k].insert(path.dropFirst(), leaf)
      } else {
        var child = Node(name: first)
        child.insert(path.dropFirst(), leaf)
        children.append(child)
      }
    }
  }

  private let scanner = NDJSONScanner()
  private let table: FieldTable
  private let entries: [Entry]
  /// Per level, `maxNameLength + 2` entry indices: names of length `n` are
  /// entries `lengthStart[base + n] ..< lengthStart[base + n + 1]`.
  private let lengthStart: [Int]
  private let maxNameLength: Int
  /// All key names, back to back.
  private let names: UnsafeMutablePointer<UInt8>
  /// Per AccessField, the rank of the key that set it on this line.
  private let best: UnsafeMutablePointer<Int>
  private var nameBuffer: [UInt8] = []

  init(table: FieldTable) {
    self.table = table
    func k(_ path: String, _ capture: Capture, _ slot: AccessField, _ rank: Int = 1) -> (String, Capture, AccessField, Int) {
      (path, capture, slot, rank)
    }
    let keys = [
      k("time_iso8601", .timeAny, .time), k("time_local", .timeAny, .time), k("StartUTC", .timeAny, .time),
      k("msec", .timeAny, .time, 2), k("ts", .timeAny, .time, 2), k("StartLocal", .timeAny, .time, 2),
      k("timestamp", .timeAny, .time, 3), k("@timestamp", .timeAny, .time, 3), k("time", .timeAny, .time, 4),
      k("request.client_ip", .text(.client), .client), k("ClientHost", .text(.client), .client),
      k("remote_addr", .text(.client), .client, 2), k("request.remote_ip", .text(.client), .client, 2),
      k("client_ip", .text(.client), .client, 2), k("client", .text(.client), .client, 3),
      k("request.remote_addr", .text(.client), .client, 4),
      k("ident", .text(.ident), .ident), k("remote_user", .text(.user), .user), k("ClientUsername", .text(.user), .user), k("user", .text(.user), .user, 2),
      k("user_id", .text(.user), .user, 3),
      k("request", .request, .request),
      k("request_method", .text(.method), .method), k("RequestMethod", .text(.method), .method),
      k("request.method", .text(.method), .method), k("method", .text(.method), .method, 2),
      k("request_uri", .target, .path), k("RequestPath", .target, .path), k("request.uri", .target, .path),
      k("uri", .text(.path), .path, 2), k("path", .text(.path), .path, 2),
      k("args", .query, .query), k("query_string", .query, .query), k("query", .query, .query, 2),
      k("server_protocol", .text(.protocol), .protocol), k("RequestProtocol", .text(.protocol), .protocol),
      k("request.proto", .text(.protocol), .protocol), k("protocol", .text(.protocol), .protocol, 2),
      k("status", .status, .status), k("DownstreamStatus", .status, .status), k("status_code", .status, .status, 2),
      k("OriginStatus", .status, .status, 3),
      k("body_bytes_sent", .bytes, .bytes), k("size", .bytes, .bytes), k("DownstreamContentSize", .bytes, .bytes),
      k("bytes_sent", .bytes, .bytes, 2), k("bytes", .bytes, .bytes, 2),
      k("http_referer", .text(.referer), .referer), k("http_referrer", .text(.referer), .referer),
      k("request.headers.Referer", .text(.referer), .referer), k("request_Referer", .text(.referer), .referer),
      k("referer", .text(.referer), .referer, 2), k("referrer", .text(.referer), .referer, 2),
      k("http_user_agent", .text(.userAgent), .userAgent), k("request.headers.User-Agent", .text(.userAgent), .userAgent),
      k("request_User-Agent", .text(.userAgent), .userAgent), k("user_agent", .text(.userAgent), .userAgent, 2),
      k("request_time", .duration(.requestTime, .seconds), .requestTime),
      k("duration", .duration(.requestTime, .seconds), .requestTime),
      k("Duration", .duration(.requestTime, .nanoseconds), .requestTime),
      k("upstream_response_time", .duration(.upstreamTime, .seconds), .upstreamTime),
      k("upstream_time", .duration(.upstreamTime, .seconds), .upstreamTime, 2),
      k("OriginDuration", .duration(.upstreamTime, .nanoseconds), .upstreamTime),
      k("host", .text(.vhost), .vhost), k("request.host", .text(.vhost), .vhost), k("RequestHost", .text(.vhost), .vhost),
      k("vhost", .text(.vhost), .vhost), k("http_host", .text(.vhost), .vhost, 2), k("server_name", .text(.vhost), .vhost, 3),
      k("server_port", .port, .port), k("RequestPort", .port, .port), k("port", .port, .port, 2),
      k("http_x_forwarded_for", .text(.forwardedFor), .forwardedFor), k("forwarded_for", .text(.forwardedFor), .forwardedFor, 2),
      k("request.headers.X-Forwarded-For", .text(.forwardedFor), .forwardedFor),
      k("request_X-Forwarded-For", .text(.forwardedFor), .forwardedFor),
      k("x_forwarded_for", .text(.forwardedFor), .forwardedFor, 2),
    ]

    var root = Node(name: [])
    for (path, capture, slot, rank) in keys {
      root.insert(path.split(separator: ".").map { Array($0.utf8) }[...], (capture, slot, rank))
    }
    // Breadth first: level 0 is the top level; a node's children become a new level.
    var levels = [root.children]
    var entries: [Entry] = []
    var nameBytes: [UInt8] = []
    var lengthStart: [Int] = []
    let maxNameLength = keys.map { $0.0.split(separator: ".").map(\.utf8.count).max() ?? 0 }.max() ?? 0
    var level = 0
    while level < levels.count {
      let nodes = levels[level].sorted { $0.name.count < $1.name.count }
      let first = entries.count
      for node in nodes {
        var children = -1
        if !node.children.isEmpty {
          levels.append(node.children)
          children = levels.count - 1
        }
        entries.append(
          Entry(
            nameStart: nameBytes.count, capture: node.leaf?.0, slot: node.leaf?.1 ?? .time,
            rank: node.leaf?.2 ?? Int.max, children: children))
        nameBytes += node.name
      }
      for length in 0...(maxNameLength + 1) {
        lengthStart.append(first + nodes.count { $0.name.count < length })
      }
      level += 1
    }
    self.entries = entries
    self.lengthStart = lengthStart
    self.maxNameLength = maxNameLength
    names = .allocate(capacity: max(nameBytes.count, 1))
    names.initialize(from: nameBytes, count: nameBytes.count)
    best = .allocate(capacity: AccessField.allCases.count)
    best.initialize(repeating: Int.max, count: AccessField.allCases.count)
    nameBuffer.reserveCapacity(256)
  }

  deinit {
    names.deallocate()
    best.deallocate()
  }

  /// Parses one JSON object line into `table`.
  func parse(_ line: UnsafeRawBufferPointer) -> ParseFailure? {
    do throws(NDJSONError) {
      try scanner.scan(line)
    } catch {
      return Self.failure(error)
    }
    table.formatNames = nil
    best.update(repeating: Int.max, count: AccessField.allCases.count)
    let n = scanner.fieldCount
    var i = 0
    while i < n {
      let f = scanner.field(at: i)
      if let failure = take(f.value, name: scanner.decodedName(f), level: 0) { return failure }
      i &+= 1
    }
    return nil
  }

  /// The scanner's error with its column; the two line-level cases keep logparse's wording.
  private static func failure(_ e: NDJSONError) -> ParseFailure {
    switch e.kind {
    case .notAnObject: return ParseFailure(.expectedJSONObject, at: e.column - 1)
    case .textAfterObject: return ParseFailure(.textAfterLastField, at: e.column - 1)
    case .syntax: return ParseFailure(.invalidJSON(e.reason), at: e.column - 1)
    }
  }

  /// One member at `level`: a mapped key, a parent to walk into, or (top level) a custom field.
  private func take(_ t: JSONToken, name: UnsafeRawBufferPointer, level: Int) -> ParseFailure? {
    if t.kind == .null { return nil }
    if let k = entry(named: name, level: level) {
      let e = entries[k]
      switch t.kind {
      case .object:
        guard e.children >= 0 else { return nil }
        for member in scanner.members(of: t) {
          if let failure = take(member.value, name: scanner.decodedName(member), level: e.children) {
            return failure
          }
        }
        return nil
      case .array:
        // Header arrays (Caddy): the first value stands for the field.
        var elements = scanner.members(of: t)
        guard let capture = e.capture, let first = elements.next(), first.value.kind == .string else { return nil }
        return store(first.value, capture, e)
      default:
        if let capture = e.capture { return store(t, capture, e) }
      }
    }
    guard level == 0, t.kind != .object, t.kind != .array else { return nil }
    return addCustom(t, name: name)
  }

  /// The entry named `name` among the keys of `level`.
  @inline(__always)
  private func entry(named name: UnsafeRawBufferPointer, level: Int) -> Int? {
    let n = name.count
    guard n > 0, n <= maxNameLength, let p = name.baseAddress else { return nil }
    let bucket = level &* (maxNameLength &+ 2) &+ n
    var k = lengthStart[bucket]
    let end = lengthStart[bucket &+ 1]
    while k < end {
      if memcmp(names + entries[k].nameStart, p, n) == 0 { return k }
      k &+= 1
    }
    return nil
  }

  private func store(_ t: JSONToken, _ capture: Capture, _ e: Entry) -> ParseFailure? {
    guard e.rank < best[e.slot.rawValue] else { return nil }
    guard let value = text(t) else { return ParseFailure(.invalidJSON("string too long to decode"), at: t.start) }
    if value.count == 0 || (value.count == 1 && value[0] == UInt8(ascii: "-")) { return nil }
    best[e.slot.rawValue] = e.rank
    return table.store(capture, value, offset: t.start)
  }

  /// An unmapped top-level scalar, named in snake_case; empty strings are dropped.
  private func addCustom(_ t: JSONToken, name: UnsafeRawBufferPointer) -> ParseFailure? {
    guard let value = text(t) else { return ParseFailure(.invalidJSON("string too long to decode"), at: t.start) }
    guard value.count > 0 else { return nil }
    // Only plain numbers are copied as JSON tokens; exotic forms (1e3) are kept as text.
    let json = t.kind == .number ? FieldTable.isJSONNumber(value) : t.kind != .string
    snakeCase(name, into: &nameBuffer)
    let count = nameBuffer.count
    guard count > 0, let out = table.scratchSpace(count) else { return nil }
    out.update(from: nameBuffer, count: count)
    let custom = table.commitScratch(count)
    return table.addCustom(name: custom, value: value, json: json) ? nil : ParseFailure(.tooManyFields, at: t.start)
  }

  /// A scalar's text: a string's decoded content (escaped ones decoded into the
  /// table's scratch area, which lives until the record is written), else the JSON token.
  @inline(__always)
  private func text(_ t: JSONToken) -> UnsafeRawBufferPointer? {
    guard t.kind == .string else { return scanner.rawBytes(t) }
    if let plain = scanner.stringBytes(t) { return plain }
    guard let out = table.scratchSpace(t.end &- t.start), let n = scanner.decodeString(t, into: out) else { return nil }
    return table.commitScratch(n)
  }
}
