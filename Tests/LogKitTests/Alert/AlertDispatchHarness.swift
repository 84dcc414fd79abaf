// An engine behind an AlertDispatcher, fed one-minute window records on event
// time (the record's end is the clock, as in logalert's run loop): what is
// written, what is notified per event and per group.
import Testing
@testable import LogKit

final class DispatchHarness {
  final class Box {
    var written: [AlertEvent] = []
    var notified: [AlertEvent] = []
    var groups: [AlertNotification] = []
  }

  let engine: AlertEngine
  let dispatcher: AlertDispatcher
  let box = Box()

  init(_ rules: [String], inhibit: [String] = [], groupBy: [String] = [],
       wait: Int64 = 30_000_000, interval: Int64 = 300_000_000) throws {
    let parsed = try rules.map { try AlertRuleParser.parse($0) }
    var grouping = AlertGroupingConfig(specs: try groupBy.map { try GroupSpec.parse($0, rules: parsed) })
    grouping.wait = wait
    grouping.interval = interval
    let box = box
    let dispatcher = AlertDispatcher(
      inhibit: try inhibit.map { try InhibitRule.parse($0, rules: parsed) }, grouping: grouping,
      outputs: AlertDispatcher.Outputs(
        write: { box.written.append($0) }, notify: { box.notified.append($0) }, notifyGroup: { box.groups.append($0) }))
    self.dispatcher = dispatcher
    engine = try AlertEngine(config: AlertEngineConfig(rules: parsed)) { try dispatcher.receive($0) }
  }

  static func minute(_ m: Int) -> Int64 { Int64(m) * 60_000_000 }

  /// A window record ending at minute `m`; a new time completes the previous one first.
  func window(_ m: Int, _ members: String) throws {
    let start = formatRFC3339(Self.minute(m - 1)), end = formatRFC3339(Self.minute(m))
    let line = Array(#"{"start":"\#(start)","end":"\#(end)",\#(members)}"#.utf8)
    try line.withUnsafeBytes { buffer in
      try engine.reader.read(buffer)
      if engine.reader.time > engine.now, engine.now != Int64.min {
        try engine.closeTime()
        try dispatcher.advance(to: engine.reader.time)
      }
      try engine.process()
    }
  }

  func quiet() throws { try dispatcher.quiet(now: engine.now) }

  func finish() throws {
    try engine.finish()
    try dispatcher.finish(now: engine.now)
  }

  /// "03 firing /a" per event: minute, state, key values, and " inhibited" / " repeat".
  static func line(_ e: AlertEvent) -> String {
    let m = String(format2(Int(e.time / 60_000_000)))
    let key = e.key.map { " " + SummaryTemplate.format($0.1, spec: "") }.joined()
    return "\(m) \(e.alert) \(e.state)\(key)\(e.isInhibited ? " inhibited" : "")\(e.isRepeat ? " repeat" : "")"
  }

  var written: [String] { box.written.map(Self.line) }
  var notified: [String] { box.notified.map(Self.line) }
  /// "05 [alert=x]: 01 x firing /a, ..." per group notification.
  var groups: [String] {
    box.groups.map { n in
      "\(format2(Int(n.time / 60_000_000))) [\(n.groupKey)] firing=\(n.firing): " + n.events.map(Self.line).joined(separator: ", ")
    }
  }
}

func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
