/*
 One injected incident: what it does, where, when, and its parameters.

 Written as `KIND key=value ... at=2m for=90s`, on the command line
 (`--incident`) or in a scenario file. `at` is relative to the first generated
 timestamp. Kinds and their keys (defaults in brackets):

   errors   path=PREFIX [all] status=N [500] ratio=R [0.5]
   latency  path=PREFIX [all] factor=F [5]
   spike    path=PREFIX [all: more traffic everywhere] factor=F [5]
   scanner  client=ADDR [random] rate=N lines/s [20% of --rate, at least 5]
   outage   mode=drop|errors [drop] factor=F [0.02, drop; 0: no traffic] status=N [503, errors]
   crawler  agent=googlebot|bingbot|yandexbot|ahrefsbot [googlebot] client=ADDR [random] rate=N [--rate]
*/

package struct IncidentError: Error, Equatable, Sendable, CustomStringConvertible {
  package var message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}

package struct Incident: Sendable, Equatable {
  package enum Kind: String, Sendable, CaseIterable {
    case errors, latency, spike, scanner, outage, crawler
  }

  package var kind: Kind
  /// Start, relative to the first generated timestamp, in microseconds.
  package var at: Int64 = 0
  package var duration: Int64 = 60_000_000
  package var path: String?
  package var status = 500
  package var ratio = 0.5
  package var factor = 5.0
  /// Extra lines per second (scanner, crawler); nil means derived from --rate.
  package var rate: Double?
  package var client: String?
  package var agent = "googlebot"
  /// Outage: true for `mode=errors` (every request fails), false for a traffic drop.
  package var failing = false

  package init(kind: Kind) { self.kind = kind }

  /// Parses `errors path=/checkout status=503 ratio=0.6 at=2m for=90s`.
  package static func parse(_ text: String) throws(IncidentError) -> Incident {
    let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    guard let first = words.first else { throw IncidentError("empty incident: expected e.g. 'errors path=/checkout at=2m for=90s'") }
    let kinds = Kind.allCases.map(\.rawValue).joined(separator: ", ")
    guard let kind = Kind(rawValue: String(first)) else {
      throw IncidentError("unknown incident kind '\(first)': expected one of \(kinds)")
    }
    var incident = Incident(kind: kind)
    if kind == .outage { incident.factor = 0.02; incident.status = 503 }
    for word in words.dropFirst() {
      guard let eq = word.firstIndex(of: "="), eq != word.startIndex else {
        throw IncidentError("expected key=value, got '\(word)'")
      }
      let key = String(word[..<eq])
      let value = String(word[word.index(after: eq)...])
      guard incident.allowedKeys.contains(key) else {
        throw IncidentError("unknown key '\(key)' for \(kind.rawValue): expected \(incident.allowedKeys.joined(separator: ", "))")
      }
      try incident.set(key, value)
    }
    return incident
  }

  var allowedKeys: [String] {
    switch kind {
    case .errors: return ["path", "status", "ratio", "at", "for"]
    case .latency, .spike: return ["path", "factor", "at", "for"]
    case .scanner: return ["client", "rate", "at", "for"]
    case .outage: return ["mode", "factor", "status", "at", "for"]
    case .crawler: return ["agent", "client", "rate", "at", "for"]
    }
  }

  private mutating func set(_ key: String, _ value: String) throws(IncidentError) {
    func number(_ range: ClosedRange<Double>) throws(IncidentError) -> Double {
      guard let n = Double(value), range.contains(n) else {
        throw IncidentError("invalid value '\(value)' for \(key): expected a number in \(range.lowerBound)...\(range.upperBound)")
      }
      return n
    }
    func durationValue() throws(IncidentError) -> Int64 {
      guard let micros = parseDuration(value) else {
        throw IncidentError("invalid duration '\(value)' for \(key): expected e.g. 90s, 2m, 1h")
      }
      return micros
    }
    switch key {
    case "path":
      guard value.hasPrefix("/"), Self.isPlain(value) else {
        throw IncidentError("invalid path '\(value)': expected a path starting with /, without quotes or backslashes")
      }
      path = value
    case "status":
      guard let n = Int(value), (100...599).contains(n) else {
        throw IncidentError("invalid status '\(value)': expected 100...599")
      }
      status = n
    case "ratio": ratio = try number(0...1)
    case "factor": factor = try number(0...1000)
    case "rate":
      rate = try number(0...10_000_000)
    case "client":
      guard !value.isEmpty, Self.isPlain(value) else {
        throw IncidentError("invalid client '\(value)'")
      }
      client = value
    case "agent":
      guard UserAgents.crawlerNames.contains(value) else {
        throw IncidentError("unknown agent '\(value)': expected one of \(UserAgents.crawlerNames.joined(separator: ", "))")
      }
      agent = value
    case "mode":
      guard value == "drop" || value == "errors" else { throw IncidentError("invalid mode '\(value)': expected drop or errors") }
      failing = value == "errors"
    case "at": at = try durationValue()
    case "for":
      duration = try durationValue()
      guard duration > 0 else { throw IncidentError("'for' must be longer than 0s") }
    default: break
    }
  }

  /// Printable ASCII without quote or backslash: safe in every format unescaped.
  static func isPlain(_ text: String) -> Bool {
    text.utf8.allSatisfy { $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
  }

  /// The end, relative to the first generated timestamp.
  package var end: Int64 { at + duration }
}
