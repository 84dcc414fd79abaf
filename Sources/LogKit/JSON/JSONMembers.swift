/*
 Walks the members of a nested object, or the elements of an array, of the
 scanned line one at a time: the top level has its field table, this is the
 same for values below it (Caddy's `request.headers.User-Agent` array). No
 table and no allocation: each step scans one member with the shared cursor.
*/

/// The members of an object token (or the elements of an array token, with
/// empty names) in line order. Any other token has none.
package struct JSONMembers: Sequence, IteratorProtocol {
  /// Positioned after the opening bracket or the last comma; nil when done.
  private var cursor: JSONCursor?
  private let isObject: Bool

  init(base: UnsafePointer<UInt8>?, token t: JSONToken) {
    isObject = t.kind == .object
    guard let base, t.kind == .object || t.kind == .array else { return }
    cursor = JSONCursor(base: base, count: t.end, pos: t.start &+ 1)
  }

  package mutating func next() -> JSONField? {
    guard var c = cursor else { return nil }
    cursor = nil
    c.skipWhitespace()
    // The token was validated by `scan`; a failure here means it came from
    // another line, and ends the walk rather than reading garbage.
    guard c.pos < c.count, c.base[c.pos] != UInt8(ascii: isObject ? "}" : "]") else { return nil }
    var field = JSONField(nameStart: 0, nameEnd: 0, nameEscaped: false, value: JSONToken(start: 0, end: 0, kind: .null))
    do throws(NDJSONError) {
      if isObject {
        guard c.base[c.pos] == 0x22 else { return nil }
        field.nameStart = c.pos &+ 1
        field.nameEscaped = try c.scanString()
        field.nameEnd = c.pos &- 1
        c.skipWhitespace()
        guard c.pos < c.count, c.base[c.pos] == UInt8(ascii: ":") else { return nil }
        c.pos &+= 1
        c.skipWhitespace()
      }
      field.value = try c.scanValue(depth: 1)
    } catch {
      return nil
    }
    c.skipWhitespace()
    if c.pos < c.count, c.base[c.pos] == UInt8(ascii: ",") {
      c.pos &+= 1
      cursor = c
    }
    return field
  }
}

extension NDJSONScanner {
  /// The members of object `t` or the elements of array `t` (a token of the current line).
  package func members(of t: JSONToken) -> JSONMembers {
    JSONMembers(base: base, token: t)
  }
}
