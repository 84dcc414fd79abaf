/*
 What --state keeps across restarts: the replica count of the last decision,
 the time of the last evaluation, and the controller's history (raw
 recommendations for the stabilization windows, scale events for the policy
 periods, the last activity for the cooldown). Times are event-time
 microseconds.

   {"current":8,"last_evaluation":1735689615000000,
    "recommendations":[[1735689600000000,8],...],"up_events":[[t,4]],"down_events":[],
    "last_active":1735689615000000}
*/

package struct ScaleState: Sendable, Equatable {
  package var current: Int
  package var lastEvaluation: EpochMicros?
  package var history: ScaleHistory

  package init(current: Int, lastEvaluation: EpochMicros?, history: ScaleHistory) {
    self.current = current
    self.lastEvaluation = lastEvaluation
    self.history = history
  }

  /// The payload, as one JSON object.
  package func encoded() -> [UInt8] {
    let sink = OutputSink(fd: -1)
    sink.beginObject()
    sink.key("current")
    sink.value(current)
    sink.key("last_evaluation")
    if let lastEvaluation { sink.value(Int(lastEvaluation)) } else { sink.valueNull() }
    for (name, list) in [("recommendations", history.recommendations), ("up_events", history.upEvents), ("down_events", history.downEvents)] {
      sink.key(string: name)
      sink.beginArray()
      for entry in list {
        sink.beginArray()
        sink.value(Int(entry.time))
        sink.value(entry.replicas)
        sink.endArray()
      }
      sink.endArray()
    }
    sink.key("last_active")
    if let t = history.lastActive { sink.value(Int(t)) } else { sink.valueNull() }
    sink.endObject()
    return Array(UnsafeRawBufferPointer(start: sink.base, count: sink.count))
  }

  package static func decode(_ payload: [UInt8]) throws(ScaleStateError) -> ScaleState {
    let json: JSONValue
    do { json = try payload.withUnsafeBytes { bytes throws(NDJSONError) in try JSONValue.parse(bytes) } } catch {
      throw .corrupt("\(error)")
    }
    guard let current = json["current"]?.doubleValue.flatMap({ Int(exactly: $0) }),
      current >= 0, current <= ScaleConfig.replicaLimit
    else { throw .corrupt("no valid 'current'") }
    var history = ScaleHistory()
    history.recommendations = try list(json, "recommendations")
    history.upEvents = try list(json, "up_events")
    history.downEvents = try list(json, "down_events")
    history.lastActive = try time(json["last_active"], "last_active")
    return ScaleState(current: current, lastEvaluation: try time(json["last_evaluation"], "last_evaluation"), history: history)
  }

  private static func time(_ value: JSONValue?, _ name: String) throws(ScaleStateError) -> EpochMicros? {
    guard let value, value != .null else { return nil }
    guard let d = value.doubleValue, let t = Int64(exactly: d) else { throw .corrupt("'\(name)' is not a time") }
    return t
  }

  private static func list(_ json: JSONValue, _ name: String) throws(ScaleStateError) -> [TimedCount] {
    guard let items = json[name]?.arrayValue else { throw .corrupt("no '\(name)' list") }
    var out: [TimedCount] = []
    for item in items {
      guard let pair = item.arrayValue, pair.count == 2,
        let t = pair[0].doubleValue.flatMap({ Int64(exactly: $0) }),
        let n = pair[1].doubleValue.flatMap({ Int(exactly: $0) }), n >= 0, n <= ScaleConfig.replicaLimit
      else { throw .corrupt("bad entry in '\(name)'") }
      out.append(TimedCount(time: t, replicas: n))
    }
    return out
  }
}

package enum ScaleStateError: Error, Equatable, Sendable, CustomStringConvertible {
  case corrupt(String)

  package var description: String {
    switch self {
    case .corrupt(let why): "the state is not a logscale state: \(why)"
    }
  }
}
