/*
 Actions: programs a command runs for its events (logalert's notifications,
 logscale's scaler), on top of ProgramRunner, so that they never block the
 stream that produces them.

 `submit` only queues (bounded); `poll`, called by the command between
 records and on idle ticks, starts queued actions up to the concurrency,
 collects the finished ones and reports failures with the program's stderr
 tail. A full queue drops the new action (`dropNewest`, counted), or, for a
 command where only the latest action matters (logscale), replaces the queued
 one (`replaceQueued`, counted as superseded). `maxPerMinute` drops actions
 beyond N submissions in the last 60 s of wall time (counted). A failed action
 is retried `retries` times, after `backoff`, doubling, at most 60 s. At exit
 `finish` waits at most `drainMicros` (or until another SIGINT/SIGTERM) for
 what is running, queued or due for a retry, then kills what is still running
 and counts what never ran.
*/
import Glibc

package struct ActionPolicy: Sendable {
  package enum Overflow: Sendable { case dropNewest, replaceQueued }
  package var timeoutMicros: Int64 = 10_000_000
  package var concurrency = 4
  package var queueLimit = 1000
  package var overflow = Overflow.dropNewest
  package var retries = 0
  package var backoffMicros: Int64 = 1_000_000
  package var maxPerMinute: Int?
  package var drainMicros: Int64 = 10_000_000
  /// Bytes kept of each program's stdout and stderr.
  package var outputLimit = 4096

  package init() {}
}

package struct ActionRequest: Sendable {
  package var argv: [String]
  package var environment: [(String, String)]
  package var stdin: [UInt8]
  /// How messages name the action: "'notify.sh' for high_5xx firing".
  package var label: String
  /// The caller's id for the action (given back to `onFinalFailure`).
  package var tag: Int

  package init(argv: [String], environment: [(String, String)] = [], stdin: [UInt8] = [], label: String, tag: Int = 0) {
    self.tag = tag
    self.argv = argv
    self.environment = environment
    self.stdin = stdin
    self.label = label
  }
}

package enum ActionSubmission: Sendable, Equatable {
  case queued
  /// Queued in place of an older queued action (`replaceQueued`).
  case replaced
  case droppedQueueFull
  case droppedRate
}

package struct ActionCounts: Sendable, Equatable {
  package var submitted = 0
  package var started = 0
  package var succeeded = 0
  package var failed = 0
  package var retried = 0
  package var droppedQueueFull = 0
  package var droppedRate = 0
  package var superseded = 0
  /// Queued or due for a retry when the exit drain ran out of time.
  package var notRun = 0
}

package final class ActionRunner {
  package let policy: ActionPolicy
  package private(set) var counts = ActionCounts()
  private let runner: ProgramRunner
  private let report: (String) -> Void
  private let onFinalFailure: (ActionRequest) -> Void
  private struct Waiting {
    var request: ActionRequest
    var attempt: Int
    var due: Int64
  }
  private var waiting: [Waiting] = []
  private var inFlight: [Int: Waiting] = [:]
  private var nextTag = 1
  private var recent: [Int64] = []
  private var recentHead = 0

  /// `report` gets one message per failure (without the command's prefix);
  /// `onFinalFailure` the actions that failed for good.
  package init(policy: ActionPolicy, report: @escaping (String) -> Void, onFinalFailure: @escaping (ActionRequest) -> Void = { _ in }) {
    self.policy = policy
    self.report = report
    self.onFinalFailure = onFinalFailure
    runner = ProgramRunner(maxRunning: policy.concurrency, maxQueued: policy.concurrency)
  }

  /// Running, queued or waiting for a retry.
  package var busy: Bool { !waiting.isEmpty || !inFlight.isEmpty }

  /// Queues an action; never blocks. Starts it at once when there is room.
  @discardableResult
  package func submit(_ request: ActionRequest, now: Int64 = monotonicMicros()) -> ActionSubmission {
    if let limit = policy.maxPerMinute, !admitRate(limit: limit, now: now) {
      counts.droppedRate += 1
      return .droppedRate
    }
    var outcome = ActionSubmission.queued
    if waiting.count >= max(policy.queueLimit, 0) + (inFlight.count < policy.concurrency ? 1 : 0) {
      guard policy.overflow == .replaceQueued, let last = waiting.lastIndex(where: { $0.attempt == 0 }) else {
        counts.droppedQueueFull += 1
        return .droppedQueueFull
      }
      waiting.remove(at: last)
      counts.superseded += 1
      outcome = .replaced
    }
    counts.submitted += 1
    waiting.append(Waiting(request: request, attempt: 0, due: now))
    startDue(now: now)
    return outcome
  }

  /// Non-blocking: collects finished actions, reports failures, starts what is due.
  package func poll(now: Int64 = monotonicMicros()) {
    guard busy else { return }
    if !inFlight.isEmpty { handle(runner.poll(), now: now) }
    startDue(now: now)
  }

  /// At exit: waits at most `drainMicros` for running, queued and retrying actions;
  /// kills what still runs then and counts what never ran.
  package func finish() {
    let deadline = monotonicMicros().addingSaturating(max(policy.drainMicros, 0))
    let signals = Signals.count
    while busy {
      let now = monotonicMicros()
      // Out of time, or another SIGINT/SIGTERM: the user does not want to wait.
      if now >= deadline || Signals.count != signals { break }
      startDue(now: now)
      if inFlight.isEmpty {
        let nextDue = waiting.map(\.due).min() ?? now
        if nextDue >= deadline { break }
        pauseMicros(min(nextDue - now, deadline - now))
        continue
      }
      handle(runner.wait(upToMicros: min(deadline - now, 100_000)), now: monotonicMicros())
    }
    for result in runner.drain(timeoutMicros: 0) {
      guard let entry = inFlight.removeValue(forKey: result.job.tag) else { continue }
      counts.failed += 1
      let why = Signals.count != signals ? "a second signal ended the wait" : "still running after the drain time of \(Self.durationText(policy.drainMicros))"
      report("action \(entry.request.label) killed at exit: \(why)")
      onFinalFailure(entry.request)
    }
    counts.notRun += waiting.count
    waiting.removeAll()
  }

  /// The end-of-run summary when something failed or was dropped, else nil.
  package func summary(names: (queue: String, rate: String, drain: String)) -> String? {
    let c = counts
    guard c.failed + c.droppedQueueFull + c.droppedRate + c.notRun > 0 else { return nil }
    var parts = ["\(c.started) actions run, \(c.succeeded) succeeded, \(c.failed) failed"]
    if c.retried > 0 { parts[0] += " (\(c.retried) retries)" }
    if c.droppedQueueFull > 0 { parts.append("\(c.droppedQueueFull) dropped: queue full (\(names.queue) \(policy.queueLimit))") }
    if c.droppedRate > 0 { parts.append("\(c.droppedRate) dropped: over \(names.rate) \(policy.maxPerMinute ?? 0)") }
    if c.superseded > 0 { parts.append("\(c.superseded) superseded by a later one") }
    if c.notRun > 0 { parts.append("\(c.notRun) not run: no time left at exit (\(names.drain) \(Self.durationText(policy.drainMicros)))") }
    return parts.joined(separator: "; ")
  }

  private func admitRate(limit: Int, now: Int64) -> Bool {
    guard limit > 0 else { return false }
    if recent.count < limit {
      recent.append(now)
      return true
    }
    // recent is a ring of the last `limit` admissions; recentHead is the oldest.
    guard now - recent[recentHead] >= 60_000_000 else { return false }
    recent[recentHead] = now
    recentHead = (recentHead + 1) % limit
    return true
  }

  private func startDue(now: Int64) {
    while inFlight.count < policy.concurrency, let index = waiting.firstIndex(where: { $0.due <= now }) {
      let entry = waiting.remove(at: index)
      let tag = nextTag
      nextTag &+= 1
      let job = ProgramJob(
        argv: entry.request.argv, environment: entry.request.environment, stdin: entry.request.stdin,
        timeoutMicros: policy.timeoutMicros, outputLimit: policy.outputLimit, tag: tag)
      inFlight[tag] = entry
      counts.started += 1
      _ = runner.submit(job)
    }
    // Programs that could not start come back from the next poll as .failedToStart.
    if !inFlight.isEmpty { handle(runner.poll(), now: now, startMore: false) }
  }

  private func handle(_ results: [ProgramResult], now: Int64, startMore: Bool = true) {
    for result in results {
      guard let entry = inFlight.removeValue(forKey: result.job.tag) else { continue }
      if result.outcome.succeeded {
        counts.succeeded += 1
        continue
      }
      var message = "action \(entry.request.label) \(result.outcomeDescription)"
      let tail = Self.stderrTail(result.stderr)
      if !tail.isEmpty { message += ": " + tail }
      if entry.attempt < policy.retries {
        let delay = Self.backoff(policy.backoffMicros, attempt: entry.attempt)
        counts.retried += 1
        report(message + " (retry \(entry.attempt + 1) of \(policy.retries) in \(formatMicros(delay)))")
        waiting.append(Waiting(request: entry.request, attempt: entry.attempt + 1, due: now.addingSaturating(delay)))
      } else {
        counts.failed += 1
        report(message)
        onFinalFailure(entry.request)
      }
    }
    if startMore && !results.isEmpty { startDue(now: now) }
  }

  static func durationText(_ micros: Int64) -> String { micros <= 0 ? "0s" : formatMicros(micros) }

  /// backoff, 2 × backoff, 4 × backoff, ..., at most 60 s.
  static func backoff(_ base: Int64, attempt: Int) -> Int64 {
    var delay = max(base, 0)
    for _ in 0..<min(attempt, 20) { delay = min(delay.addingSaturating(delay), 60_000_000) }
    return min(delay, 60_000_000)
  }

  /// The last lines of a program's stderr, at most 300 bytes, as one line of plain text.
  static func stderrTail(_ bytes: [UInt8]) -> String {
    var text = String(decoding: bytes.suffix(300), as: UTF8.self)
    while let last = text.last, last.isWhitespace { text.removeLast() }
    var line = ""
    for scalar in text.unicodeScalars {
      if scalar == "\n" {
        line += " | "
      } else if scalar.value < 0x20 || scalar.value == 0x7F {
        line += scalar == "\t" ? " " : "?"
      } else {
        line.unicodeScalars.append(scalar)
      }
    }
    return line.trimmingPrefix(while: { $0 == " " || $0 == "|" })
  }
}

extension String {
  fileprivate func trimmingPrefix(while predicate: (Character) -> Bool) -> String {
    String(drop(while: predicate))
  }
}

/// nanosleep, returning early on a signal (the drain loop then checks it).
private func pauseMicros(_ micros: Int64) {
  guard micros > 0 else { return }
  var request = timespec(tv_sec: Int(micros / 1_000_000), tv_nsec: Int((micros % 1_000_000) * 1000))
  _ = nanosleep(&request, nil)
}
