/*
 The members of one scanned JSON object: name ranges and value tokens, kept
 in a buffer that is allocated once and only grows, so scanning a record
 allocates nothing after the first few lines.
*/

/// One member of a scanned object; offsets index the scanned line.
package struct JSONField: Sendable {
  /// The name's range between its quotes (undecoded).
  package var nameStart: Int
  package var nameEnd: Int
  /// The name contains a backslash escape (rare; lookups decode it).
  package var nameEscaped: Bool
  package var value: JSONToken
}

final class JSONFieldTable {
  var fields: UnsafeMutablePointer<JSONField>
  var count = 0
  var capacity: Int

  init(capacity: Int = 32) {
    self.capacity = capacity
    fields = UnsafeMutablePointer<JSONField>.allocate(capacity: capacity)
  }

  deinit { fields.deallocate() }

  @inline(__always)
  func append(_ field: JSONField) {
    if count == capacity { grow() }
    (fields + count).initialize(to: field)
    count &+= 1
  }

  @inline(never)
  private func grow() {
    let newCapacity = capacity * 2
    let newFields = UnsafeMutablePointer<JSONField>.allocate(capacity: newCapacity)
    newFields.moveInitialize(from: fields, count: count)
    fields.deallocate()
    fields = newFields
    capacity = newCapacity
  }
}
