/*
 LineReader over every buffer geometry: lines straddling reads, CRLF, a last
 line without newline, over-long lines skipped in bounded memory.
*/
import Foundation
import Testing
@testable import LogKit

/// Reads all events of `data` through a LineReader with the given geometry.
private func readAll(_ data: [UInt8], maxLine: Int, chunk: Int) throws -> [String] {
  let path = NSTemporaryDirectory() + "linereader-\(UUID().uuidString)"
  _ = FileManager.default.createFile(atPath: path, contents: Data(data))
  defer { try? FileManager.default.removeItem(atPath: path) }
  let fd = open(path, O_RDONLY)
  defer { close(fd) }
  let reader = LineReader(maxLine: maxLine, chunk: chunk)
  reader.attach(fd: fd, path: path)
  var events: [String] = []
  while true {
    switch try reader.next() {
    case .line(let bytes): events.append("\(reader.lineNumber):" + String(decoding: bytes, as: UTF8.self))
    case .tooLong(let length, let head):
      events.append("\(reader.lineNumber):too long \(length) " + String(decoding: head, as: UTF8.self))
    case .idle: events.append("idle")
    case .interrupted: events.append("interrupted")
    case .end: return events
    }
  }
}

@Suite struct LineReaderTests {
  @Test(arguments: [1, 2, 3, 7, 64 * 1024])
  func linesAcrossReadBoundaries(chunk: Int) throws {
    let text = "alpha\nbeta\r\n\ngamma delta\nlast"
    let events = try readAll(Array(text.utf8), maxLine: 100, chunk: chunk)
    #expect(events == ["1:alpha", "2:beta", "3:", "4:gamma delta", "5:last"])
  }

  @Test(arguments: [1, 3, 16, 4096])
  func overLongLinesAreSkipped(chunk: Int) throws {
    let long = String(repeating: "0123456789", count: 5)
    let text = "ok\n\(long)\nafter\n\(long)"
    let events = try readAll(Array(text.utf8), maxLine: 10, chunk: chunk)
    // Each over-long line comes with its first maxLine bytes (for --rejects).
    #expect(events == ["1:ok", "2:too long 50 0123456789", "3:after", "4:too long 50 0123456789"])
  }

  @Test func exactlyMaxLineIsAccepted() throws {
    let events = try readAll(Array("0123456789\n01234567890\n".utf8), maxLine: 10, chunk: 4)
    #expect(events == ["1:0123456789", "2:too long 11 0123456789"])
  }

  @Test func emptyInput() throws {
    #expect(try readAll([], maxLine: 10, chunk: 4) == [])
  }

  @Test func bytesArePassedThroughUntouched() throws {
    let data: [UInt8] = [0x00, 0xFF, 0x41, 0x0A, 0x0D, 0x0D, 0x0A]
    let path = NSTemporaryDirectory() + "linereader-\(UUID().uuidString)"
    _ = FileManager.default.createFile(atPath: path, contents: Data(data))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let fd = open(path, O_RDONLY)
    defer { close(fd) }
    let reader = LineReader(maxLine: 100, chunk: 2)
    reader.attach(fd: fd, path: path)
    var lines: [[UInt8]] = []
    while case .line(let bytes) = try reader.next() { lines.append(Array(bytes)) }
    #expect(lines == [[0x00, 0xFF, 0x41], [0x0D]])
  }

  @Test func idleIsReportedOnAQuietPipe() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    defer { close(fds[0]); close(fds[1]) }
    let reader = LineReader(maxLine: 100)
    reader.attach(fd: fds[0], path: "pipe")
    _ = "one\n".withCString { write(fds[1], $0, 4) }
    guard case .line(let first) = try reader.next(idleMilliseconds: 10) else {
      Issue.record("expected a line"); return
    }
    #expect(String(decoding: first, as: UTF8.self) == "one")
    guard case .idle = try reader.next(idleMilliseconds: 10) else {
      Issue.record("expected idle"); return
    }
    close(fds[1]); fds[1] = -1
    guard case .end = try reader.next(idleMilliseconds: 10) else {
      Issue.record("expected end"); return
    }
  }
}
