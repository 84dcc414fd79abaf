import XCTest
@testable import LogKit

/// Metric expressions over a group of window records, and the engine's grouping by `end`.
final class MetricProgramTests: XCTestCase {
  private func read(_ reader: RecordReader, _ text: String) throws {
    var line = text
    try line.withUTF8 { buffer in try reader.read(UnsafeRawBufferPointer(buffer)) }
  }

  /// The metric over `records` (one group).
  private func value(_ expression: String, _ records: [String], replicas: Int = 3, ready: Int = 2) throws -> Double? {
    let reader = RecordReader(timeField: "end")
    let program = try MetricProgram(name: "m", expression: expression, reader: reader)
    for record in records {
      try read(reader, record)
      program.add(reader.slots)
    }
    return program.finish(replicas: replicas, ready: ready)
  }

  let group = [
    #"{"end":"2025-01-01T00:00:15Z","path":"/a","count":30,"p95":0.2,"errors":3}"#,
    #"{"end":"2025-01-01T00:00:15Z","path":"/b","count":15,"p95":0.5}"#,
    #"{"end":"2025-01-01T00:00:15Z","path":"/c","count":"15","p95":null}"#,
  ]

  func testAggregatesAcrossTheGroup() throws {
    XCTAssertEqual(try value("sum(count)/15", group), 4)
    XCTAssertEqual(try value("count/15", group), 4, "a bare field is summed")
    XCTAssertEqual(try value("max(p95)", group), 0.5)
    XCTAssertEqual(try value("min(p95)", group), 0.2)
    XCTAssertEqual(try value("avg(count)", group), 20)
    XCTAssertEqual(try value("sum(errors) / sum(count)", group), 0.05)
    XCTAssertEqual(try value("sum(count_is_missing)", group), nil, "no record has it: missing, not 0")
    XCTAssertEqual(try value("coalesce(sum(nope), 0)", group), 0)
    XCTAssertEqual(try value("sum(count * (path == \"/a\"))", group), nil, "booleans are not numbers")
    XCTAssertEqual(try value("max(sum(count), 100)", group), 100, "min/max of several values are the functions")
    XCTAssertEqual(try value("sum(max(count, 20))", group), 70, "inside an aggregate, per record")
    XCTAssertEqual(try value("sum(count) / replicas", group), 20)
    XCTAssertEqual(try value("sum(count) / ready", group), 30)
    XCTAssertEqual(try value("p95", [group[0]]), 0.2)
  }

  func testGroupsAreIndependent() throws {
    let reader = RecordReader(timeField: "end")
    let program = try MetricProgram(name: "m", expression: "sum(count)", reader: reader)
    try read(reader, group[0])
    program.add(reader.slots)
    XCTAssertEqual(program.finish(replicas: 1, ready: 1), 30)
    XCTAssertNil(program.finish(replicas: 1, ready: 1), "an empty group is missing")
    try read(reader, group[1])
    program.add(reader.slots)
    XCTAssertEqual(program.finish(replicas: 1, ready: 1), 15)
  }

  func testDefinitionsAndErrors() throws {
    XCTAssertEqual(try MetricProgram.splitDefinition("rps=sum(count)/15").name, "rps")
    XCTAssertEqual(try MetricProgram.splitDefinition("rps=sum(count)/15").expression, "sum(count)/15")
    XCTAssertEqual(try MetricProgram.splitDefinition("p95").name, "p95")
    XCTAssertEqual(try MetricProgram.splitDefinition("lat.p95").name, "lat.p95")
    XCTAssertThrowsError(try MetricProgram.splitDefinition("count==3"))
    XCTAssertThrowsError(try MetricProgram.splitDefinition("sum(count)/15")) { error in
      XCTAssertTrue("\(error)".contains("NAME=EXPR"))
    }
    let reader = RecordReader(timeField: "end")
    XCTAssertThrowsError(try MetricProgram(name: "m", expression: "sum(count)/ + 1", reader: reader)) { error in
      XCTAssertEqual((error as? MetricExprError)?.column, 13)
    }
    XCTAssertThrowsError(try MetricProgram(name: "m", expression: "sum(count +)", reader: reader)) { error in
      XCTAssertEqual((error as? MetricExprError)?.column, 12, "\(error)")
    }
    XCTAssertThrowsError(try MetricProgram(name: "m", expression: "sum(a, b)", reader: reader)) { error in
      XCTAssertTrue("\(error)".contains("aggregates one expression"), "\(error)")
    }
    XCTAssertThrowsError(try MetricProgram(name: "m", expression: "sum(count", reader: reader))
    XCTAssertThrowsError(try MetricProgram(name: "m", expression: "summ(count)", reader: reader)) { error in
      XCTAssertTrue("\(error)".contains("unknown function 'summ'"), "\(error)")
    }
  }

  func testEngineGroupsRecordsByEnd() throws {
    var config = ScaleConfig(metrics: [ScaleMetric(name: "rps", target: 1)], minReplicas: 1, maxReplicas: 100)
    config.up = ScalingRules(window: 0, policies: [ScalingPolicy(.pods, 100, per: 15_000_000)])
    let engine = try ScaleEngine(config: config, definitions: [("rps", "sum(count)/15")], timeField: "end")
    var decisions: [ScaleDecision] = []
    let lines = [
      #"{"end":"2025-01-01T00:00:15Z","count":150}"#,
      #"{"end":"2025-01-01T00:00:15Z","count":150}"#,
      #"{"end":"2025-01-01T00:00:30Z","count":600}"#,
      #"{"end":"2025-01-01T00:00:15Z","count":1}"#,
      #"{"end":"2025-01-01T00:00:45Z","count":750}"#,
    ]
    var late: [String] = []
    var current = 10
    for text in lines {
      var line = text
      try line.withUTF8 { buffer in
        switch try engine.read(UnsafeRawBufferPointer(buffer)) {
        case .late(let reason): late.append(reason)
        case .newGroup:
          if let d = engine.evaluate(current: current, ready: current) { decisions.append(d); current = d.to }
          engine.addRecord()
        case .sameGroup: engine.addRecord()
        }
      }
    }
    if let d = engine.evaluate(current: current, ready: current) { decisions.append(d) }
    XCTAssertEqual(decisions.map(\.values), [[20], [40], [50]])
    XCTAssertEqual(decisions.map(\.to), [20, 40, 50])
    XCTAssertEqual(late.count, 1)
    XCTAssertTrue(late[0].contains("before the open evaluation"), late[0])
    XCTAssertEqual(engine.evaluations, 3)
  }
}
