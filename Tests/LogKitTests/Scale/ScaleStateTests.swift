import XCTest
@testable import LogKit

/// The --state payload: a restart continues with the same windows and periods.
final class ScaleStateTests: XCTestCase {
  let s = HPAReferenceTests.s

  func testRoundTripAndContinuation() throws {
    let config = HPAReferenceTests.config()
    var before = Autoscaler(config: config)
    var current = 10
    for t in stride(from: Int64(0), through: 150, by: 15) {
      current = before.evaluate(time: t * s, values: [t == 60 ? 2000 : 400], current: current, ready: current).to
    }
    let state = ScaleState(current: current, lastEvaluation: 150 * s, history: before.history)
    let restored = try ScaleState.decode(state.encoded())
    XCTAssertEqual(restored, state)
    // The restored controller decides exactly as the one that kept running.
    var after = Autoscaler(config: config)
    after.history = restored.history
    var a = current, b = restored.current
    for t in stride(from: Int64(165), through: 600, by: 15) {
      a = before.evaluate(time: t * s, values: [400], current: a, ready: a).to
      b = after.evaluate(time: t * s, values: [400], current: b, ready: b).to
      XCTAssertEqual(a, b, "at \(t)s")
    }
    // A fresh controller would instead wait a whole window from its start.
    var fresh = Autoscaler(config: config)
    XCTAssertEqual(fresh.evaluate(time: 400 * s, values: [400], current: 20, ready: 20).to, 20)
  }

  func testCorruptPayloadsAreTypedErrors() {
    for text in ["", "[]", #"{"current":-1}"#, #"{"current":3,"recommendations":[[1]],"up_events":[],"down_events":[]}"#] {
      XCTAssertThrowsError(try ScaleState.decode(Array(text.utf8)), text) { error in
        XCTAssertTrue(error is ScaleStateError, "\(error)")
      }
    }
  }
}
