// Error positions are marked in test inputs with 1️⃣ instead of being counted by hand.

struct MarkedText {
  static let marker = "1️⃣"
  /// The input with the marker removed.
  let text: String
  /// 1-based byte column of the marker, or nil when the input has none.
  let column: Int?

  init(_ marked: String) {
    if let range = marked.range(of: Self.marker) {
      column = marked.utf8.distance(from: marked.startIndex, to: range.lowerBound) + 1
      text = marked.replacingCharacters(in: range, with: "")
    } else {
      column = nil
      text = marked
    }
  }
}
