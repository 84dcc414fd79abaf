/*
 logwindow --input-prefix NAMES: each line starts with one tab-terminated
 value per name, then the JSON record, as `kcat -f '%p\t%o\t%s\n'` writes
 partition, offset and message. The values are bytes (no JSON is spliced):
 --producer-by NAME picks the one that splits the input into producers, and a
 value named `offset` (digits) must rise within each producer, so a record at
 an offset not above the last one seen is a redelivery (a consumer group
 replaying a partition after a rebalance) and is skipped.
*/

struct InputPrefix {
  let names: [String]
  /// Index of the `offset` value, if any.
  let offsetIndex: Int?
  /// Index of the --producer-by value, if any.
  let byIndex: Int?
  static let maxValueBytes = 64

  init(names: [String], producerBy: String?) {
    self.names = names
    offsetIndex = names.firstIndex(of: "offset")
    byIndex = producerBy.flatMap { names.firstIndex(of: $0) }
  }

  /// `--input-prefix` text: comma-separated names of letters, digits, `_` and `-`.
  static func parse(_ text: String) throws(UsageError) -> [String] {
    let names = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    for name in names {
      guard !name.isEmpty, name.utf8.count <= 32, name.utf8.allSatisfy({ isNameByte($0) }) else {
        throw UsageError("invalid --input-prefix '\(excerpt(text))': expected names such as partition,offset")
      }
    }
    guard Set(names).count == names.count, names.count <= 8 else {
      throw UsageError("--input-prefix takes at most 8 distinct names")
    }
    return names
  }

  private static func isNameByte(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x5f || b == 0x2d
  }

  /// What the prefix of one line says.
  struct Split {
    /// Byte offset of the JSON record in the line.
    var recordStart = 0
    /// The --producer-by value (a range of the line), or an empty range.
    var by: Range<Int> = 0..<0
    var offset: Int64?
  }

  /// Splits `line`; the error is the rejection reason.
  func split(_ line: UnsafeRawBufferPointer) -> Result<Split, PrefixError> {
    var split = Split()
    var start = 0
    for i in names.indices {
      var end = start
      while end < line.count && line[end] != 0x09 { end += 1 }
      guard end < line.count else { return .failure(PrefixError(reason: "line without its \(names.count) tab-separated --input-prefix values (\(names.joined(separator: ",")))")) }
      if i == byIndex {
        guard end > start, end - start <= Self.maxValueBytes,
          UnsafeRawBufferPointer(rebasing: line[start..<end]).allSatisfy({ $0 > 0x20 && $0 < 0x7f })
        else { return .failure(PrefixError(reason: "invalid --producer-by value: expected 1 to 64 printable ASCII bytes")) }
        split.by = start..<end
      }
      if i == offsetIndex {
        guard let offset = Self.decimal(UnsafeRawBufferPointer(rebasing: line[start..<end])) else {
          return .failure(PrefixError(reason: "invalid offset in the --input-prefix values: expected digits"))
        }
        split.offset = offset
      }
      start = end + 1
    }
    split.recordStart = start
    return .success(split)
  }

  /// Digits (at most 18, so the value never overflows).
  private static func decimal(_ bytes: UnsafeRawBufferPointer) -> Int64? {
    guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
    var value: Int64 = 0
    for b in bytes {
      guard b >= 0x30 && b <= 0x39 else { return nil }
      value = value * 10 + Int64(b - 0x30)
    }
    return value
  }
}

struct PrefixError: Error {
  var reason: String
}
