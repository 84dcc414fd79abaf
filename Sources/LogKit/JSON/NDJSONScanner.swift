/*
 The NDJSON reader: one validating pass over a line that records each
 top-level field's name and value as byte ranges; typed access happens on
 demand (NDJSONScanner+Values.swift).

 Allocate one scanner per input stream and call `scan` for every line. The
 scanner keeps pointers into the line, so the line's bytes must stay valid
 while its fields are read. Nothing is allocated per line once the field
 table and the decode buffer have grown to the stream's needs.

 Policy: the line must be one JSON object (surrounding whitespace allowed).
 Duplicate names are kept; lookups find the first. UTF-8 inside strings is
 not validated (see JSONCursor.swift); lone \u surrogates decode to U+FFFD.
*/
import Glibc

package final class NDJSONScanner {
  var base: UnsafePointer<UInt8>?
  var lineCount = 0
  let table = JSONFieldTable()
  /// Members of a nested object during a path lookup.
  let nestedTable = JSONFieldTable(capacity: 8)
  /// Decoded string bytes (escapes resolved); grows to the longest string seen.
  var scratch: UnsafeMutablePointer<UInt8>
  var scratchCapacity = 256
  /// Where the previous `fieldIndex(named:)` matched: the next lookup starts
  /// just after it, since callers tend to read fields in record order.
  var lastHit = -1

  package init() {
    scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity)
  }

  deinit { scratch.deallocate() }

  /// Validates `line` as one JSON object and records its top-level fields.
  /// On error the scanner holds no fields.
  package func scan(_ line: UnsafeRawBufferPointer) throws(NDJSONError) {
    table.count = 0
    guard let start = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
      base = nil
      lineCount = 0
      throw NDJSONError("empty line: expected '{'", column: 1, kind: .notAnObject)
    }
    base = start
    lineCount = line.count
    var cursor = JSONCursor(base: start, count: line.count)
    do throws(NDJSONError) {
      cursor.skipWhitespace()
      guard cursor.pos < cursor.count, start[cursor.pos] == UInt8(ascii: "{") else {
        var e = cursor.unexpected("expected '{' (a record is a JSON object)")
        e.kind = .notAnObject
        throw e
      }
      try cursor.scanObject(depth: 1, into: table)
      cursor.skipWhitespace()
      if cursor.pos < cursor.count {
        var e = cursor.unexpected("expected end of line after object")
        e.kind = .textAfterObject
        throw e
      }
    } catch {
      table.count = 0
      throw error
    }
  }

  /// The current line.
  package var line: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: lineCount) }

  /// Bytes `start..<end` of the current line.
  func bytes(_ start: Int, _ end: Int) -> UnsafeRawBufferPointer {
    guard let b = base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: b + start, count: end &- start)
  }

  /// Number of top-level fields of the current line.
  package var fieldCount: Int { table.count }

  /// The value of field `index`.
  package func token(at index: Int) -> JSONToken { table.fields[index].value }

  /// The raw name of field `index` (between the quotes, escapes not decoded).
  package func rawName(at index: Int) -> UnsafeRawBufferPointer {
    let f = table.fields[index]
    return bytes(f.nameStart, f.nameEnd)
  }

  /// The decoded name of field `index`.
  package func name(at index: Int) -> String {
    let f = table.fields[index]
    return decodedString(start: f.nameStart, end: f.nameEnd, escaped: f.nameEscaped)
  }

  // MARK: lookups

  package func fieldIndex(named name: StaticString) -> Int? {
    fieldIndex(bytes: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
  }

  package func fieldIndex(named name: String) -> Int? {
    var name = name
    return name.withUTF8 { fieldIndex(bytes: UnsafeRawBufferPointer($0)) }
  }

  /// Finds a top-level field by its decoded name, starting after the previous hit.
  package func fieldIndex(bytes name: UnsafeRawBufferPointer) -> Int? {
    let found = find(name, in: table, from: lastHit &+ 1)
    if let found { lastHit = found }
    return found
  }

  /// Finds a top-level field with the key's cached position checked first.
  package func fieldIndex(_ key: inout FieldKey) -> Int? {
    key.name.withUnsafeBytes { fieldIndex(name: $0, hint: &key.hint) }
  }

  /// Finds a top-level field by its name's bytes, checking `hint` first and
  /// moving it to where the field was found (callers keep one per field).
  @inline(__always)
  package func fieldIndex(name: UnsafeRawBufferPointer, hint: inout Int) -> Int? {
    let found = find(name, in: table, from: hint)
    if let found { hint = found }
    return found
  }

  /// The value at a dotted path; nil when a component is missing or a parent
  /// is not an object. Nested objects are scanned on demand.
  package func token(at path: inout FieldPath) -> JSONToken? {
    guard !path.keys.isEmpty, let first = fieldIndex(&path.keys[0]) else { return nil }
    var token = table.fields[first].value
    var k = 1
    while k < path.keys.count {
      guard token.kind == .object, let start = base else { return nil }
      var cursor = JSONCursor(base: start, count: token.end, pos: token.start)
      nestedTable.count = 0
      // The object was validated by `scan`; this pass only records members.
      do { try cursor.scanObject(depth: 1, into: nestedTable) } catch { return nil }
      let hint = path.keys[k].hint
      guard let found = path.keys[k].name.withUnsafeBytes({ find($0, in: nestedTable, from: hint) }) else {
        return nil
      }
      path.keys[k].hint = found
      token = nestedTable.fields[found].value
      k &+= 1
    }
    return token
  }

  /// Convenience for one-off lookups (tests, option handling).
  package func value(path: [String]) -> JSONToken? {
    var p = FieldPath(path)
    return token(at: &p)
  }

  /// The field named `name`, checked at `start` first (inline: callers pass
  /// where it was last time, and that is nearly always where it is).
  @inline(__always)
  func find(_ name: UnsafeRawBufferPointer, in t: JSONFieldTable, from start: Int) -> Int? {
    if start >= 0, start < t.count, let lineBase = base, let p = name.baseAddress {
      let f = t.fields[start]
      if !f.nameEscaped, f.nameEnd &- f.nameStart == name.count,
        bytesEqual(lineBase + f.nameStart, p, count: name.count)
      {
        return start
      }
    }
    return search(name, in: t, from: start)
  }

  /// Linear search from `start`, wrapping around; fine for the < 32 fields of a log record.
  @inline(never)
  func search(_ name: UnsafeRawBufferPointer, in t: JSONFieldTable, from start: Int) -> Int? {
    let n = t.count
    guard n > 0, let lineBase = base else { return nil }
    var i = start < n && start >= 0 ? start : 0
    for _ in 0..<n {
      let f = t.fields[i]
      if f.nameEnd &- f.nameStart == name.count || f.nameEscaped {
        if !f.nameEscaped {
          guard let p = name.baseAddress else { return i }  // empty name matches ""
          if bytesEqual(lineBase + f.nameStart, p, count: name.count) { return i }
        } else if escapedName(f, equals: name) {
          return i
        }
      }
      i &+= 1
      if i == n { i = 0 }
    }
    return nil
  }

  private func escapedName(_ f: JSONField, equals name: UnsafeRawBufferPointer) -> Bool {
    let decoded = decodeInScratch(start: f.nameStart, end: f.nameEnd)
    guard decoded.count == name.count else { return false }
    guard let a = decoded.baseAddress, let b = name.baseAddress else { return true }
    return memcmp(a, b, name.count) == 0
  }

  /// Decodes `start..<end` of the line (string content) into the scratch buffer.
  func decodeInScratch(start: Int, end: Int) -> UnsafeRawBufferPointer {
    let n = end - start
    guard let lineBase = base, n > 0 else { return UnsafeRawBufferPointer(start: scratch, count: 0) }
    if n > scratchCapacity {
      scratch.deallocate()
      scratchCapacity = Swift.max(n, scratchCapacity * 2)
      scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: scratchCapacity)
    }
    let length = decodeJSONString(lineBase + start, n, into: scratch)
    return UnsafeRawBufferPointer(start: scratch, count: length)
  }

  func decodedString(start: Int, end: Int, escaped: Bool) -> String {
    if escaped { return String(decoding: decodeInScratch(start: start, end: end), as: UTF8.self) }
    return String(decoding: bytes(start, end), as: UTF8.self)
  }
}
