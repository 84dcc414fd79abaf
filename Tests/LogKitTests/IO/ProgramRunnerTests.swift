/*
 ProgramRunner against real programs: stdin/stdout round trips, environment,
 exit statuses and signals, timeouts (also of a program ignoring SIGTERM),
 output limits, the concurrency bound, the queue bound, reaping, and that
 shell syntax in a payload, an argument or an environment value stays data.
*/
import Foundation
import Testing
@testable import LogKit

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

private func temporaryDirectory() throws -> String {
  let path = NSTemporaryDirectory() + "programrunner-\(UUID().uuidString)"
  try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  return path
}

/// True when `pid` is no unreaped child of this process (waitpid finds none).
private func isReaped(_ pid: Int32) -> Bool {
  var status: Int32 = 0
  return waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD
}

/// True while a live (not zombie) process `pid` runs the program `name`.
private func isRunning(_ pid: Int32, named name: String) -> Bool {
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
    let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
  else { return false }
  let command = stat[stat.index(after: open)..<close]
  let state = stat[stat.index(after: close)...].split(separator: " ").first ?? ""
  return command == name && state != "Z"
}

@Suite(.serialized) struct ProgramRunnerTests {
  @Test func stdinRoundTripsThroughCat() {
    let payload = Array("hello\nworld\n".utf8)
    let result = ProgramRunner.run(ProgramJob(argv: ["cat"], stdin: payload, tag: 7))
    #expect(result.outcome == .exited(0))
    #expect(result.outcome.succeeded)
    #expect(result.stdout == payload)
    #expect(result.stderr.isEmpty)
    #expect(result.job.tag == 7)
    #expect(result.pid > 0)
    #expect(result.durationMicros > 0)
  }

  @Test func largePayloadDoesNotDeadlock() {
    // 4 MiB each way: far more than a pipe holds, so stdin and stdout must interleave.
    let payload = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    let result = ProgramRunner.run(ProgramJob(argv: ["cat"], stdin: payload, timeoutMicros: 20_000_000, outputLimit: 8 << 20))
    #expect(result.outcome == .exited(0))
    #expect(result.stdout == payload)
  }

  @Test func programThatNeverReadsStdin() {
    // `true` exits at once: the write meets EPIPE (with SIGPIPE ignored or not, the
    // test process survives) and the rest of the payload is dropped.
    let payload = [UInt8](repeating: 0x41, count: 1 << 20)
    let result = ProgramRunner.run(ProgramJob(argv: ["true"], stdin: payload, timeoutMicros: 5_000_000))
    #expect(result.outcome == .exited(0))
    #expect(result.durationMicros < 4_000_000)

    let previous = signal(SIGPIPE, SIG_IGN)
    defer { signal(SIGPIPE, previous) }
    let ignored = ProgramRunner.run(ProgramJob(argv: ["true"], stdin: payload, timeoutMicros: 5_000_000))
    #expect(ignored.outcome == .exited(0))
  }

  @Test func argumentsReachEcho() {
    let result = ProgramRunner.run(ProgramJob(argv: ["/bin/echo", "a b", "c"]))
    #expect(result.outcome == .exited(0))
    #expect(text(result.stdout) == "a b c\n")
  }

  @Test func environmentIsInheritedWithAdditionsWinning() {
    setenv("LOGKIT_RUNNER_INHERITED", "from-parent", 1)
    setenv("LOGKIT_RUNNER_OVERRIDDEN", "old", 1)
    let result = ProgramRunner.run(ProgramJob(
      argv: ["env"], environment: [("LOGKIT_RUNNER_ADDED", "x=1 y"), ("LOGKIT_RUNNER_OVERRIDDEN", "new")]))
    #expect(result.outcome == .exited(0))
    let lines = text(result.stdout).split(separator: "\n").map(String.init)
    #expect(lines.contains("LOGKIT_RUNNER_INHERITED=from-parent"))
    #expect(lines.contains("LOGKIT_RUNNER_ADDED=x=1 y"))
    #expect(lines.filter { $0.hasPrefix("LOGKIT_RUNNER_OVERRIDDEN=") } == ["LOGKIT_RUNNER_OVERRIDDEN=new"])
    #expect(lines.contains { $0.hasPrefix("PATH=") })
  }

  @Test func pathOfTheProgramsEnvironmentIsSearched() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let script = directory + "/logkit-runner-probe"
    try "#!/bin/sh\necho probe ran\n".write(toFile: script, atomically: true, encoding: .utf8)
    chmod(script, 0o755)
    let result = ProgramRunner.run(ProgramJob(argv: ["logkit-runner-probe"], environment: [("PATH", "/nonexistent:" + directory)]))
    #expect(result.outcome == .exited(0))
    #expect(text(result.stdout) == "probe ran\n")
  }

  @Test func exitStatusesAndSignals() {
    #expect(ProgramRunner.run(ProgramJob(argv: ["/bin/sh", "-c", "exit 3"])).outcome == .exited(3))
    #expect(ProgramRunner.run(ProgramJob(argv: ["false"])).outcome == .exited(1))
    let signaled = ProgramRunner.run(ProgramJob(argv: ["/bin/sh", "-c", "kill -USR1 $$"]))
    #expect(signaled.outcome == .signaled(SIGUSR1))
    #expect(signaled.outcome.description == "killed by SIGUSR1")
    #expect(ProgramOutcome.exited(3).description == "exited with status 3")
  }

  @Test func missingOrUnusableProgramsFailToStart() throws {
    let missing = ProgramRunner.run(ProgramJob(argv: ["logkit-no-such-program-\(getpid())"]))
    #expect(missing.outcome == .failedToStart(errno: ENOENT))
    #expect(missing.outcome.description == "could not start: no such file or directory")
    #expect(ProgramRunner.run(ProgramJob(argv: ["/nonexistent/program"])).outcome == .failedToStart(errno: ENOENT))
    #expect(ProgramRunner.run(ProgramJob(argv: [])).outcome == .failedToStart(errno: EINVAL))
    #expect(ProgramRunner.run(ProgramJob(argv: ["echo", "a\u{0}b"])).outcome == .failedToStart(errno: EINVAL))
    #expect(ProgramRunner.run(ProgramJob(argv: ["env"], environment: [("A=B", "c")])).outcome == .failedToStart(errno: EINVAL))
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let plain = directory + "/not-executable"
    try "echo hi\n".write(toFile: plain, atomically: true, encoding: .utf8)
    #expect(ProgramRunner.run(ProgramJob(argv: [plain])).outcome == .failedToStart(errno: EACCES))
  }

  @Test func timeoutKillsSleep() {
    let result = ProgramRunner.run(ProgramJob(argv: ["sleep", "30"], timeoutMicros: 300_000))
    #expect(result.outcome == .timedOut)
    #expect(result.outcomeDescription == "timed out after 300ms")
    #expect(result.durationMicros >= 300_000)
    #expect(result.durationMicros < 1_500_000)
    #expect(isReaped(result.pid))
  }

  @Test func programIgnoringTermIsKilledWithItsChildren() throws {
    // The shell and its sleep both ignore SIGTERM; SIGKILL to the group a second later ends both.
    let job = ProgramJob(argv: ["/bin/sh", "-c", "trap '' TERM; sleep 30 & echo $!; wait"], timeoutMicros: 200_000)
    let result = ProgramRunner.run(job)
    #expect(result.outcome == .timedOut)
    #expect(result.durationMicros >= 1_100_000)
    #expect(result.durationMicros < 3_000_000)
    let sleepPid = try #require(Int32(text(result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)))
    var gone = false
    for _ in 0..<100 where !gone {
      gone = !isRunning(sleepPid, named: "sleep")
      if !gone { usleep(20_000) }
    }
    #expect(gone, "the program's child \(sleepPid) survived the timeout")
  }

  @Test func outputIsBounded() {
    let payload = (0..<200_000).map { UInt8(ascii: "a") &+ UInt8($0 % 26) }
    let out = ProgramRunner.run(ProgramJob(argv: ["cat"], stdin: payload, outputLimit: 1000))
    #expect(out.outcome == .exited(0))
    #expect(out.stdout == Array(payload.prefix(1000)))
    let err = ProgramRunner.run(ProgramJob(argv: ["/bin/sh", "-c", "cat >&2"], stdin: payload, outputLimit: 1000))
    #expect(err.outcome == .exited(0))
    #expect(err.stderr == Array(payload.suffix(1000)))
    #expect(err.stdout.isEmpty)
  }

  @Test func concurrencyIsBounded() throws {
    let runner = ProgramRunner(maxRunning: 2, maxQueued: 100)
    for tag in 0..<10 {
      // Each program prints when it started and ended (ns), so overlap is measured from the programs.
      #expect(runner.submit(ProgramJob(argv: ["/bin/sh", "-c", "date +%s%N; sleep 0.2; date +%s%N"], tag: tag)))
    }
    #expect(runner.queued == 10)
    var results: [ProgramResult] = []
    let deadline = Date().addingTimeInterval(20)
    while results.count < 10 && Date() < deadline {
      results += runner.wait(upToMicros: 50_000)
      #expect(runner.running <= 2)
    }
    #expect(results.count == 10)
    #expect(Set(results.map(\.job.tag)) == Set(0..<10))
    var events: [(Int, Int)] = []
    for result in results {
      #expect(result.outcome == .exited(0))
      let stamps = text(result.stdout).split(separator: "\n").compactMap { Int($0) }
      try #require(stamps.count == 2)
      events += [(stamps[0], 1), (stamps[1], -1)]
    }
    var now = 0
    var most = 0
    for event in events.sorted(by: { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }) {
      now += event.1
      most = max(most, now)
    }
    #expect(most == 2)
    for result in results { #expect(isReaped(result.pid)) }
  }

  @Test func fullQueueRefusesAndPollDoesNotBlock() {
    let runner = ProgramRunner(maxRunning: 1, maxQueued: 2)
    #expect(runner.submit(ProgramJob(argv: ["sleep", "0.5"], tag: 1)))
    #expect(runner.submit(ProgramJob(argv: ["true"], tag: 2)))
    #expect(!runner.submit(ProgramJob(argv: ["true"], tag: 3)))
    let before = monotonicMicros()
    #expect(runner.poll().isEmpty)
    #expect(monotonicMicros() - before < 100_000)
    #expect(runner.running == 1)
    #expect(runner.queued == 1)
    let results = runner.drain(timeoutMicros: 5_000_000)
    #expect(results.map(\.job.tag) == [1, 2])
    #expect(results.allSatisfy { $0.outcome == .exited(0) })
    #expect(runner.running == 0 && runner.queued == 0)
  }

  @Test func drainOutOfTimeKillsAndCancels() {
    let runner = ProgramRunner(maxRunning: 1)
    _ = runner.submit(ProgramJob(argv: ["sleep", "30"], timeoutMicros: 0, tag: 1))
    _ = runner.submit(ProgramJob(argv: ["true"], tag: 2))
    let results = runner.drain(timeoutMicros: 200_000)
    #expect(results.map(\.job.tag) == [1, 2])
    #expect(results.map(\.outcome) == [.timedOut, .failedToStart(errno: ECANCELED)])
    #expect(isReaped(results[0].pid))
  }

  @Test func finishedProgramsLeaveNoZombies() {
    let runner = ProgramRunner(maxRunning: 4)
    for tag in 0..<8 { _ = runner.submit(ProgramJob(argv: ["/bin/sh", "-c", "exit \(tag)"], tag: tag)) }
    let results = runner.drain(timeoutMicros: 10_000_000)
    #expect(results.count == 8)
    for result in results {
      #expect(result.outcome == .exited(Int32(result.job.tag)))
      // Already reaped: waitpid on that pid finds no child of ours.
      #expect(isReaped(result.pid))
    }
  }

  @Test func shellSyntaxStaysData() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let hostile = "$(touch \(directory)/pwned) ;touch \(directory)/pwned2 `touch \(directory)/pwned3`\ntouch \(directory)/pwned4\n|touch \(directory)/pwned5 && touch \(directory)/pwned6"
    let echo = ProgramRunner.run(ProgramJob(argv: ["/bin/echo", hostile, "; touch \(directory)/pwned7"]))
    #expect(echo.outcome == .exited(0))
    #expect(text(echo.stdout) == hostile + " ; touch \(directory)/pwned7\n")
    let cat = ProgramRunner.run(ProgramJob(argv: ["cat"], environment: [("LOGKIT_HOSTILE", hostile)], stdin: Array(hostile.utf8)))
    #expect(cat.outcome == .exited(0))
    #expect(text(cat.stdout) == hostile)
    let env = ProgramRunner.run(ProgramJob(argv: ["env"], environment: [("LOGKIT_HOSTILE", hostile)]))
    #expect(text(env.stdout).contains("LOGKIT_HOSTILE=" + hostile + "\n"))
    let created = try FileManager.default.contentsOfDirectory(atPath: directory)
    #expect(created.isEmpty, "files created: \(created)")

    // The same text given to a shell does create the files: the check above can fail.
    _ = ProgramRunner.run(ProgramJob(argv: ["/bin/sh", "-c", "echo " + hostile]))
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory).contains("pwned"))
  }

  @Test func durationsAreFormatted() {
    #expect(formatMicros(2_000_000) == "2s")
    #expect(formatMicros(1_500_000) == "1.5s")
    #expect(formatMicros(1_050_000) == "1.05s")
    #expect(formatMicros(250_000) == "250ms")
    #expect(formatMicros(40) == "40µs")
  }
}
