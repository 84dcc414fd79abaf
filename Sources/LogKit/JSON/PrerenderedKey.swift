/*
 Output field names escaped once: window records repeat the same keys
 hundreds of thousands of times, and escaping a String per key showed up
 as a tenth of the run time in profiles.
*/

package struct PrerenderedKey: Sendable {
  /// `"name":` with the name escaped.
  let bytes: [UInt8]

  package init(_ name: String) {
    let sink = OutputSink(fd: -1, capacity: 64)
    sink.appendEscapedString(name)
    sink.append(UInt8(ascii: ":"))
    bytes = Array(sink.contents)
  }
}

extension OutputSink {
  /// Writes a pre-rendered `"name":` (with a leading comma when needed).
  @inlinable
  package func key(_ key: PrerenderedKey) {
    if separatorPending { append(UInt8(ascii: ",")) }
    key.bytes.withUnsafeBytes { append($0) }
    separatorPending = false
  }
}
