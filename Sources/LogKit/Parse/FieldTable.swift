/*
 The values of one parsed line, held as byte ranges and integers in storage
 allocated once: a slot per AccessField, a list of custom fields, and a
 scratch area for text that had to be rewritten (decoded `\"`, JSON escapes,
 snake_case names). Ranges point into the input line or the scratch area and
 are valid until the next line.

 `store` is the one place where a field's text becomes a value: `-` and empty
 mean absent, numbers and times are validated here.
*/

package final class FieldTable {
  /// Bit per AccessField that has a value.
  package var present: UInt32 = 0
  /// A quoted field had to skip an unescaped `"` to find its end (see LineMatcher).
  package var quoteRecovered = false
  package let strings: UnsafeMutablePointer<UnsafeRawBufferPointer>
  package var time: EpochMicros = 0
  package var timeDigits = 0
  package var status = 0
  package var bytes = 0
  package var port = 0
  package var requestTime: Int64 = 0
  package var upstreamTime: Int64 = 0

  package static let maxCustom = 256
  package private(set) var customCount = 0
  package let customNames: UnsafeMutablePointer<UnsafeRawBufferPointer>
  package let customValues: UnsafeMutablePointer<UnsafeRawBufferPointer>
  /// The custom value is a JSON token (number, true, false) to copy as is.
  package let customIsJSON: UnsafeMutablePointer<Bool>
  /// Names of the current format's custom fields, indexed by `Capture.custom`.
  package var formatNames: UnsafeMutablePointer<UnsafeRawBufferPointer>?

  private let scratch: UnsafeMutablePointer<UInt8>
  private let scratchCapacity: Int
  private var scratchUsed = 0
  private var timeCache = TimeCache()
  /// W3C date and time column text, joined by the W3C front end.
  package var w3cDate = UnsafeRawBufferPointer(start: nil, count: 0)
  package var w3cTime = UnsafeRawBufferPointer(start: nil, count: 0)

  /// - Parameter maxLine: the longest line; rewritten text never grows, so this bounds the scratch area.
  package init(maxLine: Int) {
    strings = .allocate(capacity: AccessField.allCases.count)
    strings.initialize(repeating: UnsafeRawBufferPointer(start: nil, count: 0), count: AccessField.allCases.count)
    customNames = .allocate(capacity: Self.maxCustom)
    customValues = .allocate(capacity: Self.maxCustom)
    customIsJSON = .allocate(capacity: Self.maxCustom)
    scratchCapacity = maxLine + 4096
    scratch = .allocate(capacity: scratchCapacity)
  }

  deinit {
    strings.deallocate()
    customNames.deallocate()
    customValues.deallocate()
    customIsJSON.deallocate()
    scratch.deallocate()
  }

  @inline(__always)
  package func reset() {
    present = 0
    quoteRecovered = false
    customCount = 0
    scratchUsed = 0
    w3cDate = UnsafeRawBufferPointer(start: nil, count: 0)
    w3cTime = w3cDate
  }

  @inline(__always)
  package func has(_ field: AccessField) -> Bool { present & field.bit != 0 }

  @inline(__always)
  package func setText(_ field: AccessField, _ value: UnsafeRawBufferPointer) {
    strings[field.rawValue] = value
    present |= field.bit
  }

  /// Room for `count` bytes of rewritten text; commit with `commitScratch`.
  @inline(__always)
  package func scratchSpace(_ count: Int) -> UnsafeMutablePointer<UInt8>? {
    scratchUsed + count <= scratchCapacity ? scratch + scratchUsed : nil
  }

  @inline(__always)
  package func commitScratch(_ count: Int) -> UnsafeRawBufferPointer {
    let range = UnsafeRawBufferPointer(start: scratch + scratchUsed, count: count)
    scratchUsed += count
    return range
  }

  package func addCustom(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, json: Bool) -> Bool {
    guard customCount < Self.maxCustom else { return false }
    customNames[customCount] = name
    customValues[customCount] = value
    customIsJSON[customCount] = json
    customCount += 1
    return true
  }

  /// Converts and stores one field; `offset` is its column for error messages.
  @inline(__always)
  package func store(_ capture: Capture, _ value: UnsafeRawBufferPointer, offset: Int) -> ParseFailure? {
    if value.count == 0 || (value.count == 1 && value[0] == UInt8(ascii: "-")) {
      return nil
    }
    switch capture {
    case .skip:
      return nil
    case .text(let field):
      if field == .client && !Self.isClientAddress(value) { return ParseFailure(.badClientAddress, at: offset) }
      setText(field, value)
    case .request:
      RequestLine.split(value, into: self)
    case .target:
      RequestLine.splitTarget(value, into: self)
    case .query:
      let q = value[0] == UInt8(ascii: "?") ? UnsafeRawBufferPointer(rebasing: value.dropFirst()) : value
      if q.count > 0 { setText(.query, q) }
    case .timeCLF, .timeISO, .timeEpoch, .timeAny:
      guard let t = timeCache.parse(value, capture) else { return ParseFailure(.badTimestamp, at: offset) }
      time = t.micros
      timeDigits = t.fractionDigits
      present |= AccessField.time.bit
    case .status:
      guard value.count == 3, let n = Self.integer(value), n >= 100 else { return ParseFailure(.expectedStatusCode, at: offset) }
      status = n
      present |= AccessField.status.bit
    case .bytes:
      guard let n = Self.integer(value) else { return ParseFailure(.expectedByteCount, at: offset) }
      bytes = n
      present |= AccessField.bytes.bit
    case .port:
      guard let n = Self.integer(value), n <= 65535 else { return ParseFailure(.expectedPortNumber, at: offset) }
      port = n
      present |= AccessField.port.bit
    case .duration(let field, let unit):
      guard let micros = Self.durationMicros(value, unit) else { return ParseFailure(.expectedDuration, at: offset) }
      if field == .upstreamTime { upstreamTime = micros } else { requestTime = micros }
      present |= field.bit
    case .custom(let index):
      guard let names = formatNames else { return nil }
      if !addCustom(name: names[index], value: value, json: Self.isJSONNumber(value)) {
        return ParseFailure(.tooManyFields, at: offset)
      }
    case .w3cDate:
      w3cDate = value
    case .w3cTime:
      w3cTime = value
    }
    return nil
  }

  /// Host names, IPv4/IPv6 addresses, `unix:`; at most 253 bytes. Rejects lists (`a, b`).
  @inline(__always)
  static func isClientAddress(_ value: UnsafeRawBufferPointer) -> Bool {
    guard value.count <= 253 else { return false }
    // The allowed bytes as bit sets: % - . 0-9 : below 64; A-Z [ ] _ a-z from 64.
    let low: UInt64 = 1 << 37 | 1 << 45 | 1 << 46 | 0x3FF << 48 | 1 << 58
    let high: UInt64 = 0x3FF_FFFF << 1 | 1 << 27 | 1 << 29 | 1 << 31 | 0x3FF_FFFF << 33
    for b in value {
      let allowed = b < 64 ? low >> b : b < 128 ? high >> (b &- 64) : 0
      if allowed & 1 == 0 { return false }
    }
    return true
  }

  /// A non-negative decimal integer of at most 18 digits.
  @inline(__always)
  static func integer(_ value: UnsafeRawBufferPointer) -> Int? {
    guard value.count > 0, value.count <= 18 else { return nil }
    var n = 0
    for b in value {
      let d = b &- 48
      guard d < 10 else { return nil }
      n = n &* 10 &+ Int(d)
    }
    return n
  }

  /// `0.138`, `12`, or a list `0.1, 0.2` / `0.1 : 0.2` (nginx upstream retries), summed.
  static func durationMicros(_ value: UnsafeRawBufferPointer, _ unit: DurationUnit) -> Int64? {
    var total: Int64 = 0
    var i = 0
    let n = value.count
    var numbers = 0
    while i < n {
      while i < n && (value[i] == 0x20 || value[i] == UInt8(ascii: ",") || value[i] == UInt8(ascii: ":")) { i += 1 }
      if i == n { break }
      if value[i] == UInt8(ascii: "-") && (i + 1 == n || value[i + 1] == 0x20 || value[i + 1] == UInt8(ascii: ",")) {
        i += 1
        continue
      }
      var whole: Int64 = 0
      var digits = 0
      while i < n, value[i] &- 48 < 10, digits < 18 { whole = whole * 10 + Int64(value[i] &- 48); i += 1; digits += 1 }
      var fraction: Int64 = 0  // in nanoseconds of the unit's fraction scale (9 digits)
      var fractionDigits = 0
      if i < n && value[i] == UInt8(ascii: ".") {
        i += 1
        while i < n, value[i] &- 48 < 10 {
          if fractionDigits < 9 { fraction = fraction * 10 + Int64(value[i] &- 48); fractionDigits += 1 }
          i += 1
        }
        guard fractionDigits > 0 else { return nil }
        for _ in fractionDigits..<9 { fraction *= 10 }
      }
      guard digits > 0 || fractionDigits > 0 else { return nil }
      if i < n && value[i] != 0x20 && value[i] != UInt8(ascii: ",") && value[i] != UInt8(ascii: ":") { return nil }
      switch unit {
      case .seconds: total += whole * 1_000_000 + fraction / 1000
      case .milliseconds: total += whole * 1000 + fraction / 1_000_000
      case .microseconds: total += whole
      case .nanoseconds: total += whole / 1000
      }
      numbers += 1
    }
    return numbers > 0 ? total : nil
  }

  /// A JSON number token: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`.
  static func isJSONNumber(_ value: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    let n = value.count
    if i < n && value[i] == UInt8(ascii: "-") { i += 1 }
    guard i < n, value[i] &- 48 < 10 else { return false }
    if value[i] == UInt8(ascii: "0") { i += 1 } else { while i < n && value[i] &- 48 < 10 { i += 1 } }
    if i < n && value[i] == UInt8(ascii: ".") {
      i += 1
      let start = i
      while i < n && value[i] &- 48 < 10 { i += 1 }
      guard i > start else { return false }
    }
    return i == n && n <= 20
  }
}
