/*
 ArgvTemplate (placeholders inside one argument, literal braces, JSON
 escaping) and ActionRunner against real programs: drops when the queue is
 full, the latest-wins queue, retries with doubling backoff, --max-per-minute,
 and the exit drain that kills what never ends.
*/
import Glibc
import Testing
@testable import LogKit

@Suite struct ArgvTemplateTests {
  @Test func placeholdersStayInsideTheirArgument() {
    let template = ArgvTemplate(["kubectl", "scale", "--replicas={replicas}", "{reason}", "{missing}", "x{a}{b}y"])
    #expect(template.fieldNames == ["replicas", "reason", "missing", "a", "b"])
    let values = ["replicas": "4", "reason": "a b; $(touch pwned) `id`", "a": "1", "b": "2"]
    #expect(template.render { values[$0] } == ["kubectl", "scale", "--replicas=4", "a b; $(touch pwned) `id`", "", "x12y"])
  }

  @Test func bracesThatAreNotPlaceholdersAreLiteral() {
    let template = ArgvTemplate(["jsonpath={.spec.replicas}", "{{x}}", "{}", "{a b}", "{1x}", "a}b", "{open", "{x.}"])
    #expect(template.fieldNames.isEmpty)
    #expect(template.render { _ in "!" } == ["jsonpath={.spec.replicas}", "{x}", "{}", "{a b}", "{1x}", "a}b", "{open", "{x.}"])
  }

  @Test func jsonPlaceholdersAreEscaped() {
    let template = ArgvTemplate(["{\"text\":\"{summary:json}\",\"n\":{n}}"])
    #expect(template.fieldNames == ["summary", "n"])
    let rendered = template.render { $0 == "summary" ? "say \"hi\"\\\n\u{1}" : "3" }
    #expect(rendered == ["{\"text\":\"say \\\"hi\\\"\\\\\\n\\u0001\",\"n\":3}"])
  }

  @Test func environmentNames() {
    #expect(environmentName("path") == "PATH")
    #expect(environmentName("client.ip") == "CLIENT_IP")
    #expect(environmentName("user-agent é") == "USER_AGENT__")
  }
}

@Suite(.serialized) struct ActionRunnerTests {
  final class Messages: @unchecked Sendable {
    var lines: [String] = []
  }

  static func runner(_ configure: (inout ActionPolicy) -> Void, messages: Messages) -> ActionRunner {
    var policy = ActionPolicy()
    configure(&policy)
    return ActionRunner(policy: policy, report: { messages.lines.append($0) })
  }

  @Test func aFullQueueDropsTheNewestAndCounts() {
    let messages = Messages()
    let runner = Self.runner({ $0.concurrency = 1; $0.queueLimit = 2; $0.drainMicros = 5_000_000 }, messages: messages)
    let outcomes = (0..<5).map { _ in runner.submit(ActionRequest(argv: ["sleep", "0.05"], label: "nap")) }
    #expect(outcomes == [.queued, .queued, .queued, .droppedQueueFull, .droppedQueueFull])
    runner.finish()
    #expect(runner.counts.started == 3 && runner.counts.succeeded == 3 && runner.counts.droppedQueueFull == 2)
    #expect(messages.lines.isEmpty)
    #expect(runner.summary(names: ("--q", "--r", "--d")) == "3 actions run, 3 succeeded, 0 failed; 2 dropped: queue full (--q 2)")
  }

  @Test func theLatestReplacesAQueuedAction() throws {
    let dir = try #require(String(validatingCString: mkdtemp(strdup("/tmp/logkit-actions-XXXXXX"))))
    defer { _ = ProgramRunner.run(ProgramJob(argv: ["rm", "-rf", dir])) }
    let messages = Messages()
    let runner = Self.runner({ $0.concurrency = 1; $0.queueLimit = 1; $0.overflow = .replaceQueued }, messages: messages)
    let outcomes = (1...4).map { n in
      runner.submit(ActionRequest(argv: ["/bin/sh", "-c", "sleep 0.05; echo $0 >> \(dir)/log", "\(n)"], label: "scale"))
    }
    #expect(outcomes == [.queued, .queued, .replaced, .replaced])
    runner.finish()
    let log = ProgramRunner.run(ProgramJob(argv: ["cat", dir + "/log"]))
    #expect(String(decoding: log.stdout, as: UTF8.self) == "1\n4\n")
    #expect(runner.counts.superseded == 2)
  }

  @Test func failuresAreRetriedWithDoublingBackoff() {
    let messages = Messages()
    let runner = Self.runner({ $0.retries = 2; $0.backoffMicros = 10_000 }, messages: messages)
    runner.submit(ActionRequest(argv: ["/bin/sh", "-c", "echo 'first line' >&2; echo \"bad\tthing\" >&2; exit 4"], label: "'sh' for x"))
    runner.finish()
    #expect(messages.lines == [
      "action 'sh' for x exited with status 4: first line | bad thing (retry 1 of 2 in 10ms)",
      "action 'sh' for x exited with status 4: first line | bad thing (retry 2 of 2 in 20ms)",
      "action 'sh' for x exited with status 4: first line | bad thing",
    ])
    #expect(runner.counts.started == 3 && runner.counts.failed == 1 && runner.counts.retried == 2)
    #expect(ActionRunner.backoff(1_000_000, attempt: 0) == 1_000_000)
    #expect(ActionRunner.backoff(1_000_000, attempt: 3) == 8_000_000)
    #expect(ActionRunner.backoff(1_000_000, attempt: 50) == 60_000_000)
  }

  @Test func maxPerMinuteCountsWallTime() {
    let messages = Messages()
    let runner = Self.runner({ $0.maxPerMinute = 2 }, messages: messages)
    let t0: Int64 = 1_000_000_000
    let request = ActionRequest(argv: ["true"], label: "t")
    #expect(runner.submit(request, now: t0) == .queued)
    #expect(runner.submit(request, now: t0 + 1) == .queued)
    #expect(runner.submit(request, now: t0 + 59_000_000) == .droppedRate)
    #expect(runner.submit(request, now: t0 + 60_000_000) == .queued)
    #expect(runner.submit(request, now: t0 + 60_000_000) == .droppedRate)
    #expect(runner.submit(request, now: t0 + 60_000_001) == .queued)
    runner.finish()
    #expect(runner.counts.droppedRate == 2 && runner.counts.succeeded == 4)
  }

  @Test func theDrainKillsWhatNeverEnds() {
    let messages = Messages()
    let runner = Self.runner({ $0.concurrency = 1; $0.drainMicros = 100_000; $0.timeoutMicros = 60_000_000 }, messages: messages)
    runner.submit(ActionRequest(argv: ["sleep", "60"], label: "'sleep' for a"))
    runner.submit(ActionRequest(argv: ["sleep", "60"], label: "'sleep' for b"))
    runner.finish()
    #expect(messages.lines == ["action 'sleep' for a killed at exit: still running after the drain time of 100ms"])
    #expect(runner.counts.failed == 1 && runner.counts.notRun == 1 && !runner.busy)
  }
}
