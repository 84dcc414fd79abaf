/*
 State that outlives a run (logalert's firing alerts, logscale's replicas).

 A state file is one header line, {"logkit_state":"KIND","version":N,"bytes":L},
 then L bytes of payload (the command's own JSON). It is replaced atomically
 (AtomicFile: temp file, fsync, rename, fsync of the directory), so after a
 crash or SIGKILL at any point the file holds the old state or the new one,
 never a mix.
*/
import Glibc

package enum StateFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The file could not be opened or read (other than not existing).
  case unreadable(path: String, errno: Int32)
  /// The header is missing or malformed, or the payload is cut short.
  case corrupt(path: String, reason: String)
  /// A logkit state file of another command.
  case foreignKind(path: String, found: String, expected: String)
  /// Written by a newer version of this command.
  case newerVersion(path: String, kind: String, found: Int, supported: Int)

  package var description: String {
    switch self {
    case .unreadable(let path, let code):
      return "cannot read state file \(path): \(errnoText(code))"
    case .corrupt(let path, let reason):
      return "state file \(path) is corrupt: \(reason)"
    case .foreignKind(let path, let found, let expected):
      return "file \(path) holds \(found) state, not \(expected) state"
    case .newerVersion(let path, let kind, let found, let supported):
      return "file \(path) holds \(kind) state version \(found); this \(kind) reads versions up to \(supported)"
    }
  }
}

package enum StateFile {
  /// Replaces `path` atomically with a state file of `kind` holding `payload`.
  package static func write(path: String, kind: String, version: Int, payload: [UInt8]) throws(IOError) {
    try write(path: path, kind: kind, version: version, payload: payload, crash: nil)
  }

  /// The version and payload in `path`; nil when the file does not exist.
  package static func read(path: String, kind: String, maxVersion: Int) throws(StateFileError) -> (version: Int, payload: [UInt8])? {
    guard let bytes = try readAll(path: path) else { return nil }
    guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
      throw .corrupt(path: path, reason: bytes.isEmpty ? "the file is empty" : "no header line")
    }
    let header: StateHeader
    do throws(StateHeader.ParseError) {
      header = try StateHeader.parse(bytes[..<newline])
    } catch {
      throw .corrupt(path: path, reason: "not a logkit state header (\(error.reason))")
    }
    guard header.kind == kind else { throw .foreignKind(path: path, found: header.kind, expected: kind) }
    guard header.version <= maxVersion else {
      throw .newerVersion(path: path, kind: kind, found: header.version, supported: maxVersion)
    }
    let payload = Array(bytes[(newline + 1)...])
    if let expected = header.bytes, expected != payload.count {
      throw .corrupt(path: path, reason: "the header announces \(expected) payload bytes, the file has \(payload.count)")
    }
    return (header.version, payload)
  }

  /// The header line written before the payload, with its newline.
  static func headerLine(kind: String, version: Int, payloadBytes: Int) -> [UInt8] {
    var line = Array("{\"logkit_state\":".utf8)
    appendJSONString(kind, to: &line)
    line += Array(",\"version\":\(version),\"bytes\":\(payloadBytes)}\n".utf8)
    return line
  }

  /// `write` stopped at a simulated crash (tests): the temp file stays as it is.
  static func write(path: String, kind: String, version: Int, payload: [UInt8], crash: AtomicFile.CrashPoint?) throws(IOError) {
    let content = headerLine(kind: kind, version: version, payloadBytes: payload.count) + payload
    try AtomicFile.replace(path: path, bytes: content, crash: crash)
  }

  private static func readAll(path: String) throws(StateFileError) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
      if errno == ENOENT { return nil }
      throw .unreadable(path: path, errno: errno)
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if n > 0 { bytes += chunk[..<n]; continue }
      if n == 0 { return bytes }
      if errno == EINTR { continue }
      throw .unreadable(path: path, errno: errno)
    }
  }
}

/// The header line: a flat JSON object of strings and integers (unknown members are ignored).
struct StateHeader {
  var kind: String
  var version: Int
  var bytes: Int?

  struct ParseError: Error { var reason: String }

  static func parse(_ line: ArraySlice<UInt8>) throws(ParseError) -> StateHeader {
    var cursor = HeaderCursor(bytes: line)
    var kind: String?
    var version: Int?
    var bytes: Int?
    try cursor.expect(UInt8(ascii: "{"))
    if !cursor.take(UInt8(ascii: "}")) {
      repeat {
        let key = try cursor.string()
        try cursor.expect(UInt8(ascii: ":"))
        switch key {
        case "logkit_state": kind = try cursor.string()
        case "version": version = try cursor.integer()
        case "bytes": bytes = try cursor.integer()
        default: try cursor.skipValue()
        }
      } while cursor.take(UInt8(ascii: ","))
      try cursor.expect(UInt8(ascii: "}"))
    }
    guard cursor.atEnd else { throw ParseError(reason: "text after the header object") }
    guard let kind else { throw ParseError(reason: "no \"logkit_state\" member") }
    guard let version else { throw ParseError(reason: "no \"version\" member") }
    return StateHeader(kind: kind, version: version, bytes: bytes)
  }
}

private struct HeaderCursor {
  let bytes: ArraySlice<UInt8>
  var index: Int

  init(bytes: ArraySlice<UInt8>) {
    self.bytes = bytes
    index = bytes.startIndex
  }

  var atEnd: Bool {
    mutating get { skipSpace(); return index == bytes.endIndex }
  }

  mutating func skipSpace() {
    while index < bytes.endIndex, [0x20, 0x09, 0x0D].contains(bytes[index]) { index += 1 }
  }

  mutating func take(_ byte: UInt8) -> Bool {
    skipSpace()
    guard index < bytes.endIndex, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  mutating func expect(_ byte: UInt8) throws(StateHeader.ParseError) {
    guard take(byte) else { throw .init(reason: "expected '\(Character(Unicode.Scalar(byte)))'") }
  }

  mutating func string() throws(StateHeader.ParseError) -> String {
    try expect(UInt8(ascii: "\""))
    var text: [UInt8] = []
    while index < bytes.endIndex {
      let byte = bytes[index]
      index += 1
      if byte == UInt8(ascii: "\"") { return String(decoding: text, as: UTF8.self) }
      if byte < 0x20 { throw .init(reason: "control character in a string") }
      guard byte == UInt8(ascii: "\\") else { text.append(byte); continue }
      guard index < bytes.endIndex else { break }
      let escaped = bytes[index]
      index += 1
      switch escaped {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
      case UInt8(ascii: "n"): text.append(0x0A)
      case UInt8(ascii: "r"): text.append(0x0D)
      case UInt8(ascii: "t"): text.append(0x09)
      case UInt8(ascii: "u"):
        guard index + 4 <= bytes.endIndex, let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16),
          let scalar = Unicode.Scalar(code)
        else { throw .init(reason: "unsupported \\u escape") }
        text += Array(String(Character(scalar)).utf8)
        index += 4
      default: throw .init(reason: "unsupported escape")
      }
    }
    throw .init(reason: "unterminated string")
  }

  mutating func integer() throws(StateHeader.ParseError) -> Int {
    skipSpace()
    let start = index
    while index < bytes.endIndex, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
    guard index > start, let value = Int(String(decoding: bytes[start..<index], as: UTF8.self)) else {
      throw .init(reason: "expected a non-negative integer")
    }
    return value
  }

  mutating func skipValue() throws(StateHeader.ParseError) {
    skipSpace()
    if index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") { _ = try string() } else { _ = try integer() }
  }
}

