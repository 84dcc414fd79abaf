/*
 StateFile: round trips, clear errors for corrupt, foreign, newer and
 unreadable files, and a writer stopped at every step of its write (as a
 crash or SIGKILL would stop it) leaving the old or the new state, never a
 torn one, with the stray temp file ignored by readers and removed by the
 next write.
*/
import Foundation
import Testing
@testable import LogKit

private struct StateDirectory: ~Copyable {
  let path: String
  init() throws {
    path = NSTemporaryDirectory() + "statefile-\(UUID().uuidString)/"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }
  var files: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
  func put(_ name: String, _ text: String) throws { try text.write(toFile: path + name, atomically: false, encoding: .utf8) }
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct StateFileTests {
  @Test func roundTrip() throws {
    let dir = try StateDirectory()
    let path = dir.path + "alerts.state"
    let payload = bytes("{\"firing\":[\"a\",\"b\"]}\nsecond line\n") + [0, 0xFF]
    try StateFile.write(path: path, kind: "logalert", version: 2, payload: payload)
    let state = try #require(try StateFile.read(path: path, kind: "logalert", maxVersion: 2))
    #expect(state.version == 2)
    #expect(state.payload == payload)
    let content = try String(contentsOfFile: path, encoding: .isoLatin1)
    #expect(content.hasPrefix("{\"logkit_state\":\"logalert\",\"version\":2,\"bytes\":\(payload.count)}\n"))
    #expect(dir.files == ["alerts.state"])

    try StateFile.write(path: path, kind: "logalert", version: 1, payload: [])
    let replaced = try #require(try StateFile.read(path: path, kind: "logalert", maxVersion: 2))
    #expect(replaced.version == 1 && replaced.payload.isEmpty)
  }

  @Test func tempFileSitsBesideTheStateFile() {
    // Same directory, so rename(2) never crosses file systems.
    #expect(AtomicFile.tempPath(for: "bare.state", pid: 42) == ".bare.state.tmp.42")
    #expect(AtomicFile.tempPath(for: "/var/lib/x/alerts", pid: 7) == "/var/lib/x/.alerts.tmp.7")
  }

  @Test func missingFileIsNil() throws {
    let dir = try StateDirectory()
    #expect(try StateFile.read(path: dir.path + "none", kind: "logalert", maxVersion: 1) == nil)
  }

  @Test func kindIsEscapedAndHandWrittenHeadersAreRead() throws {
    let dir = try StateDirectory()
    try StateFile.write(path: dir.path + "odd", kind: "we\"ird\\kind\u{1}", version: 0, payload: bytes("x"))
    #expect(try StateFile.read(path: dir.path + "odd", kind: "we\"ird\\kind\u{1}", maxVersion: 0)?.payload == bytes("x"))
    try StateFile.write(path: dir.path + "odder", kind: "tab\there\nnew\u{2028}é", version: 0, payload: bytes("y"))
    #expect(try StateFile.read(path: dir.path + "odder", kind: "tab\there\nnew\u{2028}é", maxVersion: 0)?.payload == bytes("y"))
    try dir.put("hand", " { \"version\" : 1 , \"note\":\"by hand\", \"logkit_state\" : \"logscale\" }\npayload")
    let state = try #require(try StateFile.read(path: dir.path + "hand", kind: "logscale", maxVersion: 1))
    #expect(state.version == 1 && state.payload == bytes("payload"))
  }

  @Test(arguments: [
    ("", "the file is empty"),
    ("{\"logkit_state\":\"logalert\",\"version\":1}", "no header line"),
    ("garbage\n{}", "not a logkit state header (expected '{')"),
    ("{\"version\":1}\n", "not a logkit state header (no \"logkit_state\" member)"),
    ("{\"logkit_state\":\"logalert\"}\n", "not a logkit state header (no \"version\" member)"),
    ("{\"logkit_state\":\"logalert\",\"version\":-1}\n", "not a logkit state header (expected a non-negative integer)"),
    ("{\"logkit_state\":\"logalert\",\"version\":1} x\n", "not a logkit state header (text after the header object)"),
    ("{\"logkit_state\":\"logalert\",\"version\":1,\"bytes\":10}\nshort", "the header announces 10 payload bytes, the file has 5"),
  ])
  func corruptFilesAreNamed(content: String, reason: String) throws {
    let dir = try StateDirectory()
    try dir.put("bad", content)
    let path = dir.path + "bad"
    #expect(throws: StateFileError.corrupt(path: path, reason: reason)) {
      try StateFile.read(path: path, kind: "logalert", maxVersion: 1)
    }
    #expect(StateFileError.corrupt(path: path, reason: reason).description == "state file \(path) is corrupt: \(reason)")
  }

  @Test func foreignKindAndNewerVersion() throws {
    let dir = try StateDirectory()
    let path = dir.path + "s"
    try StateFile.write(path: path, kind: "logscale", version: 1, payload: [])
    let foreign = StateFileError.foreignKind(path: path, found: "logscale", expected: "logalert")
    #expect(throws: foreign) { try StateFile.read(path: path, kind: "logalert", maxVersion: 1) }
    #expect(foreign.description == "file \(path) holds logscale state, not logalert state")

    try StateFile.write(path: path, kind: "logalert", version: 3, payload: [])
    let newer = StateFileError.newerVersion(path: path, kind: "logalert", found: 3, supported: 2)
    #expect(throws: newer) { try StateFile.read(path: path, kind: "logalert", maxVersion: 2) }
    #expect(newer.description == "file \(path) holds logalert state version 3; this logalert reads versions up to 2")
  }

  @Test func unreadableAndUnwritable() throws {
    let dir = try StateDirectory()
    #expect(throws: StateFileError.unreadable(path: dir.path, errno: EISDIR)) {
      try StateFile.read(path: dir.path, kind: "logalert", maxVersion: 1)
    }
    let missingDir = dir.path + "no/such/state"
    let temp = AtomicFile.tempPath(for: missingDir, pid: getpid())
    #expect(throws: IOError.openFailed(path: temp, errno: ENOENT)) {
      try StateFile.write(path: missingDir, kind: "logalert", version: 1, payload: [])
    }
  }

  @Test func crashAtAnyStepLeavesOldOrNewState() throws {
    let old = bytes("{\"state\":\"old\"}")
    let new = bytes("{\"state\":\"new, and longer than the old one\"}")
    let header = StateFile.headerLine(kind: "logalert", version: 2, payloadBytes: new.count).count
    let total = header + new.count
    var points: [AtomicFile.CrashPoint] = [.beforeSync, .beforeRename, .beforeDirectorySync]
    points += [0, 1, header - 1, header, header + 1, total - 1, total].map { AtomicFile.CrashPoint.afterBytes($0) }
    for point in points {
      let dir = try StateDirectory()
      let path = dir.path + "alerts.state"
      let temp = AtomicFile.tempPath(for: path, pid: getpid())
      try StateFile.write(path: path, kind: "logalert", version: 1, payload: old)
      try StateFile.write(path: path, kind: "logalert", version: 2, payload: new, crash: point)
      let renamed = point == .beforeDirectorySync
      let state = try #require(try StateFile.read(path: path, kind: "logalert", maxVersion: 2), "\(point)")
      #expect(state.payload == (renamed ? new : old), "\(point)")
      #expect(state.version == (renamed ? 2 : 1), "\(point)")
      #expect(FileManager.default.fileExists(atPath: temp) == !renamed, "\(point)")

      // The next write cleans up after the "dead" writer (here: this process's own pid).
      try StateFile.write(path: path, kind: "logalert", version: 2, payload: bytes("third"))
      #expect(try StateFile.read(path: path, kind: "logalert", maxVersion: 2)?.payload == bytes("third"))
      #expect(dir.files == ["alerts.state"], "\(point)")
    }
  }

  @Test func strayTempFilesOfDeadWritersGoLiveOnesStay() throws {
    let dir = try StateDirectory()
    let path = dir.path + "scale.state"
    // A pid that just ended (reaped by the runner) and one that is alive (our parent).
    let ended = ProgramRunner.run(ProgramJob(argv: ["true"])).pid
    try #require(ended > 0)
    let deadTemp = AtomicFile.tempPath(for: path, pid: ended)
    let liveTemp = AtomicFile.tempPath(for: path, pid: getppid())
    try dir.put(URL(fileURLWithPath: deadTemp).lastPathComponent, "torn")
    try dir.put(URL(fileURLWithPath: liveTemp).lastPathComponent, "in progress")
    try dir.put(".other.state.tmp.\(ended)", "not ours")
    try StateFile.write(path: path, kind: "logscale", version: 1, payload: bytes("{}"))
    #expect(!FileManager.default.fileExists(atPath: deadTemp))
    #expect(FileManager.default.fileExists(atPath: liveTemp))
    #expect(FileManager.default.fileExists(atPath: dir.path + ".other.state.tmp.\(ended)"))
  }
}
