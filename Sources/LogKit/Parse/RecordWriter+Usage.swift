/*
 `logparse --fields nosuchfield` writes `{}` per line: at exit the command
 warns once per selected field that no record had, with a did-you-mean
 among the fields records did have. Watching costs an OR per record, plus
 the custom names of the first records and of those until every selected
 custom field has been seen.
*/

struct FieldUsage {
  /// Standard fields present in any record so far.
  var present: UInt32 = 0
  /// Custom field names of the first records, for did-you-mean.
  var customNames: Set<String> = []
  /// Selected custom names (--fields) no record has had yet.
  var pending: [[UInt8]] = []
  var records = 0
  private static let sampled = 1000

  mutating func note(_ t: FieldTable) {
    records &+= 1
    present |= t.present
    if records <= Self.sampled {
      for k in 0..<t.customCount { customNames.insert(String(decoding: t.customNames[k], as: UTF8.self)) }
    }
    guard !pending.isEmpty, t.customCount > 0 else { return }
    pending.removeAll { name in (0..<t.customCount).contains { t.customNames[$0].elementsEqual(name) } }
  }
}

extension RecordWriter {
  /// One warning per --fields name that no record had; none when nothing was written.
  package func unseenFieldWarnings(selected fields: [String]?, constants: [String]) -> [String] {
    guard let fields, usage.records > 0 else { return [] }
    let standard = AccessField.allCases.filter { usage.present & $0.bit != 0 }.map(\.name)
    let pending = Set(usage.pending.map { String(decoding: $0, as: UTF8.self) })
    let seen = Set(standard).union(usage.customNames).union(constants)
    var warned = Set<String>()
    return fields.filter { name in
      let missing = AccessField(name: name).map { usage.present & $0.bit == 0 } ?? pending.contains(name)
      return missing && !constants.contains(name) && warned.insert(name).inserted
    }.map { unseenFieldWarning($0, seen: seen) }
  }
}
