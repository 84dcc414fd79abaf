/*
 logscale's options, validated into a ScaleConfig, metric definitions and
 run settings. --target, --type and --activation bind to the --metric before
 them, so they are read in command-line order. Usage errors name the option.
*/

package struct LogScaleSettings {
  package var config: ScaleConfig
  package var definitions: [(name: String, expression: String)] = []
  package var replicas: Int
  package var timeField = "end"
  package var idle: Int64 = 250_000
  /// --state: where replicas and history outlive a run; checkpoints at most --state-every apart.
  package var statePath: String?
  package var stateEvery: Int64 = 1_000_000
  package var all = false
  package var simulate = false
  package var startupDelay: Int64 = 30_000_000
  /// --exec (with {replicas}... placeholders), --current-cmd, --current-every, --dry-run.
  package var exec: [String]?
  package var currentCmd: [String]?
  package var currentEvery: Int64 = 0
  package var dryRun = false
  package var actionPolicy = ScaleActuation.actionDefaults

  package init(_ options: ParsedOptions) throws(UsageError) {
    let metrics = try Self.metrics(options)
    definitions = metrics.definitions
    guard let max = try options.int("max", min: 1) else {
      throw UsageError("--max is required: the most replicas logscale may ask for (e.g. --max 20)")
    }
    let min = try options.int("min", min: 0) ?? 1
    config = ScaleConfig(metrics: metrics.metrics, minReplicas: min, maxReplicas: max)
    let tolerance = try Self.number(options, "tolerance") ?? 0.1
    config.toleranceUp = try Self.number(options, "tolerance-up") ?? tolerance
    config.toleranceDown = try Self.number(options, "tolerance-down") ?? tolerance
    config.up = try Self.rules(options, "up", window: "scale-up-window", defaults: .defaultUp)
    config.down = try Self.rules(options, "down", window: "scale-down-window", defaults: .defaultDown)
    config.cooldown = try options.duration("cooldown") ?? 300_000_000
    do { try config.validate() } catch { throw UsageError("invalid configuration: \(error)") }
    replicas = try options.int("replicas", min: 0) ?? Swift.max(min, 1)
    guard replicas <= ScaleConfig.replicaLimit else { throw UsageError("--replicas may be at most \(ScaleConfig.replicaLimit)") }
    timeField = options.value("time-field") ?? "end"
    idle = try options.duration("idle") ?? 250_000
    guard idle > 0 else { throw UsageError("--idle must be positive") }
    all = options.flag("all")
    statePath = options.value("state")
    stateEvery = try options.duration("state-every") ?? 1_000_000
    if options.flag("state-every") && statePath == nil { throw UsageError("--state-every needs --state") }
    simulate = options.flag("simulate")
    startupDelay = try options.duration("startup-delay") ?? 30_000_000
    if options.flag("startup-delay") && !simulate { throw UsageError("--startup-delay needs --simulate") }
    try actuation(options)
  }

  mutating func actuation(_ options: ParsedOptions) throws(UsageError) {
    exec = options.command("exec")
    currentCmd = options.command("current-cmd")
    dryRun = options.flag("dry-run")
    currentEvery = try options.duration("current-every") ?? 0
    if options.flag("current-every") && currentCmd == nil { throw UsageError("--current-every needs --current-cmd") }
    if options.flag("exec-drain") && exec == nil { throw UsageError("--exec-drain needs --exec PROGRAM [ARG...]") }
    if options.flag("exec-timeout") && exec == nil && currentCmd == nil { throw UsageError("--exec-timeout needs --exec or --current-cmd") }
    if simulate && (exec != nil || currentCmd != nil) {
      throw UsageError("--simulate has no cluster: it takes no --exec or --current-cmd (use --dry-run to see decisions without running --exec)")
    }
    actionPolicy = try ActionOptions.policy(options, base: ScaleActuation.actionDefaults)
    for name in ArgvTemplate(exec ?? []).fieldNames where !ScaleActuation.placeholders.contains(name) {
      let hint = closestMatch(to: name, among: ScaleActuation.placeholders).map { "; did you mean {\($0)}?" } ?? ""
      throw UsageError("unknown placeholder {\(name)} in --exec\(hint) (known: \(ScaleActuation.placeholders.map { "{\($0)}" }.joined(separator: ", ")))")
    }
  }

  /// The metrics with the --target, --type and --activation that follow each.
  static func metrics(_ options: ParsedOptions) throws(UsageError) -> (metrics: [ScaleMetric], definitions: [(name: String, expression: String)]) {
    var metrics: [ScaleMetric] = []
    var definitions: [(name: String, expression: String)] = []
    var targets: [Double?] = []
    var given: [Set<String>] = []
    for (name, text) in options.ordered {
      switch name {
      case "metric":
        let d: (name: String, expression: String)
        do { d = try MetricProgram.splitDefinition(text) } catch { throw UsageError("invalid --metric '\(excerpt(text))': \(error)") }
        guard !definitions.contains(where: { $0.name == d.name }) else { throw UsageError("--metric '\(d.name)' is given twice") }
        definitions.append(d)
        metrics.append(ScaleMetric(name: d.name, target: 1))
        targets.append(nil)
        given.append([])
      case "target", "type", "activation":
        guard let last = metrics.indices.last else { throw UsageError("--\(name) belongs to a --metric: give it after the --metric it applies to") }
        guard given[last].insert(name).inserted else { throw UsageError("--\(name) is given twice for --metric '\(metrics[last].name)'") }
        switch name {
        case "target": targets[last] = try Self.number(name, text)
        case "activation": metrics[last].activation = try Self.number(name, text)
        default:
          guard let kind = ScaleMetricKind(rawValue: text) else {
            throw UsageError("invalid value '\(excerpt(text))' for --type: expected average or value")
          }
          metrics[last].kind = kind
        }
      default: continue
      }
    }
    guard !metrics.isEmpty else { throw UsageError("a metric is required: --metric 'rps=count/15' --target 200") }
    for i in metrics.indices {
      guard let target = targets[i] else { throw UsageError("--metric '\(metrics[i].name)' needs a --target after it") }
      metrics[i].target = target
    }
    return (metrics, definitions)
  }

  static func rules(_ options: ParsedOptions, _ direction: String, window: String, defaults: ScalingRules) throws(UsageError) -> ScalingRules {
    var rules = defaults
    rules.window = try options.duration(window) ?? defaults.window
    let texts = options.all("\(direction)-policy")
    if !texts.isEmpty {
      rules.policies = []
      for text in texts { rules.policies.append(try policy(text, option: "\(direction)-policy")) }
    }
    if let select = try options.choice("\(direction)-select", in: PolicySelect.allCases.map(\.rawValue)) {
      rules.select = PolicySelect(rawValue: select) ?? .max
    }
    return rules
  }

  /// `pods=4 per 15s`, `percent=100 per 1m`.
  static func policy(_ text: String, option: String) throws(UsageError) -> ScalingPolicy {
    let bad = UsageError("invalid --\(option) '\(excerpt(text))': expected pods=N per DURATION or percent=N per DURATION (e.g. 'pods=4 per 15s')")
    let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2, let kind = ScalingPolicy.Kind(rawValue: parts[0].lowercased()) else { throw bad }
    let words = parts[1].split(separator: " ").map(String.init)
    guard words.count == 3, words[1] == "per", let value = Int(words[0]), let period = parseDuration(words[2]) else { throw bad }
    return ScalingPolicy(kind, value, per: period)
  }

  static func number(_ options: ParsedOptions, _ name: String) throws(UsageError) -> Double? {
    guard let text = options.value(name) else { return nil }
    return try number(name, text)
  }

  static func number(_ name: String, _ text: String) throws(UsageError) -> Double {
    guard let n = Double(text), n.isFinite else { throw UsageError("invalid value '\(excerpt(text))' for --\(name): expected a number") }
    return n
  }
}
