/*
 Runs other programs by argv, never through a shell: the notifier of logalert,
 the scaler of logscale. A job's bytes reach the program only as argv
 elements, environment values and stdin, so nothing in a log line is ever
 interpreted as shell syntax.

 One thread drives everything: `submit` queues, `poll` (non-blocking) writes
 stdin, collects output, reaps, kills programs over their time and starts
 queued jobs; `drain` waits for the rest at exit. Each program gets its own
 process group so a timeout kills what it started too (SIGTERM, then SIGKILL
 one second later). A program that is missing or not executable is reported
 as `.failedToStart(errno:)` (ENOENT, EACCES), not as exit status 127: the
 PATH lookup is ours and posix_spawn reports exec failures to the caller.
*/
import Glibc

package struct ProgramJob: Sendable {
  /// argv[0] is looked up in the PATH of the program's environment unless it contains a '/'.
  package var argv: [String]
  /// Added to the inherited environment; an added name replaces the inherited value.
  package var environment: [(String, String)]
  /// Written to the program's stdin, which is then closed.
  package var stdin: [UInt8]
  /// After this the program gets SIGTERM, and SIGKILL one second later; <= 0 for no limit.
  package var timeoutMicros: Int64
  /// Bytes kept of each stream: the first of stdout, the last of stderr.
  package var outputLimit: Int
  /// The caller's id for this job, returned in the result.
  package var tag: Int

  package init(
    argv: [String], environment: [(String, String)] = [], stdin: [UInt8] = [],
    timeoutMicros: Int64 = 10_000_000, outputLimit: Int = 64 * 1024, tag: Int = 0
  ) {
    self.argv = argv
    self.environment = environment
    self.stdin = stdin
    self.timeoutMicros = timeoutMicros
    self.outputLimit = outputLimit
    self.tag = tag
  }
}

package enum ProgramOutcome: Sendable, Equatable, CustomStringConvertible {
  /// The program exited with this status.
  case exited(Int32)
  /// A signal the runner did not send for a timeout ended it.
  case signaled(Int32)
  /// The runner killed it: its timeout passed, or `drain` ran out of time.
  case timedOut
  /// It never ran: ENOENT/EACCES from the PATH lookup or exec, EINVAL for an empty argv
  /// or a NUL byte, ECANCELED for a queued job that `drain` had no time left to start.
  case failedToStart(errno: Int32)

  package var succeeded: Bool { self == .exited(0) }

  package var description: String {
    switch self {
    case .exited(let status): return "exited with status \(status)"
    case .signaled(let signal): return "killed by \(signalName(signal))"
    case .timedOut: return "timed out"
    case .failedToStart(let code): return "could not start: \(errnoText(code))"
    }
  }
}

package struct ProgramResult: Sendable {
  package var job: ProgramJob
  package var outcome: ProgramOutcome
  /// The first `outputLimit` bytes the program wrote to stdout.
  package var stdout: [UInt8]
  /// The last `outputLimit` bytes the program wrote to stderr.
  package var stderr: [UInt8]
  /// From start to reaping (0 when it never started).
  package var durationMicros: Int64
  /// The process id it had (0 when it never started).
  package var pid: Int32

  /// The outcome with the job's limit: "timed out after 2s", "exited with status 3".
  package var outcomeDescription: String {
    if outcome == .timedOut && job.timeoutMicros > 0 { return "timed out after \(formatMicros(job.timeoutMicros))" }
    return outcome.description
  }
}

package final class ProgramRunner {
  package let maxRunning: Int
  package let maxQueued: Int
  private var pending: [ProgramJob] = []
  private var pendingHead = 0
  private var active: [RunningProgram] = []
  private var scratch: UnsafeMutableRawBufferPointer

  package init(maxRunning: Int = 4, maxQueued: Int = 1000) {
    self.maxRunning = max(maxRunning, 1)
    self.maxQueued = max(maxQueued, 0)
    scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
  }

  deinit {
    for program in active { program.killAndReap() }
    scratch.deallocate()
  }

  package var running: Int { active.count }
  package var queued: Int { pending.count - pendingHead }

  /// Queues a job; false when the queue is full (the caller counts a drop). Never blocks.
  package func submit(_ job: ProgramJob) -> Bool {
    guard queued < maxQueued || (queued == 0 && active.count < maxRunning) else { return false }
    pending.append(job)
    return true
  }

  /// Non-blocking: moves stdin and output, reaps finished programs, kills those over
  /// their time and starts queued jobs. Returns the jobs that finished.
  package func poll() -> [ProgramResult] {
    step(waitMicros: 0)
  }

  /// Like `poll`, but waits up to `upToMicros` for a program to finish.
  package func wait(upToMicros: Int64) -> [ProgramResult] {
    let deadline = monotonicMicros().addingSaturating(max(upToMicros, 0))
    while true {
      let now = monotonicMicros()
      let results = step(waitMicros: min(max(deadline - now, 0), 10_000))
      if !results.isEmpty || monotonicMicros() >= deadline || (active.isEmpty && queued == 0) { return results }
    }
  }

  /// At exit: waits for every running and queued job, at most `timeoutMicros`; programs
  /// still running then are killed (`.timedOut`), jobs never started get ECANCELED.
  package func drain(timeoutMicros: Int64) -> [ProgramResult] {
    let deadline = monotonicMicros().addingSaturating(max(timeoutMicros, 0))
    var results: [ProgramResult] = []
    while !active.isEmpty || queued > 0 {
      let left = deadline - monotonicMicros()
      if left <= 0 { break }
      results += wait(upToMicros: left)
    }
    for program in active {
      program.killAndReap()
      results.append(program.result(forcedTimeout: true))
    }
    active.removeAll()
    while let job = nextPending() {
      results.append(ProgramResult(job: job, outcome: .failedToStart(errno: ECANCELED), stdout: [], stderr: [], durationMicros: 0, pid: 0))
    }
    return results
  }

  /// Runs one program to its end (blocking; bounded by the job's timeout).
  package static func run(_ job: ProgramJob) -> ProgramResult {
    let runner = ProgramRunner(maxRunning: 1, maxQueued: 1)
    _ = runner.submit(job)
    let results = runner.drain(timeoutMicros: .max)
    return results.first ?? ProgramResult(job: job, outcome: .failedToStart(errno: ECANCELED), stdout: [], stderr: [], durationMicros: 0, pid: 0)
  }

  /// One round: start, exchange bytes (waiting at most `waitMicros`), reap, enforce time, start.
  private func step(waitMicros: Int64) -> [ProgramResult] {
    var results = startQueued()
    exchange(waitMicros: results.isEmpty ? waitMicros : 0)
    let now = monotonicMicros()
    var stillRunning: [RunningProgram] = []
    stillRunning.reserveCapacity(active.count)
    for program in active {
      if program.reap(scratch: scratch) {
        results.append(program.result(forcedTimeout: false))
      } else {
        program.enforceTimeout(now: now)
        stillRunning.append(program)
      }
    }
    active = stillRunning
    results += startQueued()
    return results
  }

  private func startQueued() -> [ProgramResult] {
    var failures: [ProgramResult] = []
    while active.count < maxRunning, let job = nextPending() {
      switch RunningProgram.start(job) {
      case .success(let program): active.append(program)
      case .failure(let error):
        failures.append(ProgramResult(job: job, outcome: .failedToStart(errno: error.code), stdout: [], stderr: [], durationMicros: 0, pid: 0))
      }
    }
    return failures
  }

  private func nextPending() -> ProgramJob? {
    guard pendingHead < pending.count else { return nil }
    let job = pending[pendingHead]
    pendingHead += 1
    if pendingHead == pending.count {
      pending.removeAll(keepingCapacity: true)
      pendingHead = 0
    } else if pendingHead >= 256 && pendingHead * 2 >= pending.count {
      pending.removeFirst(pendingHead)
      pendingHead = 0
    }
    return job
  }

  /// poll(2) over every open pipe, then writes stdin and reads output where ready.
  private func exchange(waitMicros: Int64) {
    var fds: [pollfd] = []
    var owners: [Int] = []
    for (index, program) in active.enumerated() {
      for entry in program.pollEntries() {
        fds.append(entry)
        owners.append(index)
      }
    }
    guard !fds.isEmpty else {
      if waitMicros > 0 { usleep(UInt32(clamping: waitMicros)) }
      return
    }
    let timeout = Int32(clamping: (waitMicros + 999) / 1000)
    let ready = Glibc.poll(&fds, nfds_t(fds.count), timeout)
    guard ready > 0 else { return }
    for (slot, entry) in fds.enumerated() where entry.revents != 0 {
      active[owners[slot]].service(fd: entry.fd, scratch: scratch)
    }
  }
}

/// "2s", "1.5s", "250ms", "40µs".
package func formatMicros(_ micros: Int64) -> String {
  if micros < 1000 { return "\(micros)µs" }
  if micros < 1_000_000 { return "\(micros / 1000)ms" }
  let whole = micros / 1_000_000
  var fraction = (micros % 1_000_000) / 1000
  if fraction == 0 { return "\(whole)s" }
  var digits = 3
  while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
  let text = String(fraction)
  return "\(whole)." + String(repeating: "0", count: max(digits - text.count, 0)) + text + "s"
}

/// "SIGTERM" for the common signals, "signal 40" otherwise.
package func signalName(_ signal: Int32) -> String {
  let names: [Int32: String] = [
    SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGABRT: "SIGABRT",
    SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1", SIGSEGV: "SIGSEGV",
    SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
  ]
  return names[signal] ?? "signal \(signal)"
}

extension Int64 {
  func addingSaturating(_ other: Int64) -> Int64 {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? (other > 0 ? .max : .min) : sum
  }
}
