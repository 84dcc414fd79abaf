/*
 loggen's validated settings, from the command line over a scenario file.

 Each value is checked once here (pure validation, no I/O beyond reading the
 scenario), with messages that name where the bad value came from:
 `invalid value 'x' for --rate: ...` or `busy.scn:3: invalid value 'x' for rate: ...`.
*/

extension GenSettings {
  package init(_ options: ParsedOptions, scenario: ScenarioFile?) throws(UsageError) {
    let file = scenario?.settings ?? []
    /// The command line wins; otherwise the scenario's last setting. `label` names the source in messages.
    func lookup(_ name: String) -> (value: String, label: Label)? {
      if let v = options.value(name) { return (v, Label(option: name, origin: nil)) }
      if let s = file.last(where: { $0.name == name }) { return (s.value, Label(option: name, origin: s.origin)) }
      return nil
    }
    func fail(_ label: Label, _ value: String, _ expected: String) -> UsageError {
      if let origin = label.origin { return UsageError("\(origin): invalid value '\(value)' for \(label.option): \(expected)") }
      return UsageError("invalid value '\(value)' for --\(label.option): \(expected)")
    }
    func number(_ name: String, _ range: ClosedRange<Double>) throws(UsageError) -> Double? {
      guard let (v, label) = lookup(name) else { return nil }
      guard let n = Double(v), range.contains(n) else { throw fail(label, v, "expected a number in \(range.lowerBound)...\(range.upperBound)") }
      return n
    }
    func integer(_ name: String, min: Int) throws(UsageError) -> Int? {
      guard let (v, label) = lookup(name) else { return nil }
      guard let n = Int(v), n >= min else { throw fail(label, v, "expected an integer >= \(min)") }
      return n
    }
    func flag(_ name: String) -> Bool { options.flag(name) || file.contains { $0.name == name } }

    if let (v, label) = lookup("format") {
      guard let f = OutputFormat(rawValue: v) else {
        throw fail(label, v, "expected one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      format = f
    }
    if let (v, label) = lookup("rate") {
      if v == "max" { rate = nil } else {
        guard let r = Double(v), r > 0, r <= 100_000_000 else { throw fail(label, v, "expected lines per second (> 0) or max") }
        rate = r
      }
    }
    count = try integer("count", min: 0)
    if let (v, label) = lookup("duration") {
      guard let d = parseDuration(v) else { throw fail(label, v, "expected e.g. 10s, 5m, 1h") }
      duration = d
    }
    if let (v, label) = lookup("start") {
      if v == "now" { start = wallClockMicros() } else {
        guard let t = TimeParser.any(v) else { throw fail(label, v, "expected an RFC 3339 time such as 2025-07-01T00:00:00Z, or now") }
        start = t.micros
      }
    }
    speedup = try number("speedup", 0.000_001...1_000_000)
    if let (v, label) = lookup("seed") {
      guard let s = UInt64(v) else { throw fail(label, v, "expected an unsigned integer") }
      seed = s
    }
    diurnal = flag("diurnal")
    noise = try number("noise", 0...0.99) ?? (diurnal ? 0.1 : 0)
    clients = try integer("clients", min: 1) ?? clients
    if let (v, label) = lookup("zone") {
      guard let minutes = Self.zoneMinutes(v) else { throw fail(label, v, "expected an offset such as +0000 or -0400") }
      zoneMinutes = minutes
    }
    for setting in file where setting.name == "incident" {
      do throws(IncidentError) { incidents.append(try Incident.parse(setting.value)) } catch {
        throw UsageError("\(setting.origin): \(error.message)")
      }
    }
    for text in options.all("incident") {
      do throws(IncidentError) { incidents.append(try Incident.parse(text)) } catch {
        throw UsageError("invalid --incident '\(text)': \(error.message)")
      }
    }
    replay = lookup("replay")?.value
    inOrder = flag("in-order")
    replayFormat = lookup("replay-format")?.value
    replayApacheFormat = lookup("replay-apache-format")?.value
    replayNginxFormat = lookup("replay-nginx-format")?.value
    output = options.value("output")
    truth = options.value("truth")
    lineBuffered = options.flag("line-buffered")
    try check()
  }

  /// The parser for the replay base, as logparse would build it from the same options.
  package func replayParser() throws(UsageError) -> LogParser {
    try FormatOptions.parser(
      format: replayFormat, apacheFormat: replayApacheFormat, nginxFormat: replayNginxFormat,
      maxLine: 1 << 20, optionPrefix: "replay-")
  }

  private func check() throws(UsageError) {
    if inOrder && replay == nil { throw UsageError("--in-order needs --replay") }
    if replayFormat != nil || replayApacheFormat != nil || replayNginxFormat != nil {
      if replay == nil { throw UsageError("--replay-format, --replay-apache-format and --replay-nginx-format need --replay") }
      _ = try replayParser()
    }
    if format == .clickstream {
      if replay != nil { throw UsageError("--replay cannot be combined with --format clickstream") }
      for i in incidents where !(i.kind == .spike && i.path == nil) && !(i.kind == .outage && !i.failing) {
        throw UsageError("--format clickstream takes only traffic incidents (spike without path, outage mode=drop), not '\(i.kind.rawValue)'")
      }
    }
  }

  /// Where a value came from: an option, or a scenario line (`FILE:LINE`).
  struct Label {
    var option: String
    var origin: String?
  }

  /// `+0530`, `-0400` -> minutes east of UTC.
  static func zoneMinutes(_ text: String) -> Int? {
    let u = Array(text.utf8)
    guard u.count == 5, u[0] == UInt8(ascii: "+") || u[0] == UInt8(ascii: "-"),
      let hours = Int(String(decoding: u[1..<3], as: UTF8.self)),
      let minutes = Int(String(decoding: u[3..<5], as: UTF8.self)),
      hours <= 14, minutes < 60
    else { return nil }
    return (u[0] == UInt8(ascii: "-") ? -1 : 1) * (hours * 60 + minutes)
  }
}
