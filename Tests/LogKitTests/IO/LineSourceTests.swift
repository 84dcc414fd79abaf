/*
 Which inputs the run frame reads at once: two or more streams (FIFOs, `-`
 on a pipe) go to MultiLineInput; files, a single stream, and a missing path
 (the open reports it) read in turn.
*/
import Foundation
import Testing
@testable import LogKit

@Suite struct LineSourceTests {
  @Test func twoStreamsAreReadAtOnceFilesInTurn() throws {
    let directory = NSTemporaryDirectory() + "linesource-\(UUID().uuidString)/"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let file = directory + "a.ndjson", other = directory + "b.ndjson"
    let fifo = directory + "a.fifo", fifo2 = directory + "b.fifo"
    #expect(FileManager.default.createFile(atPath: file, contents: Data("x\n".utf8)))
    #expect(FileManager.default.createFile(atPath: other, contents: Data()))
    try #require(mkfifo(fifo, 0o600) == 0 && mkfifo(fifo2, 0o600) == 0)

    #expect(wantsConcurrentInputs([fifo, fifo2]))
    #expect(wantsConcurrentInputs([file, fifo, fifo2]))
    #expect(!wantsConcurrentInputs([fifo]))
    #expect(!wantsConcurrentInputs([file, other]))
    #expect(!wantsConcurrentInputs([file, fifo]))
    #expect(!wantsConcurrentInputs([directory + "missing", fifo]))
  }

  @Test func lineInputTellsWhichInputALineCameFrom() throws {
    let directory = NSTemporaryDirectory() + "linesource-\(UUID().uuidString)/"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let first = directory + "1", second = directory + "2"
    #expect(FileManager.default.createFile(atPath: first, contents: Data("a\nb\n".utf8)))
    #expect(FileManager.default.createFile(atPath: second, contents: Data("c\n".utf8)))
    let options = LineInputOptions(paths: [first, second], maxLine: 100, rejectsPath: nil, errorLimit: nil, stats: false, progress: false)
    let input: any LineSource = try LineInput(command: "test", options: options)
    var seen: [String] = []
    try input.run(onLine: { seen.append("\(input.source):\(String(decoding: $0, as: UTF8.self))") }, onTick: { _ in })
    #expect(seen == ["0:a", "0:b", "1:c"])
    #expect(input.bytesRead == 6)
  }
}
