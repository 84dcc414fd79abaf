/*
 Quoting input values in messages: a bad value may be kilobytes long (an HLL
 state, a minified JSON line), and a message quotes at most its first
 `limit` bytes, cut at a character boundary, and says how long it was.
*/

/// Messages quote at most this many bytes of a value.
package let excerptLimit = 100

/// `text` when it has at most `limit` UTF-8 bytes, else its first whole
/// characters within `limit` bytes followed by "... (N bytes)".
package func excerpt(_ text: String, limit: Int = excerptLimit) -> String {
  let count = text.utf8.count
  guard count > limit else { return text }
  return head(of: text, limit: limit) + "... (\(count) bytes)"
}

/// `excerpt` of bytes that may not be valid UTF-8 (invalid bytes show as U+FFFD).
package func excerpt(bytes: some Collection<UInt8>, limit: Int = excerptLimit) -> String {
  let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
  guard bytes.count > limit else { return text }
  return head(of: text, limit: limit) + "... (\(bytes.count) bytes)"
}

private func head(of text: String, limit: Int) -> String {
  var used = 0
  var out = String.UnicodeScalarView()
  for c in text.unicodeScalars {
    used += c.utf8.count
    if used > limit { break }
    out.append(c)
  }
  return String(out)
}
