/*
 Human units on the command line: durations (`250ms`, `10s`, `5m`, `1h`, `1d`)
 and sizes (`64k`, `1M`). Used by every command and by the expression language.
*/

/// Microseconds per unit suffix.
private let durationUnits: [(String, Int64)] = [
  ("us", 1), ("ms", 1_000), ("s", 1_000_000), ("m", 60_000_000), ("h", 3_600_000_000), ("d", 86_400_000_000),
]

/// Parses `1h30m`, `250ms`, `10s`, `1.5s`; a bare number means seconds. Returns microseconds.
package func parseDuration(_ text: String) -> Int64? {
  var rest = Substring(text)
  guard !rest.isEmpty else { return nil }
  // A bare decimal number means seconds. Only digits and one dot: Double()
  // would also take "1e300", "0x1p3" and "inf", which are not durations.
  if rest.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
    return durationAmount(rest, unit: 1_000_000)
  }
  var total: Int64 = 0
  while !rest.isEmpty {
    let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
    guard !number.isEmpty else { return nil }
    rest = rest.dropFirst(number.count)
    let unitText = rest.prefix { $0.isLetter }
    rest = rest.dropFirst(unitText.count)
    guard let unit = durationUnits.first(where: { $0.0 == unitText }), let micros = durationAmount(number, unit: unit.1) else { return nil }
    let (sum, overflow) = total.addingReportingOverflow(micros)
    guard !overflow else { return nil }
    total = sum
  }
  return total
}

/// `number` units in microseconds. Whole numbers are exact (a Double loses
/// integers past 2^53, so what formatDuration wrote would not parse back);
/// fractions go through Double. nil on overflow.
private func durationAmount(_ number: Substring, unit: Int64) -> Int64? {
  if let whole = Int64(number) {
    let (micros, overflow) = whole.multipliedReportingOverflow(by: unit)
    return overflow ? nil : micros
  }
  guard let amount = Double(number), amount * Double(unit) < 9e18 else { return nil }
  return Int64((amount * Double(unit)).rounded())
}

/// Formats microseconds as the shortest exact unit form (`90s` -> `90s`, `3600000000` -> `1h`).
package func formatDuration(_ micros: Int64) -> String {
  for (name, size) in durationUnits.reversed() where micros != 0 && micros % size == 0 {
    return "\(micros / size)\(name)"
  }
  return micros == 0 ? "0s" : "\(micros)us"
}

/// Parses `4096`, `64k`, `1M`, `2G` (binary multiples). Returns bytes.
package func parseSize(_ text: String) -> Int? {
  guard let last = text.last else { return nil }
  var multiplier = 1
  var digits = Substring(text)
  switch last {
  case "k", "K": multiplier = 1 << 10
  case "m", "M": multiplier = 1 << 20
  case "g", "G": multiplier = 1 << 30
  default: break
  }
  if multiplier != 1 { digits = digits.dropLast() }
  if digits.hasSuffix("i") || digits.hasSuffix("B") { return nil }
  guard let n = Int(digits), n >= 0 else { return nil }
  let (product, overflow) = n.multipliedReportingOverflow(by: multiplier)
  return overflow ? nil : product
}
