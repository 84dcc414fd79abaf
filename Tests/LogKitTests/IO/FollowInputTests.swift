/*
 FollowInput on a temporary directory, in process: each test runs a script of
 file operations, one step after every few idle ticks (so the input has read
 what came before), and compares the lines delivered. Rotation by rename,
 copytruncate, delete and re-create, globs picking up new files, a missing
 file created later, FIFO writers coming and going, from-end, and resuming
 from saved offsets (also after a rename or a truncation while not running,
 and an inode reused by other content). Rename runs with inotify and polling.
*/
import Foundation
import LogKitTestSupport
import Testing
@testable import LogKit

private struct Done: Error {}

/// Runs a FollowInput over `patterns` and performs `steps` one by one on idle ticks.
private func follow(
  _ patterns: [String], fromStart: Bool = true, offsets: String? = nil, inotify: Bool = true,
  steps: [() throws -> Void]
) throws -> (lines: [String], input: FollowInput) {
  var options = FollowOptions(offsetsPath: offsets, fromStart: fromStart)
  options.checkMilliseconds = 40
  options.retireMilliseconds = 120
  options.useInotify = inotify
  let input = try FollowInput(command: "test", patterns: patterns, options: options)
  input.idleMilliseconds = 20
  var lines: [String] = []
  var ticks = 0
  var step = 0
  do {
    try input.run(
      onLine: { lines.append(String(decoding: $0, as: UTF8.self)) },
      onTick: { tick in
        guard case .idle = tick else { return }
        ticks += 1
        guard ticks % 12 == 0 else { return }
        if step == steps.count { throw Done() }
        try steps[step]()
        step += 1
      })
  } catch is Done {}
  if offsets != nil { try input.writeOffsets() }
  return (lines, input)
}

private func append(_ path: String, _ text: String) throws {
  let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
  try handle.seekToEnd()
  try handle.write(contentsOf: Data(text.utf8))
  try handle.close()
}

private func create(_ path: String, _ text: String) throws {
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
}

/// Appends to a file every few milliseconds from a thread until stopped.
private final class DirectoryNoise: @unchecked Sendable {
  private let lock = NSLock()
  private var stopped = false
  private let path: String
  init(path: String) { self.path = path }

  func start() {
    Thread {
      let fd = open(self.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
      while !self.lock.withLock({ self.stopped }) {
        _ = write(fd, "noise\n", 6)
        usleep(3000)
      }
      close(fd)
    }.start()
  }

  func stop() { lock.withLock { stopped = true } }
}

private func rename(_ from: String, _ to: String) throws {
  try #require(Glibc.rename(from, to) == 0)
}

@Suite("FollowInput", .temporaryDirectories, .timeLimit(.minutes(1)))
struct FollowInputTests {
  @Test("rename rotation: the old file's rest (written after the rename too, and its partial line) comes first", arguments: [true, false])
  func renameRotation(inotify: Bool) throws {
    let dir = TemporaryDirectories.make()
    let log = dir + "/app.log"
    try create(log, "1\n2\n")
    let (lines, _) = try follow([log], inotify: inotify, steps: [
      { try append(log, "3\n") },
      {
        try rename(log, log + ".1")
        try append(log + ".1", "4\npart")
        try create(log, "5\n")
      },
      { try append(log, "6\n") },
    ])
    #expect(Array(lines.prefix(3)) == ["1", "2", "3"])
    #expect(lines.sorted() == ["1", "2", "3", "4", "5", "6", "part"])
  }

  @Test("copytruncate: lines not read before the truncation come from the copy, then the file from its start")
  func copyTruncate() throws {
    let dir = TemporaryDirectories.make()
    let log = dir + "/app.log"
    try create(log, "1\n2\n")
    let (lines, _) = try follow([log], steps: [
      { try append(log, "3\n") },
      {
        try append(log, "4\n")  // not yet read when the copy is made
        try FileManager.default.copyItem(atPath: log, toPath: log + ".1")
        try #require(truncate(log, 0) == 0)
        try append(log, "5\n")
      },
      { try append(log, "6\n") },
    ])
    #expect(lines == ["1", "2", "3", "4", "5", "6"])
  }

  @Test("delete and re-create: the new file is read from its start")
  func deleteRecreate() throws {
    let dir = TemporaryDirectories.make()
    let log = dir + "/app.log"
    try create(log, "1\n")
    let (lines, _) = try follow([log], steps: [
      { try FileManager.default.removeItem(atPath: log) },
      { try create(log, "2\n3\n") },
      { try append(log, "4\n") },
    ])
    #expect(lines == ["1", "2", "3", "4"])
  }

  @Test("a glob picks up a file created later, read from its start")
  func globNewFile() throws {
    let dir = TemporaryDirectories.make()
    try create(dir + "/a.log", "a1\n")
    try create(dir + "/other.txt", "x\n")
    let (lines, _) = try follow([dir + "/*.log"], steps: [
      { try create(dir + "/b.log", "b1\nb2\n") },
      { try append(dir + "/a.log", "a2\n") },
    ])
    #expect(lines.sorted() == ["a1", "a2", "b1", "b2"])
  }

  @Test("a missing file is waited for")
  func missingThenCreated() throws {
    let dir = TemporaryDirectories.make()
    let log = dir + "/late.log"
    let (lines, _) = try follow([log], fromStart: false, steps: [
      { try create(log, "1\n") },
      { try append(log, "2\n") },
    ])
    #expect(lines == ["1", "2"])
  }

  @Test("from the end: lines already there are skipped, a line being written is read whole")
  func fromEnd() throws {
    let dir = TemporaryDirectories.make()
    let log = dir + "/app.log"
    try create(log, "old1\nold2\nhal")
    let (lines, _) = try follow([log], fromStart: false, steps: [
      { try append(log, "f\nnew\n") },
    ])
    #expect(lines == ["half", "new"])
  }

  @Test("a FIFO survives its writer closing and a new one opening")
  func fifoWriters() throws {
    let dir = TemporaryDirectories.make()
    let fifo = dir + "/pipe"
    try #require(mkfifo(fifo, 0o600) == 0)
    func write(_ text: String) throws {
      let fd = open(fifo, O_WRONLY | O_NONBLOCK)
      try #require(fd >= 0)
      _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
      close(fd)
    }
    let (lines, _) = try follow([fifo], steps: [
      { try write("a\nb") },
      { try write("c\n") },
    ])
    #expect(lines == ["a", "b", "c"])
  }

  @Test("offsets: a restart resumes after the last line, also when the file was renamed meanwhile")
  func resumeAfterRename() throws {
    let dir = TemporaryDirectories.make()
    let log = dir + "/app.log", state = dir + "/offsets"
    try create(log, "1\n2\n")
    let first = try follow([log], offsets: state, steps: [{ try append(log, "3\n") }])
    #expect(first.lines == ["1", "2", "3"])
    try append(log, "4\n")
    try rename(log, log + ".1")
    try create(log, "5\n")
    let second = try follow([log], offsets: state, steps: [{ try append(log, "6\n") }])
    #expect(second.lines.sorted() == ["4", "5", "6"])
    let saved = try FollowOffsetsFile.read(path: state)
    #expect(saved.map { $0.line }.sorted() == [2])
  }

  @Test("offsets: truncated while not running, the rest comes from the copy; other content in the same inode is new")
  func resumeAfterTruncation() throws {
    let dir = TemporaryDirectories.make()
    let log = dir + "/app.log", state = dir + "/offsets"
    try create(log, "1\n2\n")
    _ = try follow([log], offsets: state, steps: [])
    try append(log, "3\n")
    try FileManager.default.copyItem(atPath: log, toPath: dir + "/app.log.1")
    try #require(truncate(log, 0) == 0)
    try append(log, "4\n")
    let second = try follow([log], offsets: state, steps: [])
    #expect(second.lines == ["3", "4"])
    // The same inode holding other content (no copy of it anywhere): read from its start.
    try FileManager.default.removeItem(atPath: dir + "/app.log.1")
    let fd = open(log, O_WRONLY | O_TRUNC)
    try #require(fd >= 0)
    _ = "x\ny\n".withCString { Glibc.write(fd, $0, 4) }
    close(fd)
    let third = try follow([log], offsets: state, steps: [])
    #expect(third.lines == ["x", "y"])
  }

  @Test("idle ticks come while another file in the watched directory is written all the time")
  func idleDespiteNoise() throws {
    let dir = TemporaryDirectories.make()
    let log = dir + "/app.log"
    try create(log, "1\n")
    let noise = DirectoryNoise(path: dir + "/other.log")
    noise.start()
    defer { noise.stop() }
    let (lines, _) = try follow([log], steps: [{ try append(log, "2\n") }])
    #expect(lines == ["1", "2"])
  }

  @Test("offsets file: entries round-trip, paths with spaces, % and newlines included")
  func offsetsRoundTrip() throws {
    let entries = [
      FollowOffset(identity: FileIdentity(device: 2049, inode: 77, fingerprint: 0xDEAD_BEEF, fingerprintLength: 1024), offset: 123_456, line: 789, path: "/var/log/a b%2/x\ny.log"),
      FollowOffset(identity: FileIdentity(device: 1, inode: 2, fingerprint: .max, fingerprintLength: 0), offset: 0, line: 0, path: "z"),
    ]
    let decoded = try FollowOffsetsFile.decode(FollowOffsetsFile.encode(entries), path: "f")
    #expect(decoded == entries)
    #expect(throws: StateFileError.self) { try FollowOffsetsFile.decode(Array("1 2 3\n".utf8), path: "f") }
  }
}
