/*
 Runs a compiled LineFormat over one line, filling a FieldTable.

 One left-to-right pass: literals are compared byte by byte (a space matches a
 run of spaces), plain fields end at their terminator (firstIndex), quoted fields
 at the first unescaped `"` that is followed by what the format expects next,
 so an unescaped quote inside a user agent does not cut the field short.
 Apache's `\"` and `\\` are decoded into the table's scratch area only when a
 backslash is present; other escapes such as `\xHH` stay as written.
*/
import Glibc

extension LineFormat {
  /// Parses `line` into `table` (which the caller has reset). Returns nil on success.
  @inline(__always)
  func match(_ line: UnsafeRawBufferPointer, into table: FieldTable) -> ParseFailure? {
    table.formatNames = customNames
    guard let raw = line.baseAddress, line.count > 0 else { return ParseFailure(.endOfLine, at: 0) }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    let end = line.count
    var p = 0
    for segment in segments {
      // Literals alternate with fields along the format: tested on their own,
      // they are a conditional branch the predictor learns, not a jump table.
      if segment.isLiteral {
        let text = literal(segment)
        var k = 0
        while k < segment.literalCount {
          let c = text[k]
          guard p < end else { return ParseFailure(.endOfLine, at: p) }
          guard base[p] == c else { return ParseFailure(.expectedText(c), at: p) }
          p &+= 1
          if c == 0x20 { while p < end && base[p] == 0x20 { p &+= 1 } }
          k &+= 1
        }
        continue
      }
      switch segment.op {
      case .literal:
        continue
      case .plain:
        let start = p
        var stop = end
        if !segment.stopAtEnd {
          var from = p
          var spaces = segment.stop == 0x20 ? segment.innerSpaces : 0
          while true {
            guard let hit = firstIndex(of: segment.stop, in: base, from: from, to: end) else {
              return ParseFailure(.endOfLine, at: end)
            }
            stop = hit
            if spaces == 0 { break }
            spaces -= 1
            from = stop + 1
          }
        }
        let value = UnsafeRawBufferPointer(start: base + start, count: stop - start)
        if let failure = table.store(segment.capture, value, offset: start) { return failure }
        p = stop
      case .quoted:
        // A bare `-` where a quoted field belongs is the same empty value (VRL and
        // hand-written logs use it); nothing else is accepted unquoted.
        if p < end, base[p] == UInt8(ascii: "-"),
          segment.stopAtEnd ? p &+ 1 == end : (p &+ 1 < end && (segment.anyFollow || base[p &+ 1] == segment.stop))
        {
          p &+= 1
          continue
        }
        guard p < end, base[p] == UInt8(ascii: "\"") else {
          return ParseFailure(p < end ? .expectedOpeningQuote : .endOfLine, at: p)
        }
        let start = p &+ 1
        var from = start
        var sawQuote = false
        var close = 0
        while true {
          guard from < end, let hit = memchr(base + from, 0x22, end - from) else {
            return ParseFailure(sawQuote ? .textAfterQuotedField : .unterminatedQuotedField, at: sawQuote ? from : p)
          }
          close = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
          from = close &+ 1
          if close > start && base[close - 1] == 0x5C {
            var k = close - 1
            var backslashes = 0
            while k >= start && base[k] == 0x5C { backslashes += 1; k -= 1 }
            if backslashes & 1 == 1 { continue }
          }
          if segment.stopAtEnd {
            if close &+ 1 == end { break }
          } else if segment.anyFollow || (close &+ 1 < end && base[close &+ 1] == segment.stop) {
            break
          } else if close &+ 1 == end {
            return ParseFailure(.endOfLine, at: end)
          }
          sawQuote = true
        }
        if sawQuote { table.quoteRecovered = true }
        var value = UnsafeRawBufferPointer(start: base + start, count: close - start)
        if value.count > 0, memchr(base + start, 0x5C, value.count) != nil {
          value = Self.unescape(value, table)
        }
        if let failure = table.store(segment.capture, value, offset: start) { return failure }
        p = close &+ 1
      case .bracketed:
        guard p < end, base[p] == UInt8(ascii: "[") else {
          return ParseFailure(p < end ? .expectedOpeningBracket : .endOfLine, at: p)
        }
        guard let hit = memchr(base + p + 1, 0x5D, end - p - 1) else {
          return ParseFailure(.unterminatedBracket, at: p)
        }
        let close = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        let value = UnsafeRawBufferPointer(start: base + p + 1, count: close - p - 1)
        if let failure = table.store(segment.capture, value, offset: p + 1) { return failure }
        p = close &+ 1
      }
    }
    guard p == end else { return ParseFailure(.textAfterLastField, at: p) }
    return nil
  }

  /// Decodes `\"` and `\\`; every other backslash stays as written (Apache's `\xHH` is text).
  static func unescape(_ value: UnsafeRawBufferPointer, _ table: FieldTable) -> UnsafeRawBufferPointer {
    guard let out = table.scratchSpace(value.count) else { return value }
    var n = 0
    var i = 0
    while i < value.count {
      let b = value[i]
      if b == 0x5C && i + 1 < value.count && (value[i + 1] == 0x22 || value[i + 1] == 0x5C) {
        out[n] = value[i + 1]
        i += 2
      } else {
        out[n] = b
        i += 1
      }
      n += 1
    }
    return table.commitScratch(n)
  }
}
