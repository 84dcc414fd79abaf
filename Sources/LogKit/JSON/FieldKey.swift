/*
 Field names prepared for repeated lookups. Records of one stream share their
 layout, so each key remembers where it was found last time and checks that
 position first: usually one length compare and one memcmp per lookup.
*/

/// A field name plus the index where it matched in the previous record.
package struct FieldKey: Sendable {
  package let name: [UInt8]
  var hint: Int = 0

  package init(_ name: String) {
    self.name = Array(name.utf8)
  }

  package init(bytes: [UInt8]) {
    self.name = bytes
  }
}

/// A dotted path (`a.b.c`): the first key is a top-level field, the others
/// members of nested objects.
package struct FieldPath: Sendable, Hashable {
  package var keys: [FieldKey]

  package init(_ components: [String]) {
    keys = components.map(FieldKey.init)
  }

  /// Splits `a.b.c` at dots.
  package init(dotted: String) {
    self.init(dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init))
  }

  package var components: [String] { keys.map { String(decoding: $0.name, as: UTF8.self) } }

  package static func == (a: FieldPath, b: FieldPath) -> Bool {
    a.keys.map(\.name) == b.keys.map(\.name)
  }

  package func hash(into hasher: inout Hasher) {
    for key in keys { hasher.combine(key.name) }
  }
}
