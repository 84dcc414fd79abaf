/*
 Window records in, evaluations out: records are grouped by their event time
 (`end` by default); a group closes when a record with a later time arrives
 (or the caller closes it when input ends or idles), and each closed group is
 one evaluation of every metric and of the autoscaler.

   switch try engine.read(line) {
   case .late(let reason): reject(line, reason)
   case .newGroup: let d = engine.evaluate(current: n, ready: n); ...; engine.addRecord()
   case .sameGroup: engine.addRecord()
   }
*/

/// Where a record read by `ScaleEngine.read` belongs.
package enum ScaleRecordPlace: Equatable, Sendable {
  /// Same time as the open group (or the first record): call `addRecord()`.
  case sameGroup
  /// A later time: evaluate the open group first, then `addRecord()`.
  case newGroup
  /// Earlier than the open group or than the last evaluation: input out of order.
  case late(String)
}

package final class ScaleEngine {
  package let reader: RecordReader
  package let programs: [MetricProgram]
  package private(set) var autoscaler: Autoscaler
  /// Time of the open group, nil when none is open.
  package private(set) var groupTime: EpochMicros?
  /// Time of the last evaluation.
  package private(set) var lastEvaluation: EpochMicros?
  package private(set) var evaluations = 0
  package private(set) var records = 0
  private var values: [Double?]

  /// - Parameter definitions: (name, expression) per metric, in the order of `config.metrics`.
  package init(config: ScaleConfig, definitions: [(name: String, expression: String)], timeField: String) throws(MetricExprError) {
    reader = RecordReader(timeField: timeField)
    var programs: [MetricProgram] = []
    for d in definitions {
      do { programs.append(try MetricProgram(name: d.name, expression: d.expression, reader: reader)) } catch {
        throw MetricExprError("metric '\(d.name)': \(error.message)", column: error.column)
      }
    }
    self.programs = programs
    autoscaler = Autoscaler(config: config)
    values = Array(repeating: nil, count: programs.count)
  }

  package var config: ScaleConfig { autoscaler.config }
  package var hasOpenGroup: Bool { groupTime != nil }

  /// What --state saves: the replicas now, the last evaluation and the controller's history.
  package func state(current: Int) -> ScaleState {
    ScaleState(current: current, lastEvaluation: lastEvaluation, history: autoscaler.history)
  }

  /// Replaces the remembered history (from a state file).
  /// A decision that was not applied (its --exec failed): policies no longer count it.
  package func forgetScale(from: Int, to: Int, at time: EpochMicros) {
    autoscaler.history.forgetScale(from: from, to: to, at: time)
  }

  package func restore(history: ScaleHistory, lastEvaluation: EpochMicros?) {
    autoscaler.history = history
    self.lastEvaluation = lastEvaluation
  }

  /// Reads a line; the record is added only by `addRecord()`.
  package func read(_ line: UnsafeRawBufferPointer) throws(RecordReadFailure) -> ScaleRecordPlace {
    try reader.read(line)
    let t = reader.time
    if let open = groupTime {
      if t == open { return .sameGroup }
      if t > open { return .newGroup }
      return .late("\(reader.timeFieldName ?? "time") \(formatRFC3339(t)) is before the open evaluation at \(formatRFC3339(open)); input must be in time order")
    }
    if let last = lastEvaluation, t <= last {
      return .late("\(reader.timeFieldName ?? "time") \(formatRFC3339(t)) is not after the last evaluation at \(formatRFC3339(last)); input must be in time order")
    }
    return .sameGroup
  }

  /// Adds the record just read to the open group (opening it).
  package func addRecord() {
    groupTime = reader.time
    records &+= 1
    for program in programs { program.add(reader.slots) }
  }

  /// Evaluates and closes the open group; nil when none is open.
  package func evaluate(current: Int, ready: Int) -> ScaleDecision? {
    guard let time = groupTime else { return nil }
    for (i, program) in programs.enumerated() { values[i] = program.finish(replicas: current, ready: ready) }
    groupTime = nil
    lastEvaluation = time
    evaluations &+= 1
    return autoscaler.evaluate(time: time, values: values, current: current, ready: ready)
  }
}
