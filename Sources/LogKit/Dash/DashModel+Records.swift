/*
 Reading each kind of record into the model. Field roles of window records
 are decided by name once and cached: `count` (or `requests`) is the request
 count, the first field named like errors is the error count, `pNN_METRIC`
 fields are latency quantiles (request_time preferred), strings and the
 numeric `status`/`port` are group keys, `top_path`/`top_client`/`top_status`/`top_user_agent`
 arrays fill the top-N panels.
*/

struct FieldRole {
  enum Kind { case skip, count, errors, quantile(Int), key(TopKind?), topArray(TopKind), other }
  var kind: Kind
  var chartIndex: Int?
}

let alertStandardFields: Set<String> = ["time", "alert", "state", "since", "value", "expr", "summary", "start", "end"]
let numericKeyNames: Set<String> = ["status", "port", "class", "code"]

extension DashModel {
  func role(for name: String) -> FieldRole {
    if let cached = roles[name] { return cached }
    let chartIndex = config.chartFields.firstIndex(of: name)
    var kind: FieldRole.Kind = .other
    if ["start", "end", "final", "_partial"].contains(name) {
      kind = .skip
    } else if name == "count" || name == "requests" {
      kind = .count
    } else if errorsField == nil && (name.hasPrefix("error") || name.hasSuffix("errors") || name.contains("5xx")) {
      errorsField = name
      kind = .errors
    } else if isQuantileName(name), let q = WindowPoint.quantileNames.firstIndex(of: String(name.prefix(3))) {
      let metric = name.count > 4 ? String(name.dropFirst(4)) : ""
      if metric == "request_time" || quantileMetric == nil { quantileMetric = metric }
      if metric == quantileMetric { kind = .quantile(q) }
    } else if name.hasPrefix("top_"), let top = TopKind.allCases.first(where: { "top_" + $0.fieldName == name }) {
      kind = .topArray(top)
    } else {
      kind = .key(TopKind.allCases.first { $0.fieldName == name })
    }
    let role = FieldRole(kind: kind, chartIndex: chartIndex)
    roles[name] = role
    return role
  }

  /// A top-level time field (RFC 3339 text or epoch number) without building a path.
  func topLevelTime(_ name: StaticString) -> EpochMicros? {
    let s = reader.scanner
    guard let i = s.fieldIndex(named: name) else { return nil }
    let token = s.token(at: i)
    switch token.kind {
    case .string: return s.decodedStringBytes(token).flatMap { TimeParser.any($0)?.micros }
    case .number: return TimeParser.epoch(s.rawBytes(token))?.micros
    default: return nil
    }
  }

  func addWindowRecord() -> DashIngest {
    guard let start = topLevelTime("start"), let end = topLevelTime("end") else {
      return .rejected("window record with an invalid start or end time")
    }
    let s = reader.scanner
    if let i = s.fieldIndex(named: "final"), s.bool(at: i) == false {
      counts.provisional &+= 1
      return .provisional
    }
    counts.windowRecords &+= 1
    noteTime(end)
    if let o = open, o.start != start || o.end != end {
      if end < o.end || (end == o.end && start < o.start) {
        counts.late &+= 1
        return .window
      }
      openWindow(start: start, end: end)
    } else if open == nil {
      openWindow(start: start, end: end)
    }
    var count: Double?
    var errors: Double?
    var keys: [(TopKind, String)] = []
    var tops: [(TopKind, JSONToken)] = []
    var point = open ?? WindowPoint(start: start, end: end, chartCount: config.chartFields.count)
    for i in 0..<s.fieldCount {
      let token = s.token(at: i)
      let role = role(for: s.name(at: i))
      let number = token.kind == .number ? s.double(token) : nil
      if let c = role.chartIndex, let number {
        point.charts[c] = chartCombine[c].combine(point.charts[c], number)
      }
      switch role.kind {
      case .count: count = number
      case .errors: errors = number
      case .quantile(let q): if let number { point.quantiles[q] = maxIgnoringNaN(point.quantiles[q], number) }
      case .key(let top?):
        if token.kind == .string, let text = s.string(token) {
          keys.append((top, text))
        } else if token.kind == .number, numericKeyNames.contains(top.fieldName) {
          keys.append((top, String(decoding: s.rawBytes(token), as: UTF8.self)))
        }
      case .topArray(let top): if token.kind == .array { tops.append((top, token)) }
      case .skip, .key(nil), .other: break
      }
    }
    point.records &+= 1
    open = point
    addRequests(count, errors: errors)
    for (kind, value) in keys { addTop(kind, value, count: count ?? 1, errors: errors ?? 0) }
    for (kind, token) in tops { addTopArray(kind, s.jsonValue(token)) }
    return .window
  }

  /// `[{"value": v, "count": n}, ...]` as logwindow's top(K, X) writes it.
  func addTopArray(_ kind: TopKind, _ value: JSONValue?) {
    guard let items = value?.arrayValue else { return }
    for item in items {
      guard case .object(let members) = item else { continue }
      var text: String?
      var count: Double?
      for (name, v) in members {
        if name == "value" { text = v.stringValue ?? v.doubleValue.map(formatNumber) }
        if name == "count" { count = v.doubleValue }
      }
      if let text, let count { addTop(kind, text, count: count, errors: 0) }
    }
  }

  func addAlertEvent() -> DashIngest {
    guard let time = reader.timeField("time") else { return .rejected("alert event without a valid time") }
    guard let name = reader.string("alert"), let stateText = reader.string("state"),
      let state = DashAlertEvent.State(rawValue: stateText)
    else { return .rejected("alert event needs a string alert and a state pending, firing or resolved") }
    let s = reader.scanner
    var keys: [String] = []
    for i in 0..<s.fieldCount {
      let field = s.name(at: i)
      guard !alertStandardFields.contains(field) else { continue }
      let token = s.token(at: i)
      let text = token.kind == .string ? (s.string(token) ?? "") : String(decoding: s.rawBytes(token), as: UTF8.self)
      keys.append(field + "=" + text)
    }
    let event = DashAlertEvent(
      time: time, alert: name, state: state, since: reader.timeField("since"), keys: keys.joined(separator: " "),
      value: reader.number("value"), summary: reader.string("summary") ?? "")
    noteTime(time)
    alerts.add(event)
    counts.alertEvents &+= 1
    return .alert
  }

  func addScaleDecision() -> DashIngest {
    guard let time = reader.timeField("time") else { return .rejected("scale decision without a valid time") }
    guard let from = reader.number("from").flatMap(replicaCount), let to = reader.number("to").flatMap(replicaCount) else {
      return .rejected("scale decision needs integer from and to replica counts")
    }
    var metrics: [(String, Double)] = []
    if let token = reader.token("metrics"), case .object(let members)? = reader.scanner.jsonValue(token) {
      for (name, value) in members {
        if let n = value.doubleValue {
          metrics.append((name, n))
        } else if case .object(let inner) = value, let n = inner.first(where: { $0.0 == "value" })?.1.doubleValue {
          metrics.append((name, n))
        }
      }
    }
    let decision = DashScaleDecision(
      time: time, from: from, to: to, desired: reader.number("desired").flatMap(replicaCount),
      reason: reader.string("reason") ?? "", metrics: metrics)
    noteTime(time)
    scaling.add(decision)
    counts.scaleDecisions &+= 1
    return .scale
  }

  func addAccessRecord() -> DashIngest {
    guard let time = reader.timeField("time") else { return .rejected("access record without a valid time") }
    counts.accessRecords &+= 1
    noteTime(time)
    let every = config.accessEvery
    let start = floorDiv(time, every) &* every
    if let o = open {
      if time >= o.end {
        openAccessWindow(start: start, after: o.end)
      } else if time < o.start {
        counts.late &+= 1  // counted in the open window
      }
    } else {
      openWindow(start: start, end: start &+ every)
    }
    let status = reader.number("status").flatMap { Int(exactly: $0.rounded(.towardZero)) }
    let isError = (status ?? 0) >= 500
    let isClientError = (status ?? 0) >= 400
    addRequests(1, errors: isError ? 1 : 0)
    if let seconds = reader.number("request_time") { latency.add(seconds: seconds) }
    updateOpen { $0.records &+= 1 }
    // Per path, client and agent "errors" are 4xx and 5xx (error-prone URLs, suspicious clients).
    if let path = reader.string("path") { addTop(.path, path, count: 1, errors: isClientError ? 1 : 0) }
    if let client = reader.string("client") { addTop(.client, client, count: 1, errors: isClientError ? 1 : 0) }
    if let status { addTop(.status, String(status), count: 1, errors: isError ? 1 : 0) }
    if let agent = reader.string("user_agent") { addTop(.userAgent, agent, count: 1, errors: isClientError ? 1 : 0) }
    return .access
  }

  /// Opens the window starting at `start`, with empty windows for a gap since `after`
  /// (at most 1000 of them; a longer gap becomes one empty point).
  func openAccessWindow(start: EpochMicros, after: EpochMicros) {
    let every = config.accessEvery
    let gap = (start &- after) / every
    closeOpenWindow()
    if gap > 1000 {
      var empty = WindowPoint(start: after, end: start, chartCount: config.chartFields.count)
      empty.count = 0
      empty.errors = 0
      recent.append(empty)
      overview.append(empty)
    } else if gap > 0 {
      var t = after
      while t < start {
        var empty = WindowPoint(start: t, end: t &+ every, chartCount: config.chartFields.count)
        empty.count = 0
        empty.errors = 0
        recent.append(empty)
        overview.append(empty)
        t &+= every
      }
    }
    openWindow(start: start, end: start &+ every)
  }
}

func replicaCount(_ x: Double) -> Int? {
  guard x >= 0, x < 1e9 else { return nil }
  return Int(exactly: x)
}

/// A number as a short text: integers without a fraction, others with up to 3 significant decimals.
package func formatNumber(_ x: Double) -> String {
  guard x.isFinite else { return x.isNaN ? "-" : (x > 0 ? "inf" : "-inf") }
  if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
  let magnitude = abs(x)
  let digits = magnitude >= 100 ? 1 : (magnitude >= 1 ? 2 : 3)
  return formatFixed(x, digits: digits)
}

/// Fixed-point text without Foundation.
package func formatFixed(_ x: Double, digits: Int) -> String {
  guard x.isFinite else { return formatNumber(x) }
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let scaled = (abs(x) * scale).rounded()
  guard scaled < 9e18 else { return String(x) }
  let n = Int64(scaled)
  let whole = n / Int64(scale)
  var fraction = String(n % Int64(scale))
  while fraction.count < digits { fraction = "0" + fraction }
  let sign = x < 0 && n != 0 ? "-" : ""
  return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
}
