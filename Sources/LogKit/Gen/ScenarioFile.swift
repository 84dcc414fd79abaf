/*
 `--scenario FILE`: settings and incidents in a file, one per line.

   # checkout breaks for 90 s, two minutes in
   rate 500
   diurnal
   incident errors path=/checkout status=503 ratio=0.6 at=2m for=90s

 A line is a setting name (an option's long name without dashes) and its
 value; `#` starts a comment. Command-line options override the file's
 settings; incidents from both are combined. Errors carry the line number.
*/
import Glibc

package struct ScenarioFile: Sendable {
  /// One setting: name, value ("" for switches), and where it came from (`FILE:LINE`).
  package struct Setting: Sendable, Equatable {
    package var name: String
    package var value: String
    package var origin: String
  }

  /// Settings a scenario may hold, and whether each takes a value.
  package static let names: [String: Bool] = [
    "rate": true, "count": true, "duration": true, "start": true, "speedup": true, "seed": true,
    "format": true, "diurnal": false, "noise": true, "clients": true, "zone": true, "incident": true,
    "replay": true, "in-order": false, "replay-format": true, "replay-apache-format": true, "replay-nginx-format": true,
  ]

  package var settings: [Setting] = []

  /// Parses scenario text; `name` is used in messages (`name:LINE: ...`).
  package init(text: String, name: String) throws(ScenarioError) {
    var number = 0
    for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
      number += 1
      var line = Substring(rawLine)
      if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
      let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
      let words = trimmed.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
      guard let first = words.first else { continue }
      let origin = "\(name):\(number)"
      let key = String(first)
      let value = words.count > 1 ? String(words[1]).trimmingTrailingSpace() : ""
      guard let takesValue = Self.names[key] else {
        throw ScenarioError("\(origin): unknown setting '\(key)': expected one of \(Self.names.keys.sorted().joined(separator: ", "))")
      }
      if takesValue && value.isEmpty { throw ScenarioError("\(origin): '\(key)' needs a value") }
      if !takesValue && !value.isEmpty && value != "on" && value != "off" {
        throw ScenarioError("\(origin): '\(key)' takes no value (or on/off), got '\(value)'")
      }
      if key == "incident" {
        do throws(IncidentError) { _ = try Incident.parse(value) } catch {
          throw ScenarioError("\(origin): \(error.message)")
        }
      }
      if !takesValue && value == "off" { continue }
      settings.append(Setting(name: key, value: value, origin: origin))
    }
  }

  /// Reads a scenario file's text; a file that cannot be read is an IOError (exit 1),
  /// its content is checked by `init(text:name:)` (ScenarioError, a usage error).
  package static func readText(path: String) throws(IOError) -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw .openFailed(path: path, errno: errno) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .readFailed(path: path, errno: errno)
      }
      if n == 0 { break }
      bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

extension String {
  fileprivate func trimmingTrailingSpace() -> String {
    var s = Substring(self)
    while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
    return String(s)
  }
}

/// A scenario file that cannot be used: the message names FILE:LINE.
package struct ScenarioError: Error, CustomStringConvertible, Sendable {
  package var message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}
