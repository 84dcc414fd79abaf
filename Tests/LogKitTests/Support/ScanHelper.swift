// Scans a line with an NDJSONScanner and runs a body while the bytes are alive.
@testable import LogKit

extension NDJSONScanner {
  func withScan<T>(_ text: String, _ body: (NDJSONScanner) throws -> T) throws -> T {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { buffer in
      try scan(buffer)
      return try body(self)
    }
  }
}
