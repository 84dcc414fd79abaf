/*
 A decision as one NDJSON record:

   {"time":"2024-05-01T12:00:15Z","from":4,"to":8,"desired":9,
    "metrics":{"rps":{"value":1780,"proposal":9}},
    "reason":"rps 1780 at target 200 per replica proposes 9 (ratio 2.23); up policy percent=100 per 15s allows 8"}

 `ready` (replicas past their startup delay) is added in --simulate.
*/

extension ScaleDecision {
  package func write(to sink: OutputSink, config: ScaleConfig, includeReady: Bool) throws(IOError) {
    sink.beginObject()
    sink.key("time")
    sink.value(time: time, fractionDigits: time % 1_000_000 == 0 ? 0 : (time % 1000 == 0 ? 3 : 6))
    sink.key("from")
    sink.value(from)
    sink.key("to")
    sink.value(to)
    sink.key("desired")
    sink.value(desired)
    if includeReady {
      sink.key("ready")
      sink.value(ready)
    }
    sink.key("metrics")
    sink.beginObject()
    for (i, metric) in config.metrics.enumerated() {
      sink.key(string: metric.name)
      sink.beginObject()
      sink.key("value")
      if let v = i < values.count ? values[i] : nil { sink.value(v) } else { sink.valueNull() }
      sink.key("proposal")
      if let p = i < proposals.count ? proposals[i] : nil { sink.value(p.replicas) } else { sink.valueNull() }
      sink.endObject()
    }
    sink.endObject()
    sink.key("reason")
    sink.value(reason(config))
    sink.endObject()
    try sink.endRecord()
  }
}
