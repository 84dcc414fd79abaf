/*
 logalert's options, validated into an AlertEngineConfig. Rule errors name
 the option (--rule) or the file position (--rules FILE:LINE:COLUMN).
*/
import Glibc

package struct LogAlertSettings {
  package var config: AlertEngineConfig
  package var check = false
  /// Quiet wall time after which the clock follows wall time (0: never).
  package var idle: Int64 = 10_000_000
  /// --state: alerts and baselines outlive a run; checkpoints at most --state-every apart.
  package var statePath: String?
  package var stateEvery: Int64 = 1_000_000
  /// --exec: the program and its arguments (with {field} placeholders), and how actions run.
  package var exec: [String]?
  package var actionPolicy = LogAlertSettings.actionDefaults
  /// --inhibit and --group-by (see AlertDispatcher); --notifications writes group batches.
  package var inhibit: [InhibitRule] = []
  package var grouping = AlertGroupingConfig()
  package var writeNotifications = false

  /// Whether events go through an AlertDispatcher (else straight from the engine).
  package var dispatches: Bool { !inhibit.isEmpty || !grouping.specs.isEmpty }

  /// Throws UsageError for bad rules and options, IOError for a --rules file that cannot be read (exit 1).
  package init(_ options: ParsedOptions) throws {
    var rules: [AlertRule] = []
    for text in options.all("rule") {
      do { rules.append(try AlertRuleParser.parse(text)) } catch {
        throw UsageError("invalid --rule '\(excerpt(text))': \(error)")
      }
    }
    for path in options.all("rules") {
      let text = try Self.readRulesFile(path)
      do { rules += try AlertRuleFile.parse(text, path: path) } catch {
        throw UsageError("invalid --rules: \(error)")
      }
    }
    guard !rules.isEmpty else { throw UsageError("no rules: give --rule 'NAME: CONDITION' or --rules FILE") }
    do { try AlertRuleFile.checkUniqueNames(rules, path: nil) } catch { throw UsageError(error.message) }
    config = AlertEngineConfig(rules: rules)
    config.timeField = options.value("time-field") ?? "end"
    config.repeatEvery = try options.duration("repeat") ?? 4 * 3_600_000_000
    config.stale = try options.duration("stale")
    if let stale = config.stale, stale <= 0 { throw UsageError("--stale must be positive") }
    config.emitPending = options.flag("pending")
    config.emitAll = options.flag("all")
    config.maxKeys = try options.int("max-keys", min: 1) ?? 100_000
    check = options.flag("check")
    idle = try options.duration("idle") ?? 10_000_000
    if idle < 0 { throw UsageError("--idle must not be negative") }
    statePath = options.value("state")
    stateEvery = try options.duration("state-every") ?? 1_000_000
    if stateEvery < 0 { throw UsageError("--state-every must not be negative") }
    if options.flag("state-every") && statePath == nil { throw UsageError("--state-every needs --state") }
    exec = options.command("exec")
    try ActionOptions.requireExec(options, (ActionOptions.common + ActionOptions.queueing).map(\.long))
    actionPolicy = try ActionOptions.policy(options, base: Self.actionDefaults)
    try readNoiseControl(options, rules: rules)
  }

  static func readRulesFile(_ path: String) throws -> String {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw IOError.openFailed(path: path, errno: errno) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n >= 0 else { throw IOError.readFailed(path: path, errno: errno) }
      if n == 0 { break }
      bytes += chunk[0..<n]
      guard bytes.count <= 16 << 20 else { throw UsageError("--rules '\(path)' is larger than 16 MiB") }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
