/*
 JSON access logs (one object per line) mapped onto the record schema: nginx
 `log_format ... escape=json`, Caddy (`request.remote_ip`, `request.headers`
 arrays, `ts` epoch seconds, `duration` seconds) and Traefik (`ClientHost`,
 `DownstreamStatus`, `Duration` in nanoseconds, `StartUTC`).

 A small private walker reads the object: known key paths go through
 FieldTable.store like any other format (a better-ranked key wins when a log
 has several, e.g. Traefik's StartUTC over its own `time`), other top-level
 scalars become custom fields, nested objects that are not mapped are
 skipped. It exists only because the shared NDJSON scanner
 (JSON/NDJSONScanner.swift) is being built on another branch; once merged this
 file should use it and keep only the key table.
*/
import Glibc

final class JSONAccessLog {
  private struct Key {
    var path: [UInt8]
    var capture: Capture
    var slot: AccessField
    var rank: Int
  }

  private let keys: [Key]
  private var path: [UInt8] = []
  private var nameBuffer: [UInt8] = []
  private var best = [Int](repeating: Int.max, count: AccessField.allCases.count)
  private let table: FieldTable
  /// The line being parsed: set at the start of `parse`, only read during it.
  private var base = UnsafePointer<UInt8>(bitPattern: 0x10)!  // a placeholder address, never dereferenced
  private var end = 0
  private var p = 0

  init(table: FieldTable) {
    self.table = table
    func k(_ path: String, _ capture: Capture, _ slot: AccessField, _ rank: Int = 1) -> Key {
      Key(path: Array(path.utf8), capture: capture, slot: slot, rank: rank)
    }
    keys = [
      k("time_iso8601", .timeAny, .time), k("time_local", .timeAny, .time), k("StartUTC", .timeAny, .time),
      k("msec", .timeAny, .time, 2), k("ts", .timeAny, .time, 2), k("StartLocal", .timeAny, .time, 2),
      k("timestamp", .timeAny, .time, 3), k("@timestamp", .timeAny, .time, 3), k("time", .timeAny, .time, 4),
      k("request.client_ip", .text(.client), .client), k("ClientHost", .text(.client), .client),
      k("remote_addr", .text(.client), .client, 2), k("request.remote_ip", .text(.client), .client, 2),
      k("client_ip", .text(.client), .client, 2), k("client", .text(.client), .client, 3),
      k("request.remote_addr", .text(.client), .client, 4),
      k("remote_user", .text(.user), .user), k("ClientUsername", .text(.user), .user), k("user", .text(.user), .user, 2),
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
      k("OriginDuration", .duration(.upstreamTime, .nanoseconds), .upstreamTime),
      k("host", .text(.vhost), .vhost), k("request.host", .text(.vhost), .vhost), k("RequestHost", .text(.vhost), .vhost),
      k("vhost", .text(.vhost), .vhost), k("http_host", .text(.vhost), .vhost, 2), k("server_name", .text(.vhost), .vhost, 3),
      k("server_port", .port, .port), k("RequestPort", .port, .port),
      k("http_x_forwarded_for", .text(.forwardedFor), .forwardedFor),
      k("request.headers.X-Forwarded-For", .text(.forwardedFor), .forwardedFor),
      k("request_X-Forwarded-For", .text(.forwardedFor), .forwardedFor),
      k("x_forwarded_for", .text(.forwardedFor), .forwardedFor, 2),
    ]
    path.reserveCapacity(256)
    nameBuffer.reserveCapacity(256)
  }

  /// Parses one JSON object line into `table`.
  func parse(_ line: UnsafeRawBufferPointer) -> ParseFailure? {
    guard let raw = line.baseAddress else { return ParseFailure(.expectedJSONObject, at: 0) }
    base = raw.assumingMemoryBound(to: UInt8.self)
    end = line.count
    p = 0
    path.removeAll(keepingCapacity: true)
    for i in best.indices { best[i] = Int.max }
    table.formatNames = nil
    skipSpace()
    guard p < end, base[p] == UInt8(ascii: "{") else { return ParseFailure(.expectedJSONObject, at: p) }
    if let failure = object(depth: 1) { return failure }
    skipSpace()
    return p == end ? nil : ParseFailure(.textAfterLastField, at: p)
  }

  private func skipSpace() {
    while p < end, base[p] == 0x20 || base[p] == 0x09 || base[p] == 0x0D || base[p] == 0x0A { p += 1 }
  }

  /// At `{`; reads the object and its members.
  private func object(depth: Int) -> ParseFailure? {
    p += 1
    skipSpace()
    if p < end && base[p] == UInt8(ascii: "}") { p += 1; return nil }
    while true {
      skipSpace()
      guard p < end, base[p] == UInt8(ascii: "\"") else { return ParseFailure(.invalidJSON, at: p) }
      guard let key = string() else { return ParseFailure(.invalidJSON, at: p) }
      let saved = path.count
      if !path.isEmpty { path.append(UInt8(ascii: ".")) }
      path.append(contentsOf: key)
      skipSpace()
      guard p < end, base[p] == UInt8(ascii: ":") else { return ParseFailure(.invalidJSON, at: p) }
      p += 1
      skipSpace()
      if let failure = value(depth: depth, keep: true) { return failure }
      path.removeSubrange(saved...)
      skipSpace()
      guard p < end else { return ParseFailure(.invalidJSON, at: p) }
      if base[p] == UInt8(ascii: ",") { p += 1; continue }
      if base[p] == UInt8(ascii: "}") { p += 1; return nil }
      return ParseFailure(.invalidJSON, at: p)
    }
  }

  /// Reads one value at `p`; when `keep`, hands scalars to `take`.
  private func value(depth: Int, keep: Bool) -> ParseFailure? {
    guard p < end else { return ParseFailure(.invalidJSON, at: p) }
    let start = p
    switch base[p] {
    case UInt8(ascii: "\""):
      guard let text = string() else { return ParseFailure(.invalidJSON, at: start) }
      return keep ? take(text, json: false, depth: depth, offset: start) : nil
    case UInt8(ascii: "{"):
      guard depth < 16 else { return ParseFailure(.invalidJSON, at: p) }
      if keep { return object(depth: depth + 1) }
      let saved = path.count
      path.append(0)  // an impossible key: nothing inside matches
      defer { path.removeSubrange(saved...) }
      return object(depth: depth + 1)
    case UInt8(ascii: "["):
      guard depth < 16 else { return ParseFailure(.invalidJSON, at: p) }
      p += 1
      skipSpace()
      if p < end && base[p] == UInt8(ascii: "]") { p += 1; return nil }
      var first = true
      while true {
        skipSpace()
        // Header arrays (Caddy): the first value stands for the field.
        let isString = p < end && base[p] == UInt8(ascii: "\"")
        if let failure = value(depth: depth + 1, keep: keep && first && isString) { return failure }
        first = false
        skipSpace()
        guard p < end else { return ParseFailure(.invalidJSON, at: p) }
        if base[p] == UInt8(ascii: ",") { p += 1; continue }
        if base[p] == UInt8(ascii: "]") { p += 1; return nil }
        return ParseFailure(.invalidJSON, at: p)
      }
    case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
      let word: StaticString = base[p] == UInt8(ascii: "t") ? "true" : base[p] == UInt8(ascii: "f") ? "false" : "null"
      let n = word.utf8CodeUnitCount
      guard p + n <= end, memcmp(base + p, word.utf8Start, n) == 0 else { return ParseFailure(.invalidJSON, at: p) }
      p += n
      if n == 4 && base[start] == UInt8(ascii: "n") { return nil }
      return keep ? take(UnsafeRawBufferPointer(start: base + start, count: n), json: true, depth: depth, offset: start) : nil
    default:
      while p < end {
        let b = base[p]
        guard b &- 48 < 10 || b == UInt8(ascii: "-") || b == UInt8(ascii: "+") || b == UInt8(ascii: ".")
          || b | 0x20 == UInt8(ascii: "e")
        else { break }
        p += 1
      }
      let number = UnsafeRawBufferPointer(start: base + start, count: p - start)
      guard number.count > 0, base[start] == UInt8(ascii: "-") || base[start] &- 48 < 10 else {
        return ParseFailure(.invalidJSON, at: start)
      }
      // Only plain numbers are copied as JSON tokens; exotic forms are kept as text.
      return keep ? take(number, json: FieldTable.isJSONNumber(number), depth: depth, offset: start) : nil
    }
  }

  /// A mapped key goes to its field; an unmapped top-level scalar becomes a custom field.
  private func take(_ value: UnsafeRawBufferPointer, json: Bool, depth: Int, offset: Int) -> ParseFailure? {
    for key in keys where key.path.count == path.count && key.path == path {
      guard key.rank < best[key.slot.rawValue] else { return nil }
      if value.count == 0 || (value.count == 1 && value[0] == UInt8(ascii: "-")) { return nil }
      best[key.slot.rawValue] = key.rank
      return table.store(key.capture, value, offset: offset)
    }
    guard depth == 1, value.count > 0 else { return nil }
    let name = path.withUnsafeBytes { bytes -> UnsafeRawBufferPointer? in
      snakeCase(bytes, into: &nameBuffer)
      guard !nameBuffer.isEmpty, let out = table.scratchSpace(nameBuffer.count) else { return nil }
      out.update(from: nameBuffer, count: nameBuffer.count)
      return table.commitScratch(nameBuffer.count)
    }
    guard let name else { return nil }
    return table.addCustom(name: name, value: value, json: json) ? nil : ParseFailure(.tooManyFields, at: offset)
  }

  /// At `"`; returns the decoded text (a slice of the line, or of the scratch area when escaped).
  private func string() -> UnsafeRawBufferPointer? {
    p += 1
    let start = p
    while p < end && base[p] != UInt8(ascii: "\"") && base[p] != 0x5C { p += 1 }
    guard p < end else { return nil }
    if base[p] == UInt8(ascii: "\"") {
      p += 1
      return UnsafeRawBufferPointer(start: base + start, count: p - 1 - start)
    }
    // Escapes: decode into scratch (never longer than the source).
    var close = p
    while close < end && base[close] != UInt8(ascii: "\"") { close += base[close] == 0x5C ? 2 : 1 }
    guard close < end, let out = table.scratchSpace(close - start) else { return nil }
    var n = p - start
    out.update(from: base + start, count: n)
    while p < close {
      let b = base[p]
      guard b == 0x5C else { out[n] = b; n += 1; p += 1; continue }
      p += 1
      switch base[p] {
      case UInt8(ascii: "n"): out[n] = 0x0A
      case UInt8(ascii: "t"): out[n] = 0x09
      case UInt8(ascii: "r"): out[n] = 0x0D
      case UInt8(ascii: "b"): out[n] = 0x08
      case UInt8(ascii: "f"): out[n] = 0x0C
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out[n] = base[p]
      case UInt8(ascii: "u"):
        guard var scalar = hex4(p + 1) else { return nil }
        p += 4
        if scalar >= 0xD800 && scalar < 0xDC00, p + 6 < close, base[p + 1] == 0x5C, base[p + 2] == UInt8(ascii: "u"),
          let low = hex4(p + 3), low >= 0xDC00 && low < 0xE000
        {
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          p += 6
        }
        if scalar >= 0xD800 && scalar < 0xE000 { scalar = 0xFFFD }
        n += utf8(scalar, into: out + n)
        p += 1
        continue
      default: return nil
      }
      n += 1
      p += 1
    }
    p = close + 1
    return table.commitScratch(n)
  }

  private func hex4(_ at: Int) -> UInt32? {
    guard at + 4 <= end else { return nil }
    var v: UInt32 = 0
    for i in at..<(at + 4) {
      let b = base[i]
      let d: UInt8
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = b - 48
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = b - 87
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = b - 55
      default: return nil
      }
      v = v << 4 | UInt32(d)
    }
    return v
  }

  /// Writes a scalar as UTF-8 (at most 4 bytes; the 6-byte `\uXXXX` it came from is longer).
  private func utf8(_ scalar: UInt32, into out: UnsafeMutablePointer<UInt8>) -> Int {
    switch scalar {
    case ..<0x80: out[0] = UInt8(scalar); return 1
    case ..<0x800:
      out[0] = UInt8(0xC0 | scalar >> 6); out[1] = UInt8(0x80 | scalar & 0x3F); return 2
    case ..<0x10000:
      out[0] = UInt8(0xE0 | scalar >> 12); out[1] = UInt8(0x80 | scalar >> 6 & 0x3F)
      out[2] = UInt8(0x80 | scalar & 0x3F); return 3
    default:
      out[0] = UInt8(0xF0 | scalar >> 18); out[1] = UInt8(0x80 | scalar >> 12 & 0x3F)
      out[2] = UInt8(0x80 | scalar >> 6 & 0x3F); out[3] = UInt8(0x80 | scalar & 0x3F); return 4
    }
  }
}
