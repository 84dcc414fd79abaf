// The text buffered in an in-memory OutputSink (fd -1), for assertions.
@testable import LogKit

extension OutputSink {
  var bufferedText: String {
    String(decoding: UnsafeRawBufferPointer(start: base, count: count), as: UTF8.self)
  }
}
