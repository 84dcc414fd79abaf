/*
 The words of logalert's small option specs (--inhibit, --group-by), with
 their 1-based byte columns for error messages: names (rule names, dotted
 field paths, `...`), and the punctuation `,` `:` `=>`. Shared by
 AlertInhibition and AlertGrouping, which also share the checks of rule
 and field names (did-you-mean from the rules the run has).
*/

struct SpecWord: Equatable {
  var text: String
  var column: Int
}

enum SpecWords {
  /// Splits `text` into words; `,` `:` and `=>` are words of their own.
  static func split(_ text: String) -> [SpecWord] {
    let bytes = Array(text.utf8)
    var words: [SpecWord] = []
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1; continue }
      if b == UInt8(ascii: ",") || b == UInt8(ascii: ":") {
        words.append(SpecWord(text: String(UnicodeScalar(b)), column: i + 1))
        i += 1
        continue
      }
      if isArrow(bytes, i) {
        words.append(SpecWord(text: "=>", column: i + 1))
        i += 2
        continue
      }
      let start = i
      while i < bytes.count, !isBreak(bytes, i) { i += 1 }
      words.append(SpecWord(text: String(decoding: bytes[start..<i], as: UTF8.self), column: start + 1))
    }
    return words
  }

  private static func isArrow(_ bytes: [UInt8], _ i: Int) -> Bool {
    i + 1 < bytes.count && bytes[i] == UInt8(ascii: "=") && bytes[i + 1] == UInt8(ascii: ">")
  }

  private static func isBreak(_ bytes: [UInt8], _ i: Int) -> Bool {
    let b = bytes[i]
    return b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ",") || b == UInt8(ascii: ":") || isArrow(bytes, i)
  }

  /// A comma list of names from `words[i...]`; `i` moves past it. Stops at a word in `stops`.
  static func list(_ words: [SpecWord], _ i: inout Int, what: String, end: Int) throws(AlertRuleError) -> [SpecWord] {
    var names: [SpecWord] = []
    while true {
      guard i < words.count, ![",", ":", "=>"].contains(words[i].text) else {
        throw AlertRuleError("expected \(what)", column: i < words.count ? words[i].column : end)
      }
      names.append(words[i])
      i += 1
      guard i < words.count, words[i].text == "," else { return names }
      i += 1
    }
  }

  /// The rule named by `word`, or an error suggesting the closest rule name.
  static func rule(_ word: SpecWord, in rules: [AlertRule]) throws(AlertRuleError) -> AlertRule {
    if let rule = rules.first(where: { $0.name == word.text }) { return rule }
    let hint = closestMatch(to: word.text, among: rules.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
    throw AlertRuleError("no rule named '\(excerpt(word.text))'\(hint)", column: word.column)
  }

  /// The key field names of a rule with `by`; nil when its key is the record's string fields.
  static func keyNames(_ rule: AlertRule) -> [String]? {
    rule.by.map { $0.map { $0.joined(separator: ".") } }
  }

  /// A field that must be a key field of `rule` (when its key is known).
  static func checkKeyField(_ word: SpecWord, of rule: AlertRule, extra: [String] = []) throws(AlertRuleError) {
    guard let names = keyNames(rule), !names.contains(word.text), !extra.contains(word.text) else { return }
    let hint = closestMatch(to: word.text, among: names + extra).map { "; did you mean '\($0)'?" } ?? ""
    let key = names.isEmpty ? "none" : names.joined(separator: ",")
    throw AlertRuleError("'\(excerpt(word.text))' is not a key field of rule '\(rule.name)' (by \(key))\(hint)", column: word.column)
  }
}

/// An alert instance's identity: its rule and key, as text.
func instanceID(_ alert: String, _ key: [(String, JSONValue)]) -> String {
  var text = alert
  for (name, value) in key { text += "\u{1F}" + name + "=" + value.description }
  return text
}

/// The values of `fields` in an event (null when the event has no such key field).
func fieldValues(_ event: AlertEvent, _ fields: [String]) -> [JSONValue] {
  fields.map { name in
    if name == "alert" { return .string(event.alert) }
    return event.key.first { $0.0 == name }?.1 ?? .null
  }
}
