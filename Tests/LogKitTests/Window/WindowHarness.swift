/*
 Drives the window engine in-process: options as on the command line,
 records as NDJSON strings, output captured and decoded. The clock is a
 manual one, so idle closing and early emission need no sleeping.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

final class ManualClock: @unchecked Sendable {
  var now: Int64 = 0
  var clock: MonotonicClock { MonotonicClock { [unowned self] in self.now } }
}

final class WindowHarness {
  let sink = OutputSink(fd: -1)
  let lateSink = OutputSink(fd: -1)
  let evaluator: RecordEvaluator
  let engine: WindowEngine
  let manualClock = ManualClock()
  var rejected: [String] = []

  /// `producer`: the name partial records carry (version 2); nil writes version 1.
  init(_ arguments: [String], producer: String? = nil, run: Int64 = 1) throws {
    let options = try ArgumentParser.parse(arguments, spec: LogWindowCommand.spec)
    let settings = try LogWindowSettings(options)
    let layout = AccumulatorLayout(settings.aggregates)
    evaluator = try RecordEvaluator(timeField: settings.timeField, filter: settings.filter, keys: settings.keys, layout: layout)
    let output = WindowOutput(
      sink: sink, keyNames: settings.keys.map(\.name), window: WindowDescription(kind: settings.config.kind),
      partial: settings.partial, markFinal: settings.config.earlyEvery != nil,
      producer: producer.map { ProducerStamp(ProducerIdentity(name: $0, run: run), now: 0) }, clock: manualClock.clock)
    engine = WindowEngine(config: settings.config, layout: layout, output: output, lateSink: lateSink, clock: manualClock.clock)
  }

  func feed(_ lines: [String]) throws {
    for line in lines {
      var text = line
      try text.withUTF8 { buffer in
        let bytes = UnsafeRawBufferPointer(buffer)
        switch evaluator.evaluate(bytes) {
        case .ok:
          try engine.add(time: evaluator.time, key: evaluator.keyBuffer.contents, hash: evaluator.keyHash, inputs: evaluator.inputs, line: bytes)
        case .filtered: break
        case .invalid(let reason): rejected.append(reason)
        }
      }
    }
  }

  /// Output written so far, decoded (and taken out of the sink). A line that
  /// is not a JSON object fails the test.
  func take(sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
    decodeNDJSON(sink.takeString(), sourceLocation: sourceLocation)
  }

  func takeText() -> String { sink.takeString() }

  func finish(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
    try engine.finish()
    return take(sourceLocation: sourceLocation)
  }
}

/// `{"time":"…","k":v,…}` for tests.
func record(_ time: String, _ fields: [String: Any] = [:], sourceLocation: SourceLocation = #_sourceLocation) -> String {
  var object = fields
  object["time"] = time
  do {
    return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
  } catch {
    Issue.record("cannot encode test record \(object): \(error)", sourceLocation: sourceLocation)
    return ""
  }
}
