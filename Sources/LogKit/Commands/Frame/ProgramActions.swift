/*
 The command side of actions (logalert's and logscale's --exec): the shared
 options, options → ActionPolicy, and `ProgramActions`, which renders an
 event into an action (argv from the template, event JSON on stdin,
 environment), submits it, polls between records and on idle ticks, drains at
 exit and prints failures and the drop summary with the command's name.
*/

package enum ActionOptions {
  static let category = "Actions"

  /// --exec-timeout, --exec-drain: every command with --exec.
  static let common: [OptionSpec] = [
    OptionSpec("exec-timeout", value: "DURATION", category: category, summary: "Kill an action after DURATION (TERM, KILL 1s later)", defaultValue: "10s"),
    OptionSpec("exec-drain", value: "DURATION", category: category, summary: "At exit, wait at most DURATION for actions",
               discussion: "Running actions are killed after it; queued ones and pending retries are counted as not run.", defaultValue: "10s"),
  ]

  /// --exec-concurrency, --exec-queue, --exec-retries, --exec-backoff, --max-per-minute (logalert).
  static let queueing: [OptionSpec] = [
    OptionSpec("exec-concurrency", value: "N", category: category, summary: "Actions running at once", defaultValue: "4"),
    OptionSpec("exec-queue", value: "N", category: category, summary: "Actions waiting to run; more are dropped (counted)", defaultValue: "1000"),
    OptionSpec("exec-retries", value: "N", category: category, summary: "Retries of a failed action", defaultValue: "2"),
    OptionSpec("exec-backoff", value: "DURATION", category: category, summary: "Wait before the first retry (doubling, at most 60s)", defaultValue: "1s"),
    OptionSpec("max-per-minute", value: "N", category: category, summary: "At most N actions a minute; drop (count) the rest"),
  ]

  /// The policy from the options the command declares (defaults as documented above).
  static func policy(_ options: ParsedOptions, base: ActionPolicy = ActionPolicy()) throws(UsageError) -> ActionPolicy {
    var policy = base
    policy.timeoutMicros = try options.duration("exec-timeout") ?? policy.timeoutMicros
    guard policy.timeoutMicros > 0 else { throw UsageError("--exec-timeout must be positive") }
    policy.drainMicros = try options.duration("exec-drain") ?? policy.drainMicros
    guard options.declares("exec-queue") else { return policy }
    policy.concurrency = try options.int("exec-concurrency", min: 1) ?? policy.concurrency
    guard policy.concurrency <= 256 else { throw UsageError("--exec-concurrency may be at most 256") }
    policy.queueLimit = try options.int("exec-queue", min: 0) ?? policy.queueLimit
    policy.retries = try options.int("exec-retries", min: 0) ?? policy.retries
    guard policy.retries <= 100 else { throw UsageError("--exec-retries may be at most 100") }
    policy.backoffMicros = try options.duration("exec-backoff") ?? policy.backoffMicros
    policy.maxPerMinute = try options.int("max-per-minute", min: 1)
    return policy
  }

  /// A usage error when an action option is given without --exec.
  static func requireExec(_ options: ParsedOptions, _ names: [String]) throws(UsageError) {
    guard !options.flag("exec") else { return }
    for name in names where options.declares(name) && options.flag(name) {
      throw UsageError("--\(name) needs --exec PROGRAM [ARG...]")
    }
  }
}

/// A command's --exec: one template, one runner, the command's messages.
package final class ProgramActions {
  let command: String
  let template: ArgvTemplate
  let runner: ActionRunner
  private var linesSincePoll = 0
  private var lastPoll: Int64 = 0

  init(command: String, argv: [String], policy: ActionPolicy, onFinalFailure: @escaping (ActionRequest) -> Void = { _ in }) {
    self.command = command
    template = ArgvTemplate(argv)
    runner = ActionRunner(policy: policy, report: { printError(command, $0) }, onFinalFailure: onFinalFailure)
  }

  var program: String { template.render { _ in nil }.first ?? "" }

  /// Renders and queues one action; `fields` fill the placeholders.
  func submit(fields: (String) -> String?, environment: [(String, String)], stdin: [UInt8], about: String, tag: Int = 0) {
    let argv = template.render(fields)
    runner.submit(ActionRequest(argv: argv, environment: environment, stdin: stdin, label: "'\(program)' for \(about)", tag: tag))
  }

  /// Between records, while actions run or wait: polls every 256 lines or 20 ms (the clock is
  /// read every 16 lines), so a steady trickle that never leaves input idle still reaps them.
  func lineRead() {
    guard runner.busy else { return }
    linesSincePoll &+= 1
    guard linesSincePoll & 15 == 0 else { return }
    let now = monotonicMicros()
    if linesSincePoll >= 256 || now - lastPoll >= 20_000 { tick(now: now) }
  }

  /// Idle input: collect finished actions, start due ones.
  func tick(now: Int64 = monotonicMicros()) {
    linesSincePoll = 0
    lastPoll = now
    runner.poll(now: now)
  }

  /// At exit: the drain, then the summary of failures and drops on stderr.
  func finish(queueOption: String = "--exec-queue", rateOption: String = "--max-per-minute") {
    runner.finish()
    if let summary = runner.summary(names: (queueOption, rateOption, "--exec-drain")) { printError(command, summary) }
  }

  /// The JSON bytes of one top-level object as (name, placeholder text) pairs:
  /// strings as they are, numbers in their shortest form, other values as JSON.
  static func fields(ofJSON bytes: [UInt8]) -> [(String, String)] {
    let value = bytes.withUnsafeBytes { try? JSONValue.parse($0) }
    guard case .object(let members)? = value else { return [] }
    return members.map { ($0.0, placeholderText($0.1)) }
  }

  static func placeholderText(_ value: JSONValue) -> String {
    switch value {
    case .string(let s): return s
    case .number(let d):
      if d == d.rounded(), Swift.abs(d) < 1e15 { return String(Int64(d)) }
      return d.isFinite ? String(d) : ""
    case .null: return ""
    default: return value.description
    }
  }
}
