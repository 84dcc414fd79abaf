/*
 W3C extended log format (IIS and others).

 Columns come from `#Fields:` directives, which may change in the middle of a
 file (IIS writes a new header block when its configuration changes); other
 directives (`#Software`, `#Version`, `#Date`) are read or skipped. Data lines
 are space-separated, `-` means no value. `date` + `time` become `time` (UTC),
 `time-taken` (milliseconds, as IIS writes it) becomes request_time in
 seconds, `cs-uri-stem` / `cs-uri-query` path and query; unknown columns are
 custom fields (`s-ip` -> s_ip, `cs(Cookie)` -> cs_cookie).

 IIS writes every space inside a value as `+` (W3C fields are space
 separated), so `+` in cs(User-Agent), cs(Referer) and cs(Cookie) is read
 back as a space: those are free text where a space is far more common than a
 literal `+`. The mapping is lossy (a literal `+` in a user agent, as in
 `+http://www.google.com/bot.html`, also becomes a space) and IIS's own log
 cannot tell them apart. URI stem and query keep their `+`: there it is data.
*/
import Glibc

final class W3CLog {
  private var columns: [Capture] = []
  /// Columns whose `+` means a space (see the file comment).
  private var plusIsSpace: [Bool] = []
  private var nameStorage: [[UInt8]] = []
  private var names: UnsafeMutablePointer<UnsafeRawBufferPointer>?
  private var nameBytes: UnsafeMutablePointer<UInt8>?
  /// Date of a `#Date:` directive, for logs without a `date` column.
  private var directiveDate: [UInt8] = []
  var hasFields: Bool { !columns.isEmpty }

  deinit {
    names?.deallocate()
    nameBytes?.deallocate()
  }

  /// Forgets the columns (a new input stream starts).
  func reset() {
    columns = []
    directiveDate = []
  }

  /// Reads a `#` directive line.
  func directive(_ line: UnsafeRawBufferPointer) {
    let text = String(decoding: line, as: UTF8.self)
    if text.hasPrefix("#Fields:") {
      defineColumns(text.dropFirst("#Fields:".count).split(separator: " ").map(String.init))
    } else if text.hasPrefix("#Date:") {
      directiveDate = Array(text.dropFirst("#Date:".count).drop(while: { $0 == " " }).prefix(10).utf8)
    }
  }

  private func defineColumns(_ fields: [String]) {
    columns = []
    plusIsSpace = fields.map { ["cs(user-agent)", "cs(referer)", "cs(cookie)"].contains($0.lowercased()) }
    nameStorage = []
    var taken = Set<String>()
    for field in fields {
      let capture = Self.standard(field.lowercased())
      if let capture, case .text(let f) = capture, taken.contains(f.name) {
        columns.append(.skip)
      } else if let capture {
        columns.append(capture)
        if case .text(let f) = capture { taken.insert(f.name) }
      } else {
        nameStorage.append(Array(snakeCase(field).utf8))
        columns.append(.custom(nameStorage.count - 1))
      }
    }
    names?.deallocate()
    nameBytes?.deallocate()
    let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(nameStorage.reduce(0) { $0 + $1.count }, 1))
    let pointers = UnsafeMutablePointer<UnsafeRawBufferPointer>.allocate(capacity: max(nameStorage.count, 1))
    var offset = 0
    for (k, bytes) in nameStorage.enumerated() {
      (storage + offset).initialize(from: bytes, count: bytes.count)
      pointers[k] = UnsafeRawBufferPointer(start: storage + offset, count: bytes.count)
      offset += bytes.count
    }
    names = pointers
    nameBytes = storage
  }

  private static func standard(_ name: String) -> Capture? {
    switch name {
    case "date": return .w3cDate
    case "time": return .w3cTime
    case "c-ip": return .text(.client)
    case "cs-username": return .text(.user)
    case "cs-method": return .text(.method)
    case "cs-uri-stem": return .text(.path)
    case "cs-uri-query": return .query
    case "cs-uri": return .target
    case "cs-version": return .text(.protocol)
    case "sc-status": return .status
    case "sc-bytes": return .bytes
    case "cs(referer)": return .text(.referer)
    case "cs(user-agent)": return .text(.userAgent)
    case "time-taken": return .duration(.requestTime, .milliseconds)
    case "cs-host", "cs(host)": return .text(.vhost)
    case "s-port": return .port
    case "cs(x-forwarded-for)", "x-forwarded-for": return .text(.forwardedFor)
    default: return nil
    }
  }

  /// Parses one data line.
  func parse(_ line: UnsafeRawBufferPointer, into table: FieldTable) -> ParseFailure? {
    guard hasFields, let raw = line.baseAddress else { return ParseFailure(.noFieldsDirective, at: 0) }
    table.formatNames = names
    let base = raw.assumingMemoryBound(to: UInt8.self)
    let end = line.count
    var p = 0
    var column = 0
    while p <= end {
      let stop: Int
      if let hit = memchr(base + p, 0x20, end - p) { stop = UnsafeRawPointer(hit) - UnsafeRawPointer(base) } else { stop = end }
      if column < columns.count {
        var value = UnsafeRawBufferPointer(start: base + p, count: stop - p)
        if plusIsSpace[column], value.count > 1, memchr(base + p, 0x2B, stop - p) != nil {
          value = Self.plusToSpace(value, table)
        }
        if let failure = table.store(columns[column], value, offset: p) { return failure }
      }
      column += 1
      p = stop + 1
    }
    guard column == columns.count else { return ParseFailure(.fieldCount(expected: columns.count, found: column), at: 0) }
    if table.w3cTime.count > 0 {
      let parsed: ParsedTime?
      if table.w3cDate.count > 0 {
        parsed = TimeParser.w3c(date: table.w3cDate, time: table.w3cTime)
      } else {
        parsed = directiveDate.withUnsafeBytes { TimeParser.w3c(date: $0, time: table.w3cTime) }
      }
      guard let parsed else {
        let column = table.w3cTime.baseAddress.map { $0 - UnsafeRawPointer(base) } ?? 0
        return ParseFailure(.badTimestamp, at: column)
      }
      table.time = parsed.micros
      table.timeDigits = parsed.fractionDigits
      table.present |= AccessField.time.bit
    }
    return nil
  }

  /// `Mozilla/5.0+(X11)` -> `Mozilla/5.0 (X11)`, in the table's scratch area.
  static func plusToSpace(_ value: UnsafeRawBufferPointer, _ table: FieldTable) -> UnsafeRawBufferPointer {
    guard let out = table.scratchSpace(value.count) else { return value }
    for (i, b) in value.enumerated() { out[i] = b == 0x2B ? 0x20 : b }
    return table.commitScratch(value.count)
  }
}
