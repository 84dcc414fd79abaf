/*
 `--offsets FILE`: how far each followed file has been read and written out.

 A file is known by its identity: device, inode, and a fingerprint (hash64 of
 its first bytes, up to 1 KiB, with their count). Inode numbers are reused
 after a delete, and copytruncate keeps the inode while replacing the content,
 so the inode alone is not enough; the fingerprint alone is not either (two
 files may start alike). An entry matches an open file when device and inode
 are equal and the file's first `fingerprintLength` bytes hash to the
 fingerprint.

 The file is a StateFile of kind "offsets", version 1. Its payload is one line
 per file, fields separated by one space, the path last (with `%`, newline and
 carriage return escaped as %25, %0A, %0D):

   DEVICE INODE FINGERPRINT(16 hex) FINGERPRINT_LENGTH OFFSET LINE PATH

 OFFSET is the byte just after the last complete line delivered, LINE its
 number in the file.
*/
import Glibc

package struct FileIdentity: Equatable, Sendable {
  package var device: UInt64
  package var inode: UInt64
  package var fingerprint: UInt64
  package var fingerprintLength: Int

  /// Bytes of the start of a file its fingerprint covers at most.
  package static let fingerprintLimit = 1024

  package init(device: UInt64, inode: UInt64, fingerprint: UInt64, fingerprintLength: Int) {
    self.device = device
    self.inode = inode
    self.fingerprint = fingerprint
    self.fingerprintLength = fingerprintLength
  }

  /// The identity of an open regular file (its first up to 1 KiB, read with pread).
  package static func of(fd: Int32) -> FileIdentity? {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    let prefix = readPrefix(fd: fd, count: fingerprintLimit)
    return FileIdentity(
      device: UInt64(truncatingIfNeeded: info.st_dev), inode: UInt64(truncatingIfNeeded: info.st_ino),
      fingerprint: hash64(prefix), fingerprintLength: prefix.count)
  }

  /// True when the file open as `fd` starts with the bytes this fingerprint covers.
  package func prefixMatches(fd: Int32) -> Bool {
    let prefix = Self.readPrefix(fd: fd, count: fingerprintLength)
    return prefix.count == fingerprintLength && hash64(prefix) == fingerprint
  }

  /// Same device and inode.
  package func sameInode(_ other: FileIdentity) -> Bool { device == other.device && inode == other.inode }

  /// Up to `count` bytes from the start of the file (pread: the read position stays).
  static func readPrefix(fd: Int32, count: Int) -> [UInt8] {
    guard count > 0 else { return [] }
    var bytes = [UInt8](repeating: 0, count: count)
    var got = 0
    while got < count {
      let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress.map { $0 + got }, count - got, off_t(got)) }
      if n > 0 { got += n; continue }
      if n < 0 && errno == EINTR { continue }
      break
    }
    return Array(bytes[..<got])
  }
}

/// One followed file's progress.
package struct FollowOffset: Equatable, Sendable {
  package var identity: FileIdentity
  /// Byte just after the last complete line delivered.
  package var offset: Int
  /// That line's number in the file.
  package var line: Int
  /// Where the file was last seen.
  package var path: String

  package init(identity: FileIdentity, offset: Int, line: Int, path: String) {
    self.identity = identity
    self.offset = offset
    self.line = line
    self.path = path
  }
}

package enum FollowOffsetsFile {
  package static let kind = "offsets"
  package static let version = 1

  package static func write(path: String, entries: [FollowOffset]) throws(IOError) {
    try StateFile.write(path: path, kind: kind, version: version, payload: encode(entries))
  }

  /// With an archive section after the entries (--split-by-time): version 2, which older
  /// versions refuse rather than misread.
  package static func write(path: String, entries: [FollowOffset], archive: [UInt8]) throws(IOError) {
    if archive.isEmpty { return try write(path: path, entries: entries) }
    try StateFile.write(path: path, kind: kind, version: 2, payload: encode(entries) + archive)
  }

  /// The entries in `path`; empty when the file does not exist.
  package static func read(path: String) throws(StateFileError) -> [FollowOffset] {
    try readWithArchive(path: path).entries
  }

  /// The entries and the archive manifest (nil: the file does not exist or has none).
  package static func readWithArchive(path: String) throws(StateFileError) -> (entries: [FollowOffset], archive: ArchiveManifest?) {
    guard let (_, payload) = try StateFile.read(path: path, kind: kind, maxVersion: 2) else { return ([], nil) }
    var end = 0
    while end < payload.count, !ArchiveManifest.starts(payload, at: end) {
      guard let nl = payload[end...].firstIndex(of: 0x0A) else { end = payload.count; break }
      end = nl + 1
    }
    let entries = try decode(Array(payload[..<end]), path: path)
    guard end < payload.count else { return (entries, nil) }
    do { return (entries, try ArchiveManifest.decode(payload, at: end).0) } catch {
      throw .corrupt(path: path, reason: error.message)
    }
  }

  package static func encode(_ entries: [FollowOffset]) -> [UInt8] {
    var out: [UInt8] = []
    for entry in entries {
      let id = entry.identity
      let hex = String(id.fingerprint, radix: 16)
      let fields = "\(id.device) \(id.inode) \(String(repeating: "0", count: 16 - hex.count))\(hex) \(id.fingerprintLength) \(entry.offset) \(entry.line) "
      out += Array(fields.utf8)
      out += escapePathField(entry.path)
      out.append(0x0A)
    }
    return out
  }

  package static func decode(_ payload: [UInt8], path: String) throws(StateFileError) -> [FollowOffset] {
    var entries: [FollowOffset] = []
    for (index, line) in payload.split(separator: 0x0A).enumerated() {
      let parts = line.split(separator: 0x20, maxSplits: 6, omittingEmptySubsequences: false)
      let numbers = parts.prefix(6).map { String(decoding: $0, as: UTF8.self) }
      guard parts.count == 7, let device = UInt64(numbers[0]), let inode = UInt64(numbers[1]),
        let fingerprint = UInt64(numbers[2], radix: 16), let length = Int(numbers[3]),
        let offset = Int(numbers[4]), let lineNumber = Int(numbers[5]),
        length >= 0, length <= FileIdentity.fingerprintLimit, offset >= 0, lineNumber >= 0
      else { throw .corrupt(path: path, reason: "entry \(index + 1) is not DEVICE INODE FINGERPRINT LENGTH OFFSET LINE PATH") }
      let identity = FileIdentity(device: device, inode: inode, fingerprint: fingerprint, fingerprintLength: length)
      entries.append(FollowOffset(identity: identity, offset: offset, line: lineNumber, path: unescapePathField(parts[6])))
    }
    return entries
  }
}

/// True when `fd` is a regular file whose last byte is not a newline: output
/// appended to by a run that was killed in the middle of a record.
package func endsMidLine(fd: Int32) -> Bool {
  var info = stat()
  guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return false }
  // The descriptor may be write-only (`>>`): read the file through /proc.
  let reader = open("/proc/self/fd/\(fd)", O_RDONLY | O_CLOEXEC)
  guard reader >= 0 else { return false }
  defer { close(reader) }
  var last: UInt8 = 0x0A
  guard pread(reader, &last, 1, info.st_size - 1) == 1 else { return false }
  return last != 0x0A
}
