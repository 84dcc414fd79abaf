/*
 One started program: its pipes, what it wrote so far, its deadline.

 The parent's pipe ends are non-blocking, so a program that never reads its
 stdin, or floods stdout, never stalls the runner. Writing to a program that
 exited raises SIGPIPE; the commands ignore it, and for callers that do not,
 the write blocks it for this thread and discards the pending signal.
*/
import Glibc

final class RunningProgram {
  let job: ProgramJob
  let pid: pid_t
  private var stdinFD: Int32
  private var stdoutFD: Int32
  private var stderrFD: Int32
  private var written = 0
  private var stdout: [UInt8] = []
  private var stderrTail: [UInt8] = []
  private let startedAt: Int64
  private var finishedAt: Int64 = 0
  private var termSentAt: Int64?
  private var killSent = false
  private var waitStatus: Int32?

  private init(job: ProgramJob, spawned: SpawnedProgram) {
    self.job = job
    pid = spawned.pid
    stdinFD = spawned.stdin
    stdoutFD = spawned.stdout
    stderrFD = spawned.stderr
    startedAt = monotonicMicros()
    if job.stdin.isEmpty { closeFD(&stdinFD) }
  }

  static func start(_ job: ProgramJob) -> Result<RunningProgram, SpawnError> {
    do {
      let spawned = try spawnProgram(job)
      return .success(RunningProgram(job: job, spawned: spawned))
    } catch {
      return .failure(error)
    }
  }

  /// The pipes still open, with what to wait for on each.
  func pollEntries() -> [pollfd] {
    var entries: [pollfd] = []
    if stdinFD >= 0 { entries.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
    if stdoutFD >= 0 { entries.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
    if stderrFD >= 0 { entries.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
    return entries
  }

  /// Moves bytes on `fd`, which poll(2) reported ready.
  func service(fd: Int32, scratch: UnsafeMutableRawBufferPointer) {
    if fd == stdinFD {
      writeStdin()
    } else if fd == stdoutFD {
      readAvailable(.stdout, scratch: scratch, rounds: 4)
    } else if fd == stderrFD {
      readAvailable(.stderr, scratch: scratch, rounds: 4)
    }
  }

  /// waitpid(WNOHANG); on exit collects the output left in the pipes and closes them.
  func reap(scratch: UnsafeMutableRawBufferPointer) -> Bool {
    guard waitStatus == nil else { return true }
    var status: Int32 = 0
    var r: pid_t
    repeat { r = waitpid(pid, &status, WNOHANG) } while r < 0 && errno == EINTR
    if r == 0 { return false }
    // r < 0 is ECHILD: someone else reaped it (SIGCHLD ignored); its status is lost.
    finish(status: r == pid ? status : -1, scratch: scratch)
    return true
  }

  /// SIGTERM to its process group once the timeout passed, SIGKILL a second later.
  func enforceTimeout(now: Int64) {
    guard waitStatus == nil, job.timeoutMicros > 0 else { return }
    if let termSentAt {
      if !killSent && now - termSentAt >= 1_000_000 { signalGroup(SIGKILL); killSent = true }
    } else if now - startedAt >= job.timeoutMicros {
      signalGroup(SIGTERM)
      termSentAt = now
    }
  }

  /// SIGKILL now and wait for it (deinit, or `drain` out of time).
  func killAndReap() {
    guard waitStatus == nil else { return }
    if termSentAt == nil { termSentAt = monotonicMicros() }
    signalGroup(SIGKILL)
    killSent = true
    var status: Int32 = 0
    var r: pid_t
    repeat { r = waitpid(pid, &status, 0) } while r < 0 && errno == EINTR
    finish(status: r == pid ? status : -1, scratch: nil)
  }

  func result(forcedTimeout: Bool) -> ProgramResult {
    let status = waitStatus ?? -1
    let outcome: ProgramOutcome
    if termSentAt != nil || forcedTimeout {
      outcome = .timedOut
    } else if status & 0x7F == 0 {
      outcome = .exited((status >> 8) & 0xFF)
    } else if status == -1 {
      outcome = .exited(-1)
    } else {
      outcome = .signaled(status & 0x7F)
    }
    let limit = max(job.outputLimit, 0)
    let tail = stderrTail.count > limit ? Array(stderrTail.suffix(limit)) : stderrTail
    return ProgramResult(
      job: job, outcome: outcome, stdout: stdout, stderr: tail,
      durationMicros: finishedAt - startedAt, pid: pid)
  }

  private func finish(status: Int32, scratch: UnsafeMutableRawBufferPointer?) {
    waitStatus = status
    finishedAt = monotonicMicros()
    closeFD(&stdinFD)
    if let scratch {
      // What it wrote before exiting is in the pipe; a descendant still writing is not waited for.
      readAvailable(.stdout, scratch: scratch, rounds: 64)
      readAvailable(.stderr, scratch: scratch, rounds: 64)
    }
    closeFD(&stdoutFD)
    closeFD(&stderrFD)
    // After a timeout, descendants that ignored SIGTERM go too. The group id cannot be
    // reused while any member lives, so this reaches only what this program started.
    if termSentAt != nil { _ = kill(-pid, SIGKILL) }
  }

  private func signalGroup(_ signal: Int32) {
    if kill(-pid, signal) != 0 { _ = kill(pid, signal) }
  }

  private func writeStdin() {
    guard stdinFD >= 0 else { return }
    let total = job.stdin.count
    while written < total {
      let outcome = job.stdin.withUnsafeBytes { bytes in
        writeIgnoringSIGPIPE(stdinFD, bytes.baseAddress.map { $0 + written }, min(total - written, 64 * 1024))
      }
      if outcome.count > 0 { written += outcome.count; continue }
      if outcome.error == EINTR { continue }
      if outcome.error == EAGAIN { return }
      // EPIPE: the program does not read its stdin (or exited); the rest is dropped.
      break
    }
    closeFD(&stdinFD)
  }

  private enum Stream { case stdout, stderr }

  private func readAvailable(_ stream: Stream, scratch: UnsafeMutableRawBufferPointer, rounds: Int) {
    for _ in 0..<rounds {
      let fd = stream == .stdout ? stdoutFD : stderrFD
      guard fd >= 0 else { return }
      let n = read(fd, scratch.baseAddress, scratch.count)
      if n > 0 {
        keep(UnsafeRawBufferPointer(start: scratch.baseAddress, count: n), stream)
        continue
      }
      if n < 0 && errno == EINTR { continue }
      if n < 0 && errno == EAGAIN { return }
      // End of stream, or an error that ends it.
      if stream == .stdout { closeFD(&stdoutFD) } else { closeFD(&stderrFD) }
    }
  }

  private func keep(_ bytes: UnsafeRawBufferPointer, _ stream: Stream) {
    let limit = max(job.outputLimit, 0)
    if stream == .stdout {
      let room = limit - stdout.count
      if room > 0 { stdout.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.prefix(room))) }
    } else if limit > 0 {
      stderrTail.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.suffix(limit)))
      if stderrTail.count > 2 * limit { stderrTail.removeFirst(stderrTail.count - limit) }
    }
  }
}

func closeFD(_ fd: inout Int32) {
  if fd >= 0 { close(fd) }
  fd = -1
}

/// write(2) that turns a SIGPIPE into EPIPE even when SIGPIPE is not ignored: the signal is
/// blocked for this thread during the write and, if the write raised it, taken off the queue.
func writeIgnoringSIGPIPE(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> (count: Int, error: Int32) {
  var pipeSet = sigset_t()
  sigemptyset(&pipeSet)
  sigaddset(&pipeSet, SIGPIPE)
  var saved = sigset_t()
  pthread_sigmask(SIG_BLOCK, &pipeSet, &saved)
  var pendingBefore = sigset_t()
  sigpending(&pendingBefore)
  let alreadyPending = sigismember(&pendingBefore, SIGPIPE) == 1
  let n = write(fd, bytes, count)
  let code = n < 0 ? errno : 0
  if code == EPIPE && !alreadyPending {
    var zero = timespec(tv_sec: 0, tv_nsec: 0)
    while sigtimedwait(&pipeSet, nil, &zero) < 0 && errno == EINTR {}
  }
  pthread_sigmask(SIG_SETMASK, &saved, nil)
  return (max(n, 0), code)
}
