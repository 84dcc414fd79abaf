/*
 Edit distance and "did you mean" suggestions, for option names, field
 names, function names and rule names alike.
*/

/// Levenshtein distance over Unicode scalars.
package func editDistance(_ a: String, _ b: String) -> Int {
  let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
  if x.isEmpty { return y.count }
  if y.isEmpty { return x.count }
  var previous = Array(0...y.count)
  var current = [Int](repeating: 0, count: y.count + 1)
  for i in 1...x.count {
    current[0] = i
    for j in 1...y.count {
      let cost = x[i - 1] == y[j - 1] ? 0 : 1
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
    }
    swap(&previous, &current)
  }
  return previous[y.count]
}

/// The candidate closest to `name` when it is close enough to be a likely typo
/// (distance at most max(2, a third of the name)), else nil.
package func closestMatch(to name: String, among candidates: some Sequence<String>) -> String? {
  var best: (String, Int)?
  for candidate in candidates {
    let d = editDistance(name, candidate)
    if d <= max(2, name.count / 3), best.map({ d < $0.1 }) ?? true { best = (candidate, d) }
  }
  return best?.0
}

/// "no record has field 'stauts' (did you mean 'status'?)": the warning for a
/// field an option names that no input record had.
package func unseenFieldWarning(_ field: String, seen: some Collection<String>) -> String {
  let suggestion = closestMatch(to: field, among: seen.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
  return "no record has field '\(field)'\(suggestion)"
}
