// Feeding NDJSON text to a DashModel in tests.
import Foundation
import Testing
import LogKitTestSupport
@testable import LogKit

enum DashHarness {
  @discardableResult
  static func feed(_ model: DashModel, _ lines: [String]) -> [DashIngest] {
    lines.map { line in
      var bytes = Array(line.utf8)
      return bytes.withUnsafeMutableBytes { model.ingest(UnsafeRawBufferPointer($0)) }
    }
  }

  static func fixtureLines(_ name: String) -> [String] {
    String(decoding: Fixtures.bytes("logdash", name), as: UTF8.self).split(separator: "\n").map(String.init)
  }

  /// The pipeline fixture, finished.
  static func pipelineModel(_ config: DashConfig = DashConfig()) -> DashModel {
    let model = DashModel(config: config)
    feed(model, fixtureLines("pipeline.ndjson"))
    model.finish()
    return model
  }

  static func time(_ text: String) -> EpochMicros {
    TimeParser.any(text)?.micros ?? -1
  }
}
