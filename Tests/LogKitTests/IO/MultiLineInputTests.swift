/*
 MultiLineInput over real FIFOs written by background threads: lines arrive
 tagged with their input, an input ending early does not end the others, a
 FIFO without a writer does not hold up the rest, a big file does not starve a
 FIFO, quiet input gives idle ticks, over-long lines are rejected per input.
*/
import Foundation
import Testing
@testable import LogKit

private final class Scratch: @unchecked Sendable {
  let directory: String
  init() throws {
    directory = NSTemporaryDirectory() + "multiline-\(UUID().uuidString)/"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: directory) }

  func fifo(_ name: String) throws -> String {
    let path = directory + name
    try #require(mkfifo(path, 0o600) == 0)
    return path
  }
}

/// Writes `lines` to the FIFO at `path` from a thread: opens it after `openDelay`
/// (blocking until a reader is there), then one line every `gap` microseconds.
private func startWriter(_ path: String, lines: [String], openDelay: UInt32, gap: UInt32, opened: Clock? = nil) -> Thread {
  let thread = Thread {
    usleep(openDelay)
    let fd = open(path, O_WRONLY)
    opened?.mark()
    guard fd >= 0 else { return }
    for line in lines {
      _ = (line + "\n").withCString { write(fd, $0, strlen($0)) }
      usleep(gap)
    }
    close(fd)
  }
  thread.start()
  return thread
}

/// A moment recorded on one thread and read on another.
private final class Clock: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Int64?
  func mark() { lock.lock(); value = monotonicMicros(); lock.unlock() }
  var time: Int64? { lock.lock(); defer { lock.unlock() }; return value }
}

private enum Event: Equatable {
  case line(Int, String, Int64)
  case end(String)
  case idle

  static func == (a: Event, b: Event) -> Bool {
    switch (a, b) {
    case let (.line(s1, t1, _), .line(s2, t2, _)): return s1 == s2 && t1 == t2
    case let (.end(p1), .end(p2)): return p1 == p2
    case (.idle, .idle): return true
    default: return false
    }
  }
}

private func collect(_ input: MultiLineInput) throws -> (events: [Event], completed: Bool) {
  var events: [Event] = []
  let completed = try input.run(
    onLine: { source, line in
      #expect(input.source == source)
      events.append(.line(source, String(decoding: line, as: UTF8.self), monotonicMicros()))
    },
    onTick: { tick in
      switch tick {
      case .idle: events.append(.idle)
      case .endOfFile(let path): events.append(.end(path))
      }
    })
  return (events, completed)
}

private func lines(of source: Int, in events: [Event]) -> [String] {
  events.compactMap { if case .line(source, let text, _) = $0 { return text } else { return nil } }
}

@Suite(.serialized) struct MultiLineInputTests {
  @Test func twoFIFOsEndingAtDifferentTimes() throws {
    let scratch = try Scratch()
    let a = try scratch.fifo("a.fifo")
    let b = try scratch.fifo("b.fifo")
    let bOpened = Clock()
    let aLines = (1...5).map { "a\($0)" }
    let bLines = (1...8).map { "b\($0)" }
    // a starts at once and ends early; b's writer comes 300 ms later and runs longer.
    let writers = [
      startWriter(a, lines: aLines, openDelay: 0, gap: 20_000),
      startWriter(b, lines: bLines, openDelay: 300_000, gap: 40_000, opened: bOpened),
    ]
    let input = try MultiLineInput(command: "test", paths: [a, b])
    let (events, completed) = try collect(input)
    _ = writers
    #expect(completed)
    #expect(lines(of: 0, in: events) == aLines)
    #expect(lines(of: 1, in: events) == bLines)
    #expect(input.lines == 13)
    let endA = try #require(events.firstIndex(of: .end(a)))
    let endB = try #require(events.firstIndex(of: .end(b)))
    let firstB = try #require(events.firstIndex(of: .line(1, "b1", 0)))
    // a's end came before b's lines: it did not end the run.
    #expect(endA < firstB)
    #expect(endB == events.count - 1)
    // a's lines arrived while b still had no writer: opening b did not block.
    guard case .line(_, _, let firstATime) = events[0] else { Issue.record("first event is not a line"); return }
    let bOpenTime = try #require(bOpened.time)
    #expect(firstATime < bOpenTime)
    // Quiet between a's end and b's writer: idle ticks.
    #expect(events[endA..<firstB].contains(.idle))
  }

  @Test func fileAndFIFOInterleave() throws {
    let scratch = try Scratch()
    let file = scratch.directory + "big.log"
    let fileLines = (0..<100_000).map { "file line \($0)" }
    try (fileLines.joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)
    let fifo = try scratch.fifo("live.fifo")
    // Hold the FIFO open for writing ourselves (O_RDWR never blocks on Linux) with one
    // line already in it, so the line is there before the run starts; close it when seen.
    let holder = open(fifo, O_RDWR | O_NONBLOCK)
    try #require(holder >= 0)
    var holderFD = holder
    _ = "fifo line\n".withCString { write(holderFD, $0, strlen($0)) }
    let input = try MultiLineInput(command: "test", paths: [file, fifo])
    var order: [String] = []
    let completed = try input.run(
      onLine: { source, line in
        let text = String(decoding: line, as: UTF8.self)
        order.append(text)
        if source == 1 && holderFD >= 0 { close(holderFD); holderFD = -1 }
      },
      onTick: { _ in })
    #expect(completed)
    #expect(order.filter { $0.hasPrefix("file") } == fileLines)
    let fifoAt = try #require(order.firstIndex(of: "fifo line"))
    // At most a chunk or two of the file (64 KiB is about 4 000 lines) came first.
    #expect(fifoAt < 10_000, "the FIFO waited for \(fifoAt) file lines")
  }

  @Test func quietInputTicks() throws {
    let scratch = try Scratch()
    let fifo = try scratch.fifo("slow.fifo")
    let writer = startWriter(fifo, lines: ["first", "second"], openDelay: 0, gap: 400_000)
    let input = try MultiLineInput(command: "test", paths: [fifo])
    input.idleMilliseconds = 50
    let (events, completed) = try collect(input)
    _ = writer
    #expect(completed)
    #expect(lines(of: 0, in: events) == ["first", "second"])
    let first = try #require(events.firstIndex(of: .line(0, "first", 0)))
    let second = try #require(events.firstIndex(of: .line(0, "second", 0)))
    let ticks = events[first..<second].filter { $0 == .idle }.count
    // 400 ms of quiet at 50 ms per tick: several ticks (not one per poll, not none).
    #expect(ticks >= 3 && ticks <= 9, "\(ticks) idle ticks")
  }

  @Test func overLongLinesAreRejectedPerInput() throws {
    let scratch = try Scratch()
    let one = scratch.directory + "one.log"
    let two = scratch.directory + "two.log"
    try "ok\n\(String(repeating: "x", count: 100))\nafter\n".write(toFile: one, atomically: false, encoding: .utf8)
    try "short\nalso\n".write(toFile: two, atomically: false, encoding: .utf8)
    let rejects = scratch.directory + "rejects"
    let input = try MultiLineInput(command: "test", paths: [one, two], maxLine: 10, rejectsPath: rejects)
    var seen: [String] = []
    try input.run(
      onLine: { source, line in
        let text = String(decoding: line, as: UTF8.self)
        seen.append("\(source):\(input.lineNumber):\(text)")
        if text == "also" { try input.reject(line, reason: "test reject") }
      },
      onTick: { _ in })
    try input.badInput.finish()
    #expect(Set(seen) == ["0:1:ok", "0:3:after", "1:1:short", "1:2:also"])
    #expect(input.badInput.count == 2)
    #expect(input.lines == 5)
    // The over-long line is kept in the rejects file by its first --max-line bytes.
    let kept = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
    #expect(Set(kept) == ["also", "xxxxxxxxxx"])
  }

  @Test func missingInputFailsBeforeReading() throws {
    let scratch = try Scratch()
    let missing = scratch.directory + "missing.log"
    let input = try MultiLineInput(command: "test", paths: [missing])
    #expect(throws: IOError.openFailed(path: missing, errno: ENOENT)) {
      try input.run(onLine: { _, _ in }, onTick: { _ in })
    }
  }
}
