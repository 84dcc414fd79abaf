/*
 What logalert's --state keeps across restarts: the event-time clock (every
 record at or before it was evaluated, and that time was closed: stale
 instances resolved), and per rule every alert instance:
 its key, lifecycle (phase, since, cleared-since, last notification), when
 it was last seen (and its window), and its detectors' baselines as the
 Floats' bit patterns in hex (exact round trip, about 9 bytes a Float).

   {"now":1751328600000000,"rules":[{"name":"high_5xx",
    "fingerprint":"errors / count > 0.05|for 120000000|...","stride":3,
    "instances":[["\"path\":\"/checkout\"",2,t,null,t,t,t,60000000,"3f800000..."]]}]}

 A rule is restored only when its name and fingerprint (condition, timing,
 key, detectors) match the saved one: a changed rule starts fresh, and the
 command says so.
*/

package enum AlertStateError: Error, Equatable, Sendable, CustomStringConvertible {
  case corrupt(String)

  package var description: String {
    switch self {
    case .corrupt(let why): "the state is not a logalert state: \(why)"
    }
  }
}

/// What a restore did.
package struct AlertRestore: Sendable, Equatable {
  /// Event time the state covers: records at or before it were evaluated.
  package var now: Int64
  package var instances: Int
  /// Rules saved with another definition (or no longer present): not restored.
  package var changedRules: [String]
}

extension CompiledRule {
  /// What must be equal for a saved instance to mean the same thing now.
  var fingerprint: String {
    let r = rule
    let by = r.by.map { $0.map { $0.joined(separator: ".") }.joined(separator: ",") } ?? "*"
    return [r.conditionText, "for \(r.forDuration)", "keep \(r.keep)", "by \(by)", "resolve \(r.resolveText ?? "")",
      r.detectors.map(\.text).joined(separator: ";")].joined(separator: "|")
  }
}

extension AlertEngine {
  /// The state as one JSON object. Taken between times (after `closeTime`) it covers
  /// every record up to `now`.
  package func encodeState() -> [UInt8] {
    let sink = OutputSink(fd: -1)
    sink.beginObject()
    sink.key("now")
    sink.value(Int(now))
    sink.key("rules")
    sink.beginArray()
    for rule in rules { encode(rule, to: sink) }
    sink.endArray()
    sink.endObject()
    return Array(UnsafeRawBufferPointer(start: sink.base, count: sink.count))
  }

  private func encode(_ rule: CompiledRule, to sink: OutputSink) {
    let table = rule.table
    sink.beginObject()
    sink.key("name")
    sink.value(rule.rule.name)
    sink.key("fingerprint")
    sink.value(rule.fingerprint)
    sink.key("stride")
    sink.value(table.stride)
    sink.key("instances")
    sink.beginArray()
    for i in 0..<table.count {
      let life = table.instances[i].lifecycle
      sink.beginArray()
      sink.value(String(decoding: table.keys[i], as: UTF8.self))
      sink.value(Int(life.phase.rawValue))
      sink.value(Int(life.since))
      if let cleared = life.clearedSince { sink.value(Int(cleared)) } else { sink.valueNull() }
      sink.value(Int(life.lastNotified))
      sink.value(Int(table.instances[i].lastSeen))
      if let start = table.instances[i].lastStart { sink.value(Int(start)) } else { sink.valueNull() }
      sink.value(Int(table.instances[i].windowLength))
      sink.value(hexFloats(table.stateSlice(i)))
      sink.endArray()
    }
    sink.endArray()
    sink.endObject()
  }

  /// Loads a saved state into a fresh engine (before any record).
  package func restoreState(_ payload: [UInt8]) throws(AlertStateError) -> AlertRestore {
    // Lookups below may grow the key indexes the engine's touch pass reads.
    defer { refreshSlotViews() }
    let json: JSONValue
    do { json = try payload.withUnsafeBytes { bytes throws(NDJSONError) in try JSONValue.parse(bytes) } } catch {
      throw .corrupt("\(error)")
    }
    guard let savedNow = json["now"]?.doubleValue.flatMap({ Int64(exactly: $0) }),
      let savedRules = json["rules"]?.arrayValue
    else { throw .corrupt("no 'now' or 'rules'") }
    var restore = AlertRestore(now: savedNow, instances: 0, changedRules: [])
    for saved in savedRules {
      guard let name = saved["name"]?.stringValue, let fingerprint = saved["fingerprint"]?.stringValue,
        let stride = saved["stride"]?.doubleValue.flatMap({ Int(exactly: $0) }),
        let instances = saved["instances"]?.arrayValue
      else { throw .corrupt("a rule without name, fingerprint, stride or instances") }
      guard let rule = rules.first(where: { $0.rule.name == name && $0.fingerprint == fingerprint && $0.table.stride == stride })
      else {
        restore.changedRules.append(name)
        continue
      }
      for instance in instances { restore.instances += try restoreInstance(instance, into: rule) ? 1 : 0 }
    }
    now = savedNow
    closedTime = savedNow
    restoredTime = savedNow
    return restore
  }

  private func restoreInstance(_ instance: JSONValue, into rule: CompiledRule) throws(AlertStateError) -> Bool {
    guard let v = instance.arrayValue, v.count == 9, let key = v[0].stringValue,
      let phase = v[1].doubleValue.flatMap({ UInt8(exactly: $0) }).flatMap(AlertPhase.init(rawValue:)),
      let since = int64(v[2]), let notified = int64(v[4]), let seen = int64(v[5]), let length = int64(v[7]),
      let floats = v[8].stringValue.flatMap(floatsFromHex), floats.count == rule.table.stride
    else { throw .corrupt("a bad instance of rule '\(rule.rule.name)'") }
    let cleared = v[3] == .null ? nil : int64(v[3])
    let start = v[6] == .null ? nil : int64(v[6])
    let keyBytes = Array(key.utf8)
    guard let i = rule.table.find(keyBytes, fields: { parseKeyFields(keyBytes) }) else { return false }
    rule.table.instances[i] = AlertInstance(
      lifecycle: AlertLifecycle(phase: phase, since: since, clearedSince: cleared, lastNotified: notified),
      lastSeen: seen, lastStart: start, windowLength: length)
    rule.table.setState(i, floats)
    return true
  }
}

private func int64(_ value: JSONValue) -> Int64? { value.doubleValue.flatMap { Int64(exactly: $0) } }

private let hexDigits = Array("0123456789abcdef".utf8)

/// Floats as their bit patterns, 8 hex digits each.
func hexFloats(_ values: ArraySlice<Float>) -> String {
  var bytes: [UInt8] = []
  bytes.reserveCapacity(values.count * 8)
  for value in values {
    let bits = value.bitPattern
    for shift in stride(from: 28, through: 0, by: -4) { bytes.append(hexDigits[Int((bits >> UInt32(shift)) & 0xF)]) }
  }
  return String(decoding: bytes, as: UTF8.self)
}

/// The inverse of hexFloats; nil for anything but groups of 8 hex digits.
func floatsFromHex(_ text: String) -> [Float]? {
  let bytes = Array(text.utf8)
  guard bytes.count % 8 == 0 else { return nil }
  var out: [Float] = []
  out.reserveCapacity(bytes.count / 8)
  var bits: UInt32 = 0
  for (n, byte) in bytes.enumerated() {
    let digit: UInt32
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
    default: return nil
    }
    bits = bits << 4 | digit
    if n % 8 == 7 {
      out.append(Float(bitPattern: bits))
      bits = 0
    }
  }
  return out
}
