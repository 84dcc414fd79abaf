/*
 What wakes FollowInput: inotify watches on the directories of the followed
 paths (a directory watch reports writes to, creation, renames and deletion
 of the files in it, and goes on working when the files are replaced), read
 without blocking. Where inotify is unavailable (or a directory does not exist
 yet) nothing wakes the loop early, and the periodic stat check, which runs
 regardless, finds the changes (polling).
*/
import Glibc

package struct FollowWake: OptionSet, Sendable {
  package let rawValue: Int
  package init(rawValue: Int) { self.rawValue = rawValue }
  /// A file was written to: read.
  package static let data = FollowWake(rawValue: 1)
  /// A file was created, renamed, deleted or changed attributes: check the paths now.
  package static let structure = FollowWake(rawValue: 2)
  /// A watched directory went away: watch it again once it is back.
  package static let lostWatch = FollowWake(rawValue: 4)
}

package final class FollowWatcher {
  /// The inotify descriptor to poll, or -1 (polling only).
  package private(set) var fd: Int32 = -1
  private var watched: Set<String> = []
  private var buffer = [UInt8](repeating: 0, count: 16 * 1024)

  package init(useInotify: Bool = true) {
    guard useInotify else { return }
    fd = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
  }

  deinit { if fd >= 0 { close(fd) } }

  /// Watches `directory` if it exists and is not watched yet (cheap to call at every check).
  package func watch(directory: String) {
    guard fd >= 0, !watched.contains(directory) else { return }
    let mask = UInt32(IN_MODIFY) | UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_MOVED_FROM)
      | UInt32(IN_MOVED_TO) | UInt32(IN_ATTRIB) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_DELETE_SELF)
      | UInt32(IN_MOVE_SELF)
    if inotify_add_watch(fd, directory, mask) >= 0 { watched.insert(directory) }
  }

  /// Reads every pending event; what they call for.
  package func drain() -> FollowWake {
    guard fd >= 0 else { return [] }
    var wake: FollowWake = []
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return wake }
      wake.formUnion(Self.parse(buffer, count: n))
      if wake.contains(.lostWatch) { watched.removeAll() }
    }
  }

  /// What a buffer of inotify events calls for.
  static func parse(_ bytes: [UInt8], count: Int) -> FollowWake {
    var wake: FollowWake = []
    let header = MemoryLayout<inotify_event>.size
    let structural = UInt32(IN_CREATE) | UInt32(IN_DELETE) | UInt32(IN_MOVED_FROM) | UInt32(IN_MOVED_TO)
      | UInt32(IN_ATTRIB) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_IGNORED) | UInt32(IN_Q_OVERFLOW)
    var offset = 0
    bytes.withUnsafeBytes { raw in
      while offset + header <= count {
        let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
        let length = raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)
        if mask & structural != 0 { wake.insert(.structure) }
        if mask & (UInt32(IN_IGNORED) | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF)) != 0 { wake.insert(.lostWatch) }
        if mask & (UInt32(IN_MODIFY) | UInt32(IN_CLOSE_WRITE)) != 0 { wake.insert(.data) }
        offset += header + Int(length)
      }
    }
    return wake
  }
}

/// The directory part of a path ("." for a bare name), for watching.
package func directoryOf(_ path: String) -> String {
  guard let slash = path.lastIndex(of: "/") else { return "." }
  if slash == path.startIndex { return "/" }
  return String(path[..<slash])
}
