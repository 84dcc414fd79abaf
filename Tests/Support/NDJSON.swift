/*
 NDJSON decoding for assertions, by Foundation (a reader independent of the
 library's). Every line must be one JSON object in valid UTF-8: any other line
 (blank lines included) fails the test with the line, never silently dropped.
*/
import Foundation
import Testing

/// Decodes NDJSON output into dictionaries (comparing values, not bytes).
package func decodeNDJSON(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
  decodeNDJSON(Data(text.utf8), sourceLocation: sourceLocation)
}

/// Decodes NDJSON bytes; invalid UTF-8 makes a line invalid too.
package func decodeNDJSON(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
  var body = data
  if body.last == UInt8(ascii: "\n") { body.removeLast() }
  if body.isEmpty { return [] }
  var records: [[String: Any]] = []
  for (index, line) in body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
    if let object = decodeObject(Data(line)) {
      records.append(object)
    } else {
      let text = String(decoding: line, as: UTF8.self)
      Issue.record("output line \(index + 1) is not a JSON object: \(text)", sourceLocation: sourceLocation)
    }
  }
  return records
}

private func decodeObject(_ line: Data) -> [String: Any]? {
  guard String(validating: line, as: UTF8.self) != nil else { return nil }
  do {
    return try JSONSerialization.jsonObject(with: line) as? [String: Any]
  } catch {
    return nil
  }
}
