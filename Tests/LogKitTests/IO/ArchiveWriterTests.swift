/*
 The --split-by-time archive in the library: pattern parsing and expansion,
 periods, part names, the record time, routing and closing, a torn .partial
 recovered without checkpoint, and a checkpointed restart cutting files back
 to the manifest.
*/
import Foundation
import Testing
@testable import LogKit
import LogKitTestSupport

private func t(_ text: String) -> EpochMicros {
  text.utf8CString.withUnsafeBytes { raw in
    TimeParser.iso8601(UnsafeRawBufferPointer(rebasing: raw.prefix(raw.count - 1)))?.micros ?? .min
  }
}

private func timeOf(_ line: String) -> EpochMicros? {
  var s = line
  return s.withUTF8 { archiveRecordTime(UnsafeRawBufferPointer($0)) }
}

private func files(under root: String) -> [String: String] {
  var out: [String: String] = [:]
  guard let walker = FileManager.default.enumerator(atPath: root) else { return out }
  for case let rel as String in walker {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
      out[rel] = (try? String(contentsOfFile: root + "/" + rel, encoding: .utf8)) ?? ""
    }
  }
  return out
}

private func feed(_ writer: ArchiveWriter, _ text: String) throws {
  var s = text
  try s.withUTF8 { try writer.consume(UnsafeRawBufferPointer($0)) }
}

@Suite(.temporaryDirectories) struct ArchiveWriterTests {
  @Test func patternParsing() throws {
    let p = try TimePattern("archive/date=%Y-%m-%d/hour=%H/access-%Y%m%d%H.ndjson")
    #expect(p.unit == .hour)
    #expect(p.staticPrefix == "archive/")
    #expect(p.expand(t("2026-12-01T10:59:59Z")) == "archive/date=2026-12-01/hour=10/access-2026120110.ndjson")
    #expect(try TimePattern("a/%Y/%j-%M.log").unit == .minute)
    #expect(try TimePattern("a/%Y/%j.log").expand(t("2024-12-31T01:00:00Z")) == "a/2024/366.log")
    #expect(try TimePattern("x-%Y%m.ndjson").unit == .month)
    #expect(try TimePattern("x-%Y.ndjson").unit == .year)
    #expect(try TimePattern("all.ndjson").unit == .all)
    #expect(try TimePattern("100%%/%d.ndjson").expand(t("2026-01-05T00:00:00Z")) == "100%/05.ndjson")
    #expect(try TimePattern("100%%/%d.ndjson").staticPrefix == "100%/")
    #expect(try TimePattern("%Y/x.ndjson").staticPrefix == "")
    for bad in ["a/%S.ndjson", "a/%Y%q", "a/%", "dir/"] {
      #expect(throws: PatternError.self, "\(bad)") { try TimePattern(bad) }
    }
  }

  @Test func periods() throws {
    let hour = try TimePattern("%Y%m%d%H")
    let p = hour.period(of: t("2026-12-01T10:30:00.5Z"))
    #expect(p.start == t("2026-12-01T10:00:00Z") && p.end == t("2026-12-01T11:00:00Z"))
    let minute = try TimePattern("%H%M").period(of: t("1969-12-31T23:59:30Z"))
    #expect(minute.start == t("1969-12-31T23:59:00Z") && minute.end == t("1970-01-01T00:00:00Z"))
    let day = try TimePattern("%Y-%m-%d").period(of: t("2024-02-29T23:59:59Z"))
    #expect(day.end == t("2024-03-01T00:00:00Z"))
    let month = try TimePattern("%Y-%m").period(of: t("2026-12-15T00:00:00Z"))
    #expect(month.start == t("2026-12-01T00:00:00Z") && month.end == t("2027-01-01T00:00:00Z"))
    let year = try TimePattern("%Y").period(of: t("2026-06-15T00:00:00Z"))
    #expect(year.start == t("2026-01-01T00:00:00Z") && year.end == t("2027-01-01T00:00:00Z"))
  }

  @Test func matchingAndPartNames() throws {
    let p = try TimePattern("a/h=%H/x-%Y%m%d%H.ndjson")
    #expect(p.matches("a/h=10/x-2026120110.ndjson"))
    #expect(!p.matches("a/h=1/x-2026120110.ndjson"))
    #expect(!p.matches("a/h=10/x-2026120110.ndjson.bak"))
    #expect(archivePartName("a/h=10/x-2026120110.ndjson", 1) == "a/h=10/x-2026120110.1.ndjson")
    #expect(archivePartName("a/b.c/name", 2) == "a/b.c/name.2")
    #expect(withoutPartNumber("a/x-2026120110.3.ndjson") == "a/x-2026120110.ndjson")
    #expect(withoutPartNumber("a/x-2026120110.ndjson") == nil)
  }

  @Test func recordTime() {
    #expect(timeOf(#"{"time":"2026-12-01T10:00:00Z","path":"/"}"#) == t("2026-12-01T10:00:00Z"))
    #expect(timeOf(#"{"window":{"x":"y","time":"bad"},"start":"2026-12-01T10:00:00Z","end":"x"}"#) == t("2026-12-01T10:00:00Z"))
    #expect(timeOf(#"{"start":"2026-12-01T09:00:00Z","time":"2026-12-01T10:00:00.250Z"}"#) == t("2026-12-01T10:00:00.25Z"))
    #expect(timeOf(#"{"a":[1,{"time":"2026-12-01T10:00:00Z"}],"b":"t\"ime"}"#) == nil)
    #expect(timeOf(#"{"time":null,"start":"2026-12-01T10:00:00+01:00"}"#) == t("2026-12-01T09:00:00Z"))
    #expect(timeOf("not json") == nil)
    #expect(timeOf(#"{"time":"yesterday"}"#) == nil)
  }

  @Test func routesClosesAndWritesPartFiles() throws {
    let root = TemporaryDirectories.make()
    let pattern = try TimePattern(root + "/arc/%H/x-%Y%m%d%H.ndjson")
    let writer = ArchiveWriter(command: "test", pattern: pattern, lateness: 60_000_000)
    try writer.start(manifest: nil)
    try feed(writer, "{\"time\":\"2026-12-01T10:10:00Z\",\"n\":1}\n{\"time\":\"2026-12-01T11:00:30Z\",\"n\":2}\n{\"n\":3}\n{\"ti")
    var seen = files(under: root + "/arc")
    #expect(seen.keys.sorted() == ["10/x-2026120110.ndjson.partial", "11/x-2026120111.ndjson.partial", "_no_time.ndjson.partial"])
    try feed(writer, "me\":\"2026-12-01T11:01:00Z\",\"n\":4}\n")  // watermark 11:01 passes 11:00 + 1m: hour 10 closes
    #expect(files(under: root + "/arc")["10/x-2026120110.ndjson"] == "{\"time\":\"2026-12-01T10:10:00Z\",\"n\":1}\n")
    try feed(writer, "{\"time\":\"2026-12-01T10:59:00Z\",\"n\":5}\n")  // late: a part file
    try writer.endOfInput()
    seen = files(under: root + "/arc")
    #expect(seen.keys.sorted() == ["10/x-2026120110.1.ndjson", "10/x-2026120110.ndjson", "11/x-2026120111.ndjson", "_no_time.ndjson"])
    #expect(seen["11/x-2026120111.ndjson"]?.split(separator: "\n").count == 2)
    #expect(seen["_no_time.ndjson"] == "{\"n\":3}\n")
    #expect(writer.records == 5 && writer.partRecords == 1 && writer.noTimeRecords == 1)
  }

  @Test func boundedOpenFiles() throws {
    let root = TemporaryDirectories.make()
    let writer = ArchiveWriter(command: "test", pattern: try TimePattern(root + "/%H%M.ndjson"), lateness: 3_600_000_000, maxOpen: 2)
    try writer.start(manifest: nil)
    for minute in [0, 1, 2, 3, 0] { try feed(writer, "{\"time\":\"2026-12-01T10:0\(minute):00Z\"}\n") }
    // Closed to stay within 2 open files: minute 00's second record goes to a part file.
    try writer.endOfInput()
    #expect(files(under: root).keys.sorted() == ["1000.1.ndjson", "1000.ndjson", "1001.ndjson", "1002.ndjson", "1003.ndjson"])
  }

  @Test func recoversATornPartialWithoutCheckpoint() throws {
    let root = TemporaryDirectories.make()
    try FileManager.default.createDirectory(atPath: root + "/a/10", withIntermediateDirectories: true)
    try "{\"n\":1}\n{\"n\":2}\n{\"n\":".write(toFile: root + "/a/10/x-2026120110.ndjson.partial", atomically: false, encoding: .utf8)
    try "done\n".write(toFile: root + "/a/10/x-2026120111.ndjson", atomically: false, encoding: .utf8)
    try "{\"n\":9}\n".write(toFile: root + "/a/10/x-2026120111.ndjson.partial", atomically: false, encoding: .utf8)
    try "keep".write(toFile: root + "/a/10/other.partial", atomically: false, encoding: .utf8)
    let writer = ArchiveWriter(command: "test", pattern: try TimePattern(root + "/a/%H/x-%Y%m%d%H.ndjson"), lateness: 0)
    try writer.start(manifest: nil)
    let seen = files(under: root + "/a")
    #expect(seen["10/x-2026120110.ndjson"] == "{\"n\":1}\n{\"n\":2}\n")
    #expect(seen["10/x-2026120111.ndjson"] == "done\n" && seen["10/x-2026120111.1.ndjson"] == "{\"n\":9}\n")
    #expect(seen["10/other.partial"] == "keep")  // not a name of the pattern: left alone
    #expect(writer.notes == ["recovered 2 partial files under \(root)/a/"])
  }

  static func hour(_ h: Int, _ m: Int, _ n: Int) -> String {
    "{\"time\":\"2026-12-01T\(h):\(m < 10 ? "0" : "")\(m):00Z\",\"n\":\(n)}\n"
  }

  /// A checkpointed writer in a fresh directory, fed one record for hour 10 and one for hour 11.
  static func writerFedHours10And11() throws -> (String, TimePattern, ArchiveWriter) {
    let root = TemporaryDirectories.make()
    let pattern = try TimePattern(root + "/%H.ndjson")
    let writer = ArchiveWriter(command: "test", pattern: pattern, lateness: 0)
    try writer.start(manifest: ArchiveManifest(entries: []))
    try feed(writer, hour(10, 0, 1) + hour(11, 0, 2))
    return (root, pattern, writer)
  }

  @Test func checkpointedRestartCutsBackToTheManifest() throws {
    let (root, pattern, first) = try Self.writerFedHours10And11()
    // Hour 10 is due (watermark 11:00): listed as closing, renamed only at the next checkpoint.
    let (m1, end) = try ArchiveManifest.decode(try first.checkpointSection(), at: 0)
    #expect(m1.entries.map { "\($0.closing ? "closing " : "")\($0.path.dropFirst(root.count))" } == ["/11.ndjson.partial", "closing /10.ndjson.partial"])
    #expect(end > 0 && FileManager.default.fileExists(atPath: root + "/10.ndjson.partial"))
    try feed(first, Self.hour(11, 30, 3) + Self.hour(12, 30, 4))
    let (m2, _) = try ArchiveManifest.decode(try first.checkpointSection(), at: 0)
    #expect(FileManager.default.fileExists(atPath: root + "/10.ndjson"))
    // After m2: a late record for hour 11 (now closing: a part file) and more for hour 12,
    // then the next checkpoint renames hour 11, and the process dies before writing it.
    try feed(first, Self.hour(11, 45, 5) + Self.hour(12, 40, 6))
    _ = try first.checkpointSection()
    #expect(FileManager.default.fileExists(atPath: root + "/11.ndjson") && FileManager.default.fileExists(atPath: root + "/11.1.ndjson.partial"))
    // The restart from m2: hour 11 stays closed, its part (after m2) is removed, hour 12 cut back.
    let second = ArchiveWriter(command: "test", pattern: pattern, lateness: 0)
    try second.start(manifest: m2)
    let want = ["10.ndjson": Self.hour(10, 0, 1), "11.ndjson": Self.hour(11, 0, 2) + Self.hour(11, 30, 3), "12.ndjson.partial": Self.hour(12, 30, 4)]
    #expect(files(under: root) == want)
    try feed(second, Self.hour(11, 45, 5) + Self.hour(12, 40, 6))
    try second.endOfInput()
    _ = try second.checkpointSection()
    try second.closeAll()
    let final = files(under: root)
    #expect(final["11.1.ndjson"] == Self.hour(11, 45, 5) && final["12.ndjson"] == Self.hour(12, 30, 4) + Self.hour(12, 40, 6))
    #expect(final.keys.sorted() == ["10.ndjson", "11.1.ndjson", "11.ndjson", "12.ndjson"])
  }

  @Test func aFileLeftClosingIsCutAndRenamedOnRestart() throws {
    let (root, pattern, first) = try Self.writerFedHours10And11()
    let (m1, _) = try ArchiveManifest.decode(try first.checkpointSection(), at: 0)
    // Killed after m1 was written, before the rename; hour 10's file got nothing more, hour 11's did.
    try feed(first, Self.hour(11, 10, 3))
    let second = ArchiveWriter(command: "test", pattern: pattern, lateness: 0)
    try second.start(manifest: m1)
    #expect(files(under: root) == ["10.ndjson": Self.hour(10, 0, 1), "11.ndjson.partial": Self.hour(11, 0, 2)])
  }

  /// The cut-out leading time (and its cache) gives what the full scan gives, line after line.
  @Test func leadingTimeAgreesWithTheFullScan() {
    let cache = ParsedTimeCache()
    for line in [
      #"{"time":"2026-12-01T10:00:00Z","n":1}"#, #"{"time":"2026-12-01T10:00:00Z","n":2}"#,
      #"{"time":"2026-12-01T10:00:00.5+01:00"}"#, #"{"time":"nope","start":"2026-12-01T09:00:00Z"}"#,
      #"{"time":"2026-12-01T10:00:0\u0030Z"}"#, #"{"start":"2026-12-01T08:00:00Z","time":"2026-12-01T11:00:00Z"}"#,
      #"{"time":"2026-12-01T10:00:00Z"#, #"{"time":"2026-12-01T10:00:00Z","n":3}"#, "{}",
    ] {
      var bytes = Array(line.utf8)
      bytes.withUnsafeMutableBytes { raw in
        let view = UnsafeRawBufferPointer(raw)
        #expect(ArchiveTimeSource.json.time(of: view, cache: cache) == archiveRecordTime(view), "\(line)")
      }
    }
  }

  @Test func manifestRoundTrip() throws {
    let m = ArchiveManifest(entries: [
      .init(path: "a b/%x\n.partial", start: -5, length: 10), .init(path: "n.partial", start: nil, length: 0),
      .init(path: "c.partial", start: 7, length: 3, closing: true),
    ])
    let bytes = m.encode() + Array("rest".utf8)
    #expect(ArchiveManifest.starts(bytes, at: 0))
    let (decoded, end) = try ArchiveManifest.decode(bytes, at: 0)
    #expect(decoded == m && Array(bytes[end...]) == Array("rest".utf8))
    #expect(throws: PatternError.self) { try ArchiveManifest.decode(Array("archive 2\n1 - x\n".utf8), at: 0) }
  }

  @Test func gzipMembersAndATornOneRecovered() throws {
    guard case .success(let gzip) = Gzip.load() else { try Test.cancel("zlib (libz.so.1) is not installed") }
    let root = TemporaryDirectories.make()
    let one = Array("{\"n\":1}\n".utf8), two = Array("{\"n\":2}\n{\"n\":3}\n".utf8)
    let members = one.withUnsafeBytes { gzip.member($0) } + two.withUnsafeBytes { gzip.member($0) }
    let third = Array(repeating: UInt8(ascii: "x"), count: 5000).withUnsafeBytes { gzip.member($0) }
    let path = root + "/10.ndjson.gz.partial"
    _ = FileManager.default.createFile(atPath: path, contents: Data(members + third.prefix(third.count / 2)))
    let fd = open(path, O_RDONLY)
    #expect(gzip.completeMembersLength(fd: fd) == members.count)
    close(fd)
    let writer = ArchiveWriter(command: "test", pattern: try TimePattern(root + "/%H.ndjson"), lateness: 0, gzip: gzip)
    try writer.start(manifest: nil)
    let recovered = try Data(contentsOf: URL(fileURLWithPath: root + "/10.ndjson.gz"))
    #expect(Array(recovered) == members)
    let unzip = Process()
    unzip.executableURL = URL(fileURLWithPath: "/bin/sh")
    unzip.arguments = ["-c", "gzip -dc '\(root)/10.ndjson.gz'"]
    let out = Pipe()
    unzip.standardOutput = out
    try unzip.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    unzip.waitUntilExit()
    #expect(text == "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n")
  }
}
