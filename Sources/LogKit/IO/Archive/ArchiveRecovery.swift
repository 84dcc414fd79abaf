/*
 What a run does at start-up with the `.partial` files an earlier run left
 under the archive's root (only files whose names fit the pattern, or the
 no-time file, are touched).

 With a checkpoint (the manifest in --offsets or --state): each listed file is
 cut back to its recorded length (after a rename back, if it was closed after
 the checkpoint was written) and written on; a file listed as closing is cut
 back and renamed if that had not happened yet, and left as it is if it had;
 an unlisted `.partial` holds only records after the checkpoint, which this
 run produces again: it is removed. Then nothing is lost or written twice.

 Without one: each leftover is recovered as it is: a torn last line (no
 newline) is cut off, the file fsync'ed and renamed to its final name (a part
 name when that is taken).

 The manifest, in the checkpoint file: a line `archive N`, then N lines
 `LENGTH START PATH` (START the period's start in epoch microseconds, `-` for
 the no-time file; PATH the `.partial` path with %, newline and CR escaped;
 LENGTH with a `c` in front for a file the checkpoint leaves closing).
*/
import Glibc

package struct ArchiveManifest: Equatable, Sendable {
  package struct Entry: Equatable, Sendable {
    package var path: String
    package var start: EpochMicros?
    package var length: Int
    /// Due: renamed to its final name once the checkpoint listing it is written.
    package var closing: Bool
    package init(path: String, start: EpochMicros?, length: Int, closing: Bool = false) {
      self.path = path
      self.start = start
      self.length = length
      self.closing = closing
    }
  }

  package var entries: [Entry]
  package init(entries: [Entry]) { self.entries = entries }

  static let tag = Array("archive ".utf8)

  package func encode() -> [UInt8] {
    var out = Array("archive \(entries.count)\n".utf8)
    for entry in entries {
      out += Array("\(entry.closing ? "c" : "")\(entry.length) \(entry.start.map(String.init) ?? "-") ".utf8)
      out += escapePathField(entry.path)
      out.append(0x0A)
    }
    return out
  }

  /// True when `bytes` (from `index`) begin an archive section.
  package static func starts(_ bytes: [UInt8], at index: Int) -> Bool {
    bytes.count - index >= tag.count && Array(bytes[index..<(index + tag.count)]) == tag
  }

  /// Decodes a section at `index`; returns the manifest and the index after it.
  package static func decode(_ bytes: [UInt8], at index: Int) throws(PatternError) -> (ArchiveManifest, Int) {
    func line(from i: Int) throws(PatternError) -> (ArraySlice<UInt8>, Int) {
      guard let nl = bytes[i...].firstIndex(of: 0x0A) else { throw PatternError("the archive section is cut short") }
      return (bytes[i..<nl], nl + 1)
    }
    var (head, next) = try line(from: index)
    guard let n = Int(String(decoding: head.dropFirst(tag.count), as: UTF8.self)), n >= 0, n <= 1 << 20 else {
      throw PatternError("invalid archive line '\(String(decoding: head, as: UTF8.self))'")
    }
    var entries: [Entry] = []
    for number in 0..<n {
      (head, next) = try line(from: next)
      let parts = head.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
      let startText = parts.count == 3 ? String(decoding: parts[1], as: UTF8.self) : ""
      let closing = parts.first?.first == UInt8(ascii: "c")
      let lengthText = parts.first.map { String(decoding: $0.dropFirst(closing ? 1 : 0), as: UTF8.self) } ?? ""
      guard parts.count == 3, let length = Int(lengthText), length >= 0,
        startText == "-" || Int64(startText) != nil
      else { throw PatternError("archive entry \(number + 1) is not LENGTH START PATH") }
      entries.append(Entry(path: unescapePathField(parts[2]), start: Int64(startText), length: length, closing: closing))
    }
    return (ArchiveManifest(entries: entries), next)
  }
}

extension ArchiveWriter {
  /// Deals with leftovers and starts writing: `manifest` nil means no checkpoint (recover
  /// leftovers as they are); a manifest (empty for a first checkpointed run) restores it.
  package func start(manifest: ArchiveManifest?) throws(IOError) {
    guard !started else { return }
    markStarted(checkpointed: manifest != nil)
    let leftovers = findPartialFiles()
    guard let manifest else {
      for path in leftovers { try recover(path) }
      if !leftovers.isEmpty { notes.append("recovered \(leftovers.count) partial files under \(rootName)") }
      return
    }
    var listed = Set<String>()
    if let entry = manifest.entries.first(where: { !$0.path.hasSuffix(suffix + ".partial") || (suffix.isEmpty && $0.path.hasSuffix(".gz.partial")) }) {
      throw .openFailed(path: "\(entry.path) (the checkpoint's archive was written \(suffix.isEmpty ? "with" : "without") --compress gzip; keep it as it was)", errno: EINVAL)
    }
    for entry in manifest.entries {
      listed.insert(entry.path)
      if entry.closing { try finishClosing(entry) } else { try restore(entry) }
    }
    let stale = leftovers.filter { !listed.contains($0) }
    for path in stale { unlink(path) }
    if !manifest.entries.isEmpty || !stale.isEmpty {
      notes.append(
        "archive resumed at the checkpoint: \(manifest.entries.count) partial files cut back to it, \(stale.count) written after it removed")
    }
  }

  var rootName: String { root.isEmpty ? "." : root }

  /// A listed file: renamed back if it was closed after the checkpoint, cut to its length, kept open.
  private func restore(_ entry: ArchiveManifest.Entry) throws(IOError) {
    let finalPath = String(entry.path.dropLast(".partial".count))
    if !fileExists(entry.path) && fileExists(finalPath) {
      if rename(finalPath, entry.path) != 0 { throw .renameFailed(from: finalPath, to: entry.path, errno: errno) }
    }
    var info = stat()
    guard stat(entry.path, &info) == 0 else {
      notes.append("\(entry.path), listed in the checkpoint, is missing: its \(entry.length) bytes are lost")
      return
    }
    if Int(info.st_size) > entry.length {
      guard truncate(entry.path, off_t(entry.length)) == 0 else { throw .writeFailed(path: entry.path, errno: errno) }
    } else if Int(info.st_size) < entry.length {
      notes.append("\(entry.path) is shorter than the checkpoint says (\(info.st_size) of \(entry.length) bytes)")
    }
    let start = entry.start
    let end = start.map { pattern.period(of: $0).end } ?? .max
    let own = (start.map(pattern.expand) ?? noTimeName) + suffix
    let file = ArchiveFile(start: start, end: end, finalPath: finalPath, isPart: finalPath != own, gzip: gzip)
    file.length = min(Int(info.st_size), entry.length)
    adopt(file)
  }

  /// A file the checkpoint left closing: if still `.partial`, cut to its length and renamed.
  private func finishClosing(_ entry: ArchiveManifest.Entry) throws(IOError) {
    guard fileExists(entry.path) else { return }  // renamed already (or moved away since)
    // Never lengthened: a shorter file (cut by a power loss despite the fsync) is kept as it is.
    try cutAndRename(entry.path) { fd in
      var info = stat()
      return fstat(fd, &info) == 0 && Int(info.st_size) > entry.length ? entry.length : -1
    }
  }

  /// A leftover without checkpoint: torn last line cut, fsync'ed, renamed to its final (or a part) name.
  private func recover(_ path: String) throws(IOError) {
    // A torn end is a line without newline, or with gzip a member cut short.
    try cutAndRename(path) { fd in self.gzip?.completeMembersLength(fd: fd) ?? completeLinesLength(fd) }
  }

  /// Cuts `path` to `keep` bytes (none cut when negative), fsyncs it and renames it to its
  /// final name (a part name when that is taken), durably.
  private func cutAndRename(_ path: String, keep: (Int32) -> Int) throws(IOError) {
    let fd = open(path, O_RDWR | O_CLOEXEC)
    if fd < 0 { throw .openFailed(path: path, errno: errno) }
    defer { Glibc.close(fd) }
    let length = keep(fd)
    if length >= 0 && ftruncate(fd, off_t(length)) != 0 { throw .writeFailed(path: path, errno: errno) }
    if fsync(fd) != 0 { throw .syncFailed(path: path, errno: errno) }
    var target = String(path.dropLast(".partial".count))
    if fileExists(target) { target = freePartName(String(target.dropLast(suffix.count))) }
    try renameNoReplace(path, target)
    try syncDirectory(of: target)
  }

  /// The `.partial` files under the root whose names the pattern could have made.
  package func findPartialFiles() -> [String] {
    let depth = pattern.text.dropFirst(root.count).filter { $0 == "/" }.count
    var found: [String] = []
    walk(root, depth: depth) { path in
      guard path.hasSuffix(suffix + ".partial") else { return }
      let name = String(path.dropLast(suffix.count + ".partial".count))
      if name == noTimeName || pattern.matches(name) || pattern.matches(withoutPartNumber(name) ?? "") ||
        withoutPartNumber(name) == noTimeName
      {
        found.append(path)
      }
    }
    return found.sorted()
  }

  private func walk(_ directory: String, depth: Int, _ visit: (String) -> Void) {
    guard let dir = opendir(directory.isEmpty ? "." : directory) else { return }
    defer { closedir(dir) }
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if name == "." || name == ".." { continue }
      let path = directory + name
      var info = stat()
      guard lstat(path, &info) == 0 else { continue }
      if info.st_mode & S_IFMT == S_IFDIR {
        if depth > 0 { walk(path + "/", depth: depth - 1, visit) }
      } else if info.st_mode & S_IFMT == S_IFREG {
        visit(path)
      }
    }
  }
}

/// `NAME.N.ext` → `NAME.ext` (nil when the name has no part number).
func withoutPartNumber(_ path: String) -> String? {
  let nameStart = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
  var stem = path[nameStart...]
  var ext = Substring("")
  if let dot = stem.lastIndex(of: "."), dot != stem.startIndex {
    ext = stem[dot...]
    stem = stem[..<dot]
  }
  guard let dot = stem.lastIndex(of: "."), dot != stem.startIndex else { return nil }
  let digits = stem[stem.index(after: dot)...]
  guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
  return String(path[..<nameStart]) + stem[..<dot] + ext
}

/// The length up to and including the last newline (the complete lines); -1 on a read error.
func completeLinesLength(_ fd: Int32) -> Int {
  var info = stat()
  guard fstat(fd, &info) == 0 else { return -1 }
  var end = Int(info.st_size)
  var chunk = [UInt8](repeating: 0, count: 4096)
  while end > 0 {
    let start = max(0, end - chunk.count)
    let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, end - start, off_t(start)) }
    guard n == end - start else { return -1 }
    if let nl = chunk[..<n].lastIndex(of: 0x0A) { return start + nl + 1 }
    end = start
  }
  return 0
}
