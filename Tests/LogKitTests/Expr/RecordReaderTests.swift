import XCTest
@testable import LogKit

final class RecordReaderTests: XCTestCase {
  private func read(_ reader: RecordReader, _ text: String) throws {
    var line = text
    try line.withUTF8 { buffer in try reader.read(UnsafeRawBufferPointer(buffer)) }
  }

  func testTimeFormsAndTypedAccess() throws {
    let reader = RecordReader(timeField: "end")
    let errorsOver = try reader.compile("errors / count")
    try read(reader, #"{"start":"2025-07-01T00:00:00Z","end":"2025-07-01T00:01:00Z","path":"/a","count":4,"errors":1,"m":{"x":2}}"#)
    XCTAssertEqual(reader.time, 1_751_328_060_000_000)
    XCTAssertEqual(errorsOver.number(reader.slots), 0.25)
    XCTAssertEqual(reader.string("path"), "/a")
    XCTAssertEqual(reader.number("m.x"), 2)
    XCTAssertNil(reader.number("path"))
    XCTAssertEqual(reader.topLevelNames, ["start", "end", "path", "count", "errors", "m"])
    try read(reader, #"{"end":1751328060,"count":1}"#)
    XCTAssertEqual(reader.time, 1_751_328_060_000_000)
    try read(reader, #"{"end":1751328060500,"count":1}"#)
    XCTAssertEqual(reader.time, 1_751_328_060_500_000)
  }

  func testFailuresAreTyped() {
    let reader = RecordReader(timeField: "end")
    XCTAssertThrowsError(try read(reader, #"{"count":1}"#)) { error in
      XCTAssertEqual(error as? RecordReadFailure, .missingTime(field: "end"))
    }
    XCTAssertThrowsError(try read(reader, #"{"end":"yesterday"}"#)) { error in
      XCTAssertEqual(error as? RecordReadFailure, .invalidTime(field: "end"))
    }
    XCTAssertThrowsError(try read(reader, #"{"end":"#)) { error in
      guard case .invalidJSON = error as? RecordReadFailure else { return XCTFail("\(error)") }
    }
  }
}
