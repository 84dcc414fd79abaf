/*
 The key of a record for each distinct `by` clause of the rules: the key
 fields rendered as JSON members (`"path":"/x"`), and their hash. Rules with
 the same `by` (the usual case: a rule set keyed by path) share one key, so
 a record's key is rendered and hashed once, not once per rule.

 Without `by`, the key is every string-valued field other than the time
 fields (`excluded`).
*/

struct AlertKeyBuilder {
  /// The distinct key clauses: dotted paths (empty: the default key) and their names.
  private var paths: [[FieldPath]] = []
  private var names: [[[UInt8]]] = []
  private var clauses: [[[String]]?] = []
  private let excluded: [[UInt8]]
  /// Per clause: the current record's key bytes and hash, and the record they were built for.
  private(set) var keys: [[UInt8]] = []
  private(set) var hashes: [UInt64] = []
  private var builtFor: [Int] = []

  init(excluded: [String]) {
    self.excluded = Set(excluded).sorted().map { Array($0.utf8) }
  }

  var clauseCount: Int { clauses.count }

  /// The clause number of a rule's `by` (nil: the default key), registered when new.
  mutating func clause(_ by: [[String]]?) -> Int {
    if let existing = clauses.firstIndex(where: { $0 == by }) { return existing }
    clauses.append(by)
    paths.append((by ?? []).map { FieldPath($0) })
    names.append((by ?? []).map { Array($0.joined(separator: ".").utf8) })
    keys.append([])
    hashes.append(0)
    builtFor.append(-1)
    return clauses.count - 1
  }

  /// Renders clause `c`'s key of the scanner's record `record` (a counter), once per record.
  mutating func build(_ c: Int, record: Int, scanner: NDJSONScanner) {
    guard builtFor[c] != record else { return }
    builtFor[c] = record
    var key = keys[c]
    keys[c] = []
    key.removeAll(keepingCapacity: true)
    if paths[c].isEmpty {
      for f in 0..<scanner.fieldCount {
        let token = scanner.token(at: f)
        guard token.kind == .string else { continue }
        let name = scanner.rawName(at: f)
        if isExcluded(name) { continue }
        Self.appendMember(&key, name, scanner.rawBytes(token))
      }
    } else {
      for k in 0..<paths[c].count {
        let token = paths[c][k].components.count == 1
          ? scanner.fieldIndex(&paths[c][k].keys[0]).map { scanner.token(at: $0) }
          : scanner.token(at: &paths[c][k])
        names[c][k].withUnsafeBytes { name in
          if let token {
            Self.appendMember(&key, name, scanner.rawBytes(token))
          } else {
            Self.null.withUnsafeBytes { Self.appendMember(&key, name, $0) }
          }
        }
      }
    }
    hashes[c] = AlertKeyIndex.hash(key)
    keys[c] = key
  }

  private static let null = Array("null".utf8)

  private func isExcluded(_ name: UnsafeRawBufferPointer) -> Bool {
    for name2 in excluded where name2.withUnsafeBytes({ bytesEqual($0, name) }) { return true }
    return false
  }

  private static func appendMember(_ key: inout [UInt8], _ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) {
    if !key.isEmpty { key.append(UInt8(ascii: ",")) }
    key.append(0x22)
    key.append(contentsOf: name)
    key.append(0x22)
    key.append(UInt8(ascii: ":"))
    key.append(contentsOf: value)
  }
}
