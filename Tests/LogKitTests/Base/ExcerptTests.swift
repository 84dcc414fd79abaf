// Messages quote at most ~100 bytes of a value, cut at a character boundary.
import Testing
@testable import LogKit

@Suite struct ExcerptTests {
  @Test func shortTextIsKept() {
    #expect(excerpt("abc") == "abc")
    #expect(excerpt(String(repeating: "x", count: 100)) == String(repeating: "x", count: 100))
  }

  @Test func longTextIsCutAndSaysItsLength() {
    let e = excerpt(String(repeating: "x", count: 5000))
    #expect(e == String(repeating: "x", count: 100) + "... (5000 bytes)")
  }

  @Test func cutsAtCharacterBoundaries() {
    let text = String(repeating: "é", count: 80)  // 2 bytes each
    let e = excerpt(text)
    #expect(e.hasPrefix(String(repeating: "é", count: 50) + "..."))
    #expect(excerpt(bytes: Array(text.utf8)) == e)
  }

  @Test func invalidBytesAreShownReplaced() {
    let e = excerpt(bytes: [0xFF, 0x41])
    #expect(e == "\u{FFFD}A")
  }
}
