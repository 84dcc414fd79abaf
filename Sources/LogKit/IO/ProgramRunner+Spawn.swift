/*
 posix_spawn of one job: PATH lookup, environment, pipes, signal state.

 The pipes are made with O_CLOEXEC and the child closes every descriptor
 above 2, so it inherits nothing but its three pipes. The child starts in its
 own process group (a timeout kills its descendants too; a Ctrl-C on the
 terminal reaches the command, which decides), with an empty signal mask and
 SIGPIPE, SIGINT, SIGQUIT, SIGTERM and SIGCHLD at their defaults whatever the
 command set for itself (commands ignore SIGPIPE; exec keeps ignored signals).
*/
import Glibc

struct SpawnError: Error {
  var code: Int32
}

struct SpawnedProgram {
  var pid: pid_t
  var stdin: Int32
  var stdout: Int32
  var stderr: Int32
}

func spawnProgram(_ job: ProgramJob) throws(SpawnError) -> SpawnedProgram {
  guard let name = job.argv.first, !name.isEmpty, job.argv.allSatisfy({ !$0.utf8.contains(0) }) else {
    throw SpawnError(code: EINVAL)
  }
  let environment = try mergedEnvironment(adding: job.environment)
  let path = try executablePath(for: name, environment: environment)
  var pipes: [(read: Int32, write: Int32)] = []
  do throws(SpawnError) {
    for _ in 0..<3 { pipes.append(try makePipe()) }
  } catch {
    closePipes(pipes)
    throw error
  }
  let (stdinPipe, stdoutPipe, stderrPipe) = (pipes[0], pipes[1], pipes[2])
  let pid: pid_t
  do {
    pid = try spawn(path: path, argv: job.argv, environment: environment, stdio: (stdinPipe.read, stdoutPipe.write, stderrPipe.write))
  } catch {
    closePipes(pipes)
    throw error
  }
  close(stdinPipe.read)
  close(stdoutPipe.write)
  close(stderrPipe.write)
  for fd in [stdinPipe.write, stdoutPipe.read, stderrPipe.read] {
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
  }
  return SpawnedProgram(pid: pid, stdin: stdinPipe.write, stdout: stdoutPipe.read, stderr: stderrPipe.read)
}

private func spawn(path: String, argv: [String], environment: [String], stdio: (Int32, Int32, Int32)) throws(SpawnError) -> pid_t {
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_adddup2(&actions, stdio.0, 0)
  posix_spawn_file_actions_adddup2(&actions, stdio.1, 1)
  posix_spawn_file_actions_adddup2(&actions, stdio.2, 2)
  if let addCloseFrom = gnuAddCloseFrom { _ = addCloseFrom(&actions, 3) }

  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var defaults = sigset_t()
  sigemptyset(&defaults)
  for signal in [SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGCHLD] { sigaddset(&defaults, signal) }
  posix_spawnattr_setsigdefault(&attributes, &defaults)
  var emptyMask = sigset_t()
  sigemptyset(&emptyMask)
  posix_spawnattr_setsigmask(&attributes, &emptyMask)
  posix_spawnattr_setpgroup(&attributes, 0)
  let flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP
  posix_spawnattr_setflags(&attributes, Int16(flags))

  let cArgv = CStringArray(argv)
  let cEnvironment = CStringArray(environment)
  defer { cArgv.free(); cEnvironment.free() }
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, path, &actions, &attributes, cArgv.pointers, cEnvironment.pointers)
  if rc != 0 { throw SpawnError(code: rc) }
  return pid
}

/// The inherited environment with `added` on top (a later duplicate wins), as NAME=value.
func mergedEnvironment(adding added: [(String, String)]) throws(SpawnError) -> [String] {
  var order: [String] = []
  var values: [String: String] = [:]
  for (name, value) in added {
    guard !name.isEmpty, !name.utf8.contains(UInt8(ascii: "=")), !name.utf8.contains(0), !value.utf8.contains(0) else {
      throw SpawnError(code: EINVAL)
    }
    if values.updateValue(value, forKey: name) == nil { order.append(name) }
  }
  var merged: [String] = []
  let inherited: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
  if var entry = inherited {
    while let cString = entry.pointee {
      let text = String(cString: cString)
      let name = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
      if values[name] == nil { merged.append(text) }
      entry += 1
    }
  }
  for name in order { merged.append(name + "=" + (values[name] ?? "")) }
  return merged
}

/// `name` itself when it has a '/', else the first executable regular file in PATH.
func executablePath(for name: String, environment: [String]) throws(SpawnError) -> String {
  if name.utf8.contains(UInt8(ascii: "/")) { return name }
  let searchPath = environment.last { $0.hasPrefix("PATH=") }.map { String($0.dropFirst(5)) } ?? "/usr/local/bin:/usr/bin:/bin"
  var failure = ENOENT
  for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
    let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
    var info = stat()
    guard stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
    if access(candidate, X_OK) == 0 { return candidate }
    failure = EACCES
  }
  throw SpawnError(code: failure)
}

/// A pipe with O_CLOEXEC whose ends are above 2, so dup2 onto 0-2 never meets itself.
private func makePipe() throws(SpawnError) -> (read: Int32, write: Int32) {
  var fds: [Int32] = [-1, -1]
  if let pipe2 = gnuPipe2 {
    guard pipe2(&fds, O_CLOEXEC) == 0 else { throw SpawnError(code: errno) }
  } else {
    // Without pipe2 another thread's fork may catch the ends before FD_CLOEXEC is set.
    guard pipe(&fds) == 0 else { throw SpawnError(code: errno) }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
  }
  for i in 0..<2 where fds[i] <= 2 {
    let moved = fcntl(fds[i], F_DUPFD_CLOEXEC, 3)
    let code = errno
    close(fds[i])
    fds[i] = moved
    if moved < 0 {
      if fds[1 - i] >= 0 { close(fds[1 - i]) }
      throw SpawnError(code: code)
    }
  }
  return (fds[0], fds[1])
}

private func closePipes(_ pipes: [(read: Int32, write: Int32)]) {
  for pipe in pipes {
    close(pipe.read)
    close(pipe.write)
  }
}

// pipe2(2) and posix_spawn_file_actions_addclosefrom_np(3) are GNU extensions that the
// Glibc module does not export (it is built without _GNU_SOURCE); glibc >= 2.34 has both.
private typealias Pipe2Function = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
private typealias AddCloseFromFunction = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32
private let gnuPipe2: Pipe2Function? = dlsym(dlopen(nil, RTLD_NOW), "pipe2").map {
  unsafeBitCast($0, to: Pipe2Function.self)
}
private let gnuAddCloseFrom: AddCloseFromFunction? = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np").map {
  unsafeBitCast($0, to: AddCloseFromFunction.self)
}

/// A NULL-terminated array of strdup'ed C strings.
private struct CStringArray {
  let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

  init(_ strings: [String]) {
    pointers = .allocate(capacity: strings.count + 1)
    for (i, string) in strings.enumerated() { pointers[i] = strdup(string) }
    pointers[strings.count] = nil
  }

  func free() {
    var i = 0
    while let string = pointers[i] {
      Glibc.free(string)
      i += 1
    }
    pointers.deallocate()
  }
}
