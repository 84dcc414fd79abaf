/*
 logscale's actuation: --current-cmd reads the replica count before an
 evaluation (synchronously, bounded by --exec-timeout), --exec applies a
 changed decision (asynchronously, one at a time, the latest decision
 replacing a queued older one). A failed --exec is reported and not retried:
 without --current-cmd the known count goes back to the decision's `from`, so
 the next evaluation decides, and runs --exec, again. --dry-run runs no --exec.
*/

package final class ScaleActuation {
  static let placeholders = ["replicas", "from", "to", "desired", "time", "reason"]
  /// logscale's defaults: one action at a time, one queued (the latest wins), no retries.
  static let actionDefaults: ActionPolicy = {
    var policy = ActionPolicy()
    policy.concurrency = 1
    policy.queueLimit = 1
    policy.overflow = .replaceQueued
    return policy
  }()

  private let command: String
  private let currentCmd: [String]?
  private let currentEvery: Int64
  private let timeout: Int64
  private var actions: ProgramActions?
  private var lastRead: Int64?
  private var failing = false
  private var sequence = 0
  private var lastDecision: (from: Int, to: Int, time: Int64)?
  /// Called with the decision (from, to, time) whose --exec failed, when it is the latest (no --current-cmd).
  var revert: (_ from: Int, _ to: Int, _ time: Int64) -> Void = { _, _, _ in }

  init(command: String, settings: LogScaleSettings) {
    self.command = command
    currentCmd = settings.currentCmd
    currentEvery = settings.currentEvery
    timeout = settings.actionPolicy.timeoutMicros
    if let exec = settings.exec, !settings.dryRun {
      let revertsOnFailure = settings.currentCmd == nil
      actions = ProgramActions(command: command, argv: exec, policy: settings.actionPolicy) { [weak self] request in
        guard let self, revertsOnFailure, request.tag == self.sequence, let last = self.lastDecision else { return }
        self.revert(last.from, last.to, last.time)
      }
    }
  }

  /// --current-cmd's count, when it is due and works; nil keeps the known count.
  func readCurrent(known: Int) -> Int? {
    guard let currentCmd else { return nil }
    // While an --exec runs or waits, the count is about to change: the decision's count stands.
    actions?.tick()
    if actions?.runner.busy == true { return nil }
    let now = monotonicMicros()
    if let lastRead, currentEvery > 0, now - lastRead < currentEvery { return nil }
    lastRead = now
    let result = ProgramRunner.run(ProgramJob(argv: currentCmd, timeoutMicros: timeout, outputLimit: 4096))
    var problem: String?
    var count: Int?
    if !result.outcome.succeeded {
      problem = result.outcomeDescription
      let tail = ActionRunner.stderrTail(result.stderr)
      if !tail.isEmpty { problem? += ": " + tail }
    } else {
      let text = String(decoding: result.stdout, as: UTF8.self).trimmingWhitespace
      if let n = Int(text), n >= 0, n <= ScaleConfig.replicaLimit { count = n } else {
        problem = "printed '\(ActionRunner.stderrTail(Array(text.utf8.prefix(80))))', not a replica count"
      }
    }
    if let count {
      if failing { printError(command, "--current-cmd works again: \(count) replicas") }
      failing = false
      return count
    }
    if !failing, let problem {
      printError(command, "--current-cmd '\(currentCmd[0])' \(problem); keeping the last known count, \(known) replicas (said once until it works again)")
    }
    failing = true
    return nil
  }

  /// Runs --exec for a changed decision (its JSON line).
  func apply(_ decision: ScaleDecision, json line: [UInt8]) {
    guard let actions, decision.changed else { return }
    var json = line
    while json.last == UInt8(ascii: "\n") { json.removeLast() }
    let fields = ProgramActions.fields(ofJSON: json)
    func field(_ name: String) -> String? {
      name == "replicas" ? String(decision.to) : fields.first { $0.0 == name }?.1
    }
    let environment = Self.placeholders.map { ("LOGSCALE_" + environmentName($0), field($0) ?? "") }
    sequence += 1
    lastDecision = (decision.from, decision.to, decision.time)
    actions.submit(
      fields: field, environment: environment, stdin: json + [UInt8(ascii: "\n")],
      about: "\(decision.from) -> \(decision.to) replicas at \(field("time") ?? "?")", tag: sequence)
  }

  func lineRead() { actions?.lineRead() }
  func tick() { actions?.tick() }
  func finish() { actions?.finish() }
}

extension String {
  var trimmingWhitespace: String {
    var text = Substring(self)
    while let first = text.first, first.isWhitespace { text.removeFirst() }
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }
}
