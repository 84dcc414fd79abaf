/*
 FollowInput's check of the paths: glob expansion, new and replaced files,
 truncation (copytruncate), and at start-up the saved offsets matched to the
 files found (by inode and fingerprint), including files renamed or copied
 while no reader was running.
*/
import Glibc

extension FollowInput {
  /// Truncation of the open files, then the paths (at most every check interval, and on inotify's word).
  func check(_ onLine: (UnsafeRawBufferPointer) throws -> Void) throws {
    for file in files where !file.isFIFO && file.fd >= 0 && file.wasTruncated() {
      try restartTruncated(file, onLine)
    }
    scan(startUp: false)
  }

  /// `file` was truncated: the lines past the last delivered one come from the copy, if
  /// one is found, else its partial line is delivered; then it is read from its start.
  func restartTruncated(_ file: FollowedFile, _ onLine: (UnsafeRawBufferPointer) throws -> Void) throws {
    if !readCopy(of: file.entry, except: file.identity, pattern: file.pattern) {
      try deliverPartial(file, onLine, readFirst: false)
    }
    // (With a copy, it holds the line being read: the fragment is dropped.)
    file.seek(to: 0, line: 0)
    if let fresh = FileIdentity.of(fd: file.fd) { file.identity = fresh }
  }

  /// Matches the paths to the open files: opens new ones, retires the ones whose path moved on.
  func scan(startUp: Bool) {
    for pattern in patterns { watcher.watch(directory: directoryOf(pattern)) }
    var seen: [FileIdentity] = []
    for (path, index) in expand() {
      var info = stat()
      guard stat(path, &info) == 0 else { continue }
      let kind = info.st_mode & S_IFMT
      guard kind == S_IFREG || kind == S_IFIFO else {
        warnOnce(path, "\(path): not a file or FIFO; not followed")
        continue
      }
      let device = UInt64(truncatingIfNeeded: info.st_dev), inode = UInt64(truncatingIfNeeded: info.st_ino)
      if let file = files.first(where: { $0.identity.device == device && $0.identity.inode == inode }) {
        file.path = path
        file.pattern = index
        file.retiredSince = nil
        seen.append(file.identity)
        continue
      }
      guard files.count < options.maxFiles else {
        if !warnedFull { warn("--follow: following \(options.maxFiles) files already, the most it follows at once; \(path) and further files are left out") }
        warnedFull = true
        continue
      }
      guard let file = FollowedFile.open(path: path, pattern: index, maxLine: maxLine, chunk: Self.chunk) else {
        let code = errno
        if code != ENOENT { warnOnce(path, "\(path): \(errnoText(code)); tried again at every check") }
        continue
      }
      if !file.isFIFO { position(file, startUp: startUp) }
      files.append(file)
      seen.append(file.identity)
    }
    for file in files where file.retiredSince == nil && !seen.contains(where: { $0.sameInode(file.identity) }) {
      retire(file)
    }
    if startUp {
      resumeRenamed()
      saved = []
    }
  }

  /// Where a newly found file starts: its saved offset, else its start (or at start-up
  /// without --from-start its end).
  private func position(_ file: FollowedFile, startUp: Bool) {
    if let index = saved.firstIndex(where: { $0.identity.sameInode(file.identity) }) {
      let entry = saved.remove(at: index)
      if entry.identity.prefixMatches(fd: file.fd), let size = file.size, size >= entry.offset {
        file.seek(to: entry.offset, line: entry.line)
        return
      }
      // Same inode, other content: truncated (copytruncate) while no reader ran, or the inode was reused.
      _ = readCopy(of: entry, except: file.identity, pattern: file.pattern)
      file.seek(to: 0, line: 0)
      return
    }
    if startUp && !options.fromStart {
      file.seek(to: file.lineAlignedEnd(), line: 0)
    } else {
      file.seek(to: 0, line: 0)
    }
  }

  /// Saved files no path names any more: renamed in their directory (logrotate's
  /// access.log.1) while no reader ran; their rest is read from the new name.
  private func resumeRenamed() {
    for entry in saved {
      guard let path = findFile(in: directoryOf(entry.path), matching: entry.identity, sameInode: true, beyond: entry.offset, except: nil)
      else { continue }
      _ = adopt(path: path, entry: entry, pattern: 0)
    }
  }

  /// Reads the lines past `entry` from a copy of its file (copytruncate's), if one is in its
  /// directory. True when one was found.
  func readCopy(of entry: FollowOffset, except: FileIdentity, pattern: Int) -> Bool {
    guard let path = findFile(in: directoryOf(entry.path), matching: entry.identity, sameInode: false, beyond: entry.offset, except: except)
    else { return false }
    return adopt(path: path, entry: entry, pattern: pattern)
  }

  /// Follows `path` from `entry`'s offset until its end, as a rotated-away file.
  private func adopt(path: String, entry: FollowOffset, pattern: Int) -> Bool {
    guard files.count < options.maxFiles, let file = FollowedFile.open(path: path, pattern: pattern, maxLine: maxLine, chunk: Self.chunk)
    else { return false }
    if files.contains(where: { $0.identity.sameInode(file.identity) }) { return true }
    file.seek(to: entry.offset, line: entry.line)
    retire(file)
    files.append(file)
    return true
  }

  /// Every path the patterns name now (globs expanded), with its pattern's index.
  func expand() -> [(String, Int)] {
    var paths: [(String, Int)] = []
    for (index, pattern) in patterns.enumerated() {
      guard pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) else {
        paths.append((pattern, index))
        continue
      }
      var matches = glob_t()
      defer { globfree(&matches) }
      guard glob(pattern, 0, nil, &matches) == 0 else { continue }
      for slot in 0..<Int(matches.gl_pathc) {
        if let path = matches.gl_pathv[slot] { paths.append((String(cString: path), index)) }
      }
    }
    return paths
  }
}

extension FollowInput: LineSource {}
