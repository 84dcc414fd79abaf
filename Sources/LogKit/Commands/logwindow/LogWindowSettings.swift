/*
 logwindow's options, validated into a WindowConfig, key specs and
 aggregate specs. Usage errors name the option and what was expected.
*/

package struct LogWindowSettings {
  package var config: WindowConfig
  package var keys: [GroupKeySpec] = []
  package var aggregates: [AggregateSpec] = []
  package var timeField = "time"
  package var filter: String?
  package var partial = false
  package var merge = false
  /// --producers N (with --merge): close windows by the producers' watermarks.
  package var expectedProducers: Int?
  /// --producer NAME (with --partial), or host name and process id.
  package var producerName: String?
  /// --producer-run N, or the start time.
  package var producerRun: Int64?
  /// --input-prefix LIST: the names of the tab-separated values before each record.
  package var inputPrefix: [String]?
  /// --producer-by NAME (with --partial): one producer per value of that prefix.
  package var producerBy: String?
  /// --until-ended (with --producers N): stop once N producers have ended.
  package var untilEnded = false
  /// --state: open windows outlive a run; checkpoints at most --state-every apart.
  package var statePath: String?
  package var stateEvery: Int64 = 1_000_000
  /// What a state file must have been saved with besides windows, key names and aggregates.
  package var stateSignature = ""

  package init(_ options: ParsedOptions) throws(UsageError) {
    merge = options.flag("merge")
    partial = options.flag("partial")
    expectedProducers = try options.int("producers", min: 1)
    if expectedProducers != nil && !merge { throw UsageError("--producers needs --merge") }
    producerName = options.value("producer")
    if let run = try options.int("producer-run", min: 1) {
      guard partial else { throw UsageError("--producer-run needs --partial") }
      producerRun = Int64(run)
    }
    if let producerName {
      guard partial else { throw UsageError("--producer needs --partial") }
      guard !producerName.isEmpty, producerName.utf8.count <= 200 else { throw UsageError("--producer NAME must be 1 to 200 bytes") }
    }
    let every = try options.duration("every")
    let session = try options.duration("session")
    let windowText = options.value("window")
    let offset = try Self.signedDuration(options, "offset") ?? 0
    let kind: WindowKind
    if merge {
      for name in ["every", "window", "session", "by", "aggregate", "where", "time-field", "offset"] where options.flag(name) {
        throw UsageError("--\(name) cannot be used with --merge: windows, keys and aggregates come from the partial records")
      }
      kind = .global  // replaced by the first partial record's description
    } else if let session {
      guard every == nil, windowText == nil else { throw UsageError("--session cannot be combined with --every or --window") }
      guard session > 0 else { throw UsageError("--session must be positive") }
      kind = .session(gap: session)
    } else if windowText == "all" {
      guard every == nil else { throw UsageError("--window all cannot be combined with --every") }
      kind = .global
    } else if let windowText {
      guard let size = parseDuration(windowText), size > 0 else {
        throw UsageError("invalid duration '\(excerpt(windowText))' for --window: expected e.g. 5m, 1h, or all")
      }
      let slide = every ?? size
      guard slide > 0, slide <= size else { throw UsageError("--every must be positive and at most --window") }
      // Each event updates size/slide windows; bound it so one record cannot cost millions of updates.
      guard size / slide <= 1000 else { throw UsageError("--window may be at most 1000 times --every") }
      kind = .sliding(size: size, slide: slide, offset: offset)
    } else if let every {
      guard every > 0 else { throw UsageError("--every must be positive") }
      kind = .sliding(size: every, slide: every, offset: offset)
    } else {
      throw UsageError("a window is required: --every, --window, --session or --merge")
    }
    config = WindowConfig(kind: kind)
    if options.value("lateness") == "end" {
      config.closeAtEndOnly = true
    } else {
      config.lateness = try options.duration("lateness") ?? 0
      config.closeAtEndOnly = merge && !options.flag("lateness") && expectedProducers == nil
    }
    config.idle = try options.duration("idle") ?? 5_000_000
    config.maxGroups = try options.int("max-groups", min: 1) ?? 100_000
    config.maxWindows = try options.int("max-windows", min: 1) ?? 100_000
    if let emit = options.value("emit") {
      if emit == "final" {
        config.earlyEvery = nil
      } else if emit.hasPrefix("early=") {
        guard let every = parseDuration(String(emit.dropFirst(6))), every > 0 else {
          throw UsageError("invalid value '\(excerpt(emit))' for --emit: expected final or early=DURATION (e.g. early=10s)")
        }
        config.earlyEvery = every
      } else {
        throw UsageError("invalid value '\(excerpt(emit))' for --emit: expected final or early=DURATION (e.g. early=10s)")
      }
    }
    try readState(options)
    try readPrefix(options)
    guard !merge else { return }
    timeField = options.value("time-field") ?? "time"
    filter = options.value("where")
    do {
      for text in options.all("by") { keys += try GroupKeySpec.parseList(text) }
      for text in options.all("aggregate") { aggregates.append(try AggregateSpec.parse(text)) }
    } catch {
      throw UsageError(error)
    }
    if case .session = kind, keys.isEmpty {
      throw UsageError("--session needs --by: sessions are per key (e.g. --by user or --by client)")
    }
    if aggregates.isEmpty { aggregates = [AggregateSpec(name: "count", function: .count, argument: nil)] }
    var seen = Set(["start", "end", "final", "_partial"])
    for name in keys.map(\.name) + aggregates.map(\.name) {
      guard seen.insert(name).inserted else {
        throw UsageError("output field '\(name)' is used twice; name aggregates with -a NAME=EXPR")
      }
    }
  }

  private mutating func readPrefix(_ options: ParsedOptions) throws(UsageError) {
    untilEnded = options.flag("until-ended")
    if untilEnded && expectedProducers == nil { throw UsageError("--until-ended needs --merge --producers N") }
    inputPrefix = try options.value("input-prefix").map { text throws(UsageError) in try InputPrefix.parse(text) }
    if inputPrefix != nil && merge { throw UsageError("--input-prefix cannot be used with --merge") }
    guard let by = options.value("producer-by") else { return }
    guard partial, !merge else { throw UsageError("--producer-by needs --partial (and not --merge)") }
    guard inputPrefix?.contains(by) == true else {
      throw UsageError("--producer-by \(excerpt(by)) needs that name in --input-prefix (e.g. --input-prefix partition,offset)")
    }
    guard producerName != nil else {
      throw UsageError("--producer-by needs --producer NAME, the same on every consumer (its partials are NAME/\(by)=VALUE)")
    }
    for (name, given) in [("state", statePath != nil), ("emit early", config.earlyEvery != nil)] where given {
      throw UsageError("--\(name) cannot be used with --producer-by: a producer's partials must depend on its records alone")
    }
    producerBy = by
    // The same partition read by another consumer must carry the same run.
    producerRun = producerRun ?? 1
  }

  private mutating func readState(_ options: ParsedOptions) throws(UsageError) {
    statePath = options.value("state")
    stateEvery = try options.duration("state-every") ?? 1_000_000
    if stateEvery < 0 { throw UsageError("--state-every must not be negative") }
    if options.flag("state-every") && statePath == nil { throw UsageError("--state-every needs --state") }
    // Key and filter expressions are compared as written (names alone could hide a change).
    stateSignature = merge ? "merge" : [
      "by=" + options.all("by").joined(separator: ","), "where=" + (options.value("where") ?? ""),
      "time-field=" + (options.value("time-field") ?? "time"),
    ].joined(separator: " ")
  }

  /// A duration that may start with '-' (for --offset).
  static func signedDuration(_ options: ParsedOptions, _ name: String) throws(UsageError) -> Int64? {
    guard let text = options.value(name) else { return nil }
    let negative = text.hasPrefix("-")
    guard let micros = parseDuration(negative ? String(text.dropFirst()) : text) else {
      throw UsageError("invalid duration '\(excerpt(text))' for --\(name): expected e.g. 30s, -15m")
    }
    return negative ? -micros : micros
  }
}

extension UsageError {
  /// The engine's configuration error, with the option that carried it.
  init(_ error: WindowSetupError) {
    switch error {
    case .aggregate(let message): self.init(message)
    case .key(let detail): self.init("invalid --by key \(detail)")
    case .noKeys: self.init("--by needs at least one key")
    case .filter(let detail): self.init("invalid --where expression: \(detail)")
    }
  }
}
