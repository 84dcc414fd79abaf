/*
 A line format compiled into a flat array of segments.

 The Apache and nginx format compilers produce a list of literals and fields;
 `LineFormat` turns it into segments a matcher can run without allocating:
 each field knows how it ends (a terminator byte found with memchr, a closing
 quote, a `]`, or the end of the line), and the quotes around a field are
 folded into the field itself. For `%h %l %u %t "%r" %>s %b`:

     plain(client, ' ')  lit(" ")  plain(ident, ' ')  lit(" ")  plain(user, ' ')  lit(" ")
     bracketed(timeCLF)  lit(" ")  quoted(request, then ' ')  lit(" ")  plain(status, ' ')
     lit(" ")  plain(bytes, end)
*/

/// Errors in a user-given format string (`--apache-format`, `--nginx-format`).
package struct LogFormatError: Error, Equatable, Sendable, CustomStringConvertible {
  package var message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}

/// What a format compiler produces.
enum FormatElement: Equatable {
  case literal([UInt8])
  /// A field. `bracketed`: the value is written inside `[...]` by the field itself (Apache `%t`).
  /// `innerSpaces`: spaces the value itself contains (a CLF time has one).
  case field(Capture, label: String, bracketed: Bool = false, innerSpaces: Int = 0)
}

struct Segment {
  enum Op: UInt8 { case literal, plain, quoted, bracketed }
  let op: Op
  var capture: Capture = .skip
  var literalOffset = 0
  var literalCount = 0
  /// Plain: the byte that ends the value. Quoted: the byte that must follow the closing quote.
  var stop: UInt8 = 0
  /// The value runs to the end of the line (plain) / the closing quote ends the line (quoted).
  var stopAtEnd = false
  /// Quoted field followed directly by another field: any byte may follow the quote.
  var anyFollow = false
  var innerSpaces = 0
  /// `op == .literal`, stored apart: the matcher tests it on its own, and LLVM
  /// would fold a test of `op` itself back into the jump table over `op`,
  /// whose one indirect branch the CPU mispredicts as literals and fields alternate.
  let isLiteral: Bool

  init(op: Op, capture: Capture = .skip, literalOffset: Int = 0, literalCount: Int = 0) {
    self.op = op
    self.capture = capture
    self.literalOffset = literalOffset
    self.literalCount = literalCount
    isLiteral = op == .literal
  }
}

package final class LineFormat {
  package let name: String
  let segments: UnsafeMutableBufferPointer<Segment>
  private let literals: UnsafeMutablePointer<UInt8>
  /// JSON key bytes of custom fields, indexed by `Capture.custom`.
  let customNames: UnsafeMutablePointer<UnsafeRawBufferPointer>
  private let nameStorage: UnsafeMutablePointer<UInt8>
  package let customNameList: [String]

  init(name: String, elements input: [FormatElement], customNames names: [String]) throws(LogFormatError) {
    self.name = name
    customNameList = names
    // Merge adjacent literals, collapse runs of spaces (a literal space matches a run).
    var elements: [FormatElement] = []
    for element in input {
      if case .literal(let bytes) = element, case .literal(let previous)? = elements.last {
        elements[elements.count - 1] = .literal(previous + bytes)
      } else {
        elements.append(element)
      }
    }
    elements = elements.compactMap { element -> FormatElement? in
      guard case .literal(let bytes) = element else { return element }
      var out: [UInt8] = []
      for b in bytes where !(b == 0x20 && out.last == 0x20) { out.append(b) }
      return out.isEmpty ? nil : .literal(out)
    }
    // Lines lose trailing blanks before matching, so the format does too.
    if case .literal(let bytes)? = elements.last {
      let trimmed = Array(bytes.reversed().drop(while: { $0 == 0x20 || $0 == 0x09 }).reversed())
      if trimmed.isEmpty { elements.removeLast() } else { elements[elements.count - 1] = .literal(trimmed) }
    }
    var built: [Segment] = []
    var literalBytes: [UInt8] = []
    // Fold quotes: `"` + field + `"` becomes a quoted field.
    var quoted = [Bool](repeating: false, count: elements.count)
    for (i, element) in elements.enumerated() {
      guard case .field(_, _, let bracketed, _) = element, !bracketed, i > 0, i + 1 < elements.count,
        case .literal(let before) = elements[i - 1], before.last == UInt8(ascii: "\""),
        case .literal(let after) = elements[i + 1], after.first == UInt8(ascii: "\"")
      else { continue }
      quoted[i] = true
      elements[i - 1] = .literal(Array(before.dropLast()))
      elements[i + 1] = .literal(Array(after.dropFirst()))
    }
    func nextLiteral(after i: Int) -> (found: Bool, first: UInt8?) {
      var j = i + 1
      while j < elements.count {
        if case .literal(let bytes) = elements[j] {
          if bytes.isEmpty { j += 1; continue }
          return (true, bytes[0])
        }
        return (true, nil)  // another field follows directly
      }
      return (false, nil)
    }
    for (i, element) in elements.enumerated() {
      switch element {
      case .literal(let bytes):
        guard !bytes.isEmpty else { continue }
        built.append(Segment(op: .literal, literalOffset: literalBytes.count, literalCount: bytes.count))
        literalBytes += bytes
      case .field(let capture, let label, let bracketed, let innerSpaces):
        var segment = Segment(op: quoted[i] ? .quoted : bracketed ? .bracketed : .plain, capture: capture)
        segment.innerSpaces = innerSpaces
        let (found, first) = nextLiteral(after: i)
        if !found {
          segment.stopAtEnd = true
        } else if let first {
          segment.stop = first
        } else if segment.op == .quoted || segment.op == .bracketed {
          segment.anyFollow = true
        } else {
          throw LogFormatError("field \(label) is followed by another field with nothing between them")
        }
        built.append(segment)
      }
    }
    guard built.contains(where: { $0.op != .literal }) else { throw LogFormatError("the format has no fields") }
    segments = .allocate(capacity: built.count)
    _ = segments.initialize(from: built)
    literals = .allocate(capacity: max(literalBytes.count, 1))
    literals.initialize(from: literalBytes, count: literalBytes.count)
    let totalNameBytes = names.reduce(0) { $0 + $1.utf8.count }
    nameStorage = .allocate(capacity: max(totalNameBytes, 1))
    customNames = .allocate(capacity: max(names.count, 1))
    var offset = 0
    for (k, name) in names.enumerated() {
      let utf8 = Array(name.utf8)
      (nameStorage + offset).initialize(from: utf8, count: utf8.count)
      customNames[k] = UnsafeRawBufferPointer(start: nameStorage + offset, count: utf8.count)
      offset += utf8.count
    }
  }

  deinit {
    segments.deallocate()
    literals.deallocate()
    customNames.deallocate()
    nameStorage.deallocate()
  }

  @inline(__always)
  func literal(_ segment: Segment) -> UnsafeMutablePointer<UInt8> { literals + segment.literalOffset }
}
