/*
 `--truth FILE`: one NDJSON line per injected incident, for scoring detectors.

   {"kind":"errors","start":"2025-07-01T00:02:00Z","end":"2025-07-01T00:03:30Z","path":"/checkout","status":503,"ratio":0.6}

 A line is written when the incident ends in generated time, or at exit for an
 incident still running (its `end` is then the last generated timestamp), so
 the file only claims what the log really contains. Incidents that never
 started are not written.
*/

final class TruthWriter {
  private let sink: OutputSink

  init(path: String) throws(IOError) {
    sink = try OutputSink.create(path: path)
  }

  /// Writes every incident that ended by `t` (relative), or, when `final`, every one that started.
  func report(_ schedule: IncidentSchedule, now t: Int64, origin: EpochMicros, final: Bool) throws(IOError) {
    var wrote = false
    for i in schedule.incidents.indices where !schedule.reported[i] {
      let spec = schedule.incidents[i].spec
      guard spec.end <= t || (final && spec.at <= t) else { continue }
      schedule.reported[i] = true
      write(spec, start: origin + spec.at, end: origin + min(spec.end, t))
      wrote = true
    }
    if wrote { try sink.flush() }
  }

  private func write(_ spec: Incident, start: EpochMicros, end: EpochMicros) {
    sink.beginObject()
    sink.key("kind"); sink.value(spec.kind.rawValue)
    sink.key("start"); sink.value(time: start)
    sink.key("end"); sink.value(time: end)
    if let path = spec.path { sink.key("path"); sink.value(path) }
    if let client = spec.client { sink.key("client"); sink.value(client) }
    switch spec.kind {
    case .errors:
      sink.key("status"); sink.value(spec.status)
      sink.key("ratio"); sink.value(spec.ratio)
    case .latency, .spike:
      sink.key("factor"); sink.value(spec.factor)
    case .scanner:
      sink.key("rate"); sink.value(spec.rate ?? 0)
    case .crawler:
      sink.key("agent"); sink.value(spec.agent)
      sink.key("rate"); sink.value(spec.rate ?? 0)
    case .outage:
      sink.key("mode"); sink.value(spec.failing ? "errors" : "drop")
      if spec.failing { sink.key("status"); sink.value(spec.status) } else { sink.key("factor"); sink.value(spec.factor) }
    }
    sink.endObject()
    sink.endLine()
  }

  func close() throws(IOError) { try sink.close() }
}
