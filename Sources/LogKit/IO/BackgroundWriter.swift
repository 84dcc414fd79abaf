/*
 A second thread that writes an OutputSink's full buffers to a regular file.

 On a regular file, write(2) spends as long in the kernel as the command spends
 making the bytes (the page cache allocates the file's new pages: logparse's
 1 M lines took 0.61 s to /dev/null, 0.85 s to a file). Handing each full
 buffer to this thread lets that work run on the other core while the command
 fills the next buffer. One buffer is in flight at a time, so the bytes reach
 the file in order; `waitIdle` is the barrier a flush needs (offsets and
 checkpoints cover only what was written out).
*/
import Glibc

final class BackgroundWriter: @unchecked Sendable {
  let fd: Int32
  // Heap cells: a pthread mutex or condition variable must not move.
  private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
  private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
  // Guarded by `mutex`.
  private var job: UnsafeRawBufferPointer?
  private var stopping = false
  /// errno of the first failed write (0: none); later jobs are dropped.
  private var failedWith: Int32 = 0
  private var thread: pthread_t?

  /// Starts the thread; nil when it cannot be started (the sink then writes itself).
  init?(fd: Int32) {
    self.fd = fd
    pthread_mutex_init(mutex, nil)
    pthread_cond_init(changed, nil)
    var created = pthread_t()
    let context = Unmanaged.passRetained(self).toOpaque()
    // The thread inherits a mask blocking every signal: SIGINT and SIGTERM must reach the
    // main thread, whose blocked read(2) returns EINTR on them.
    var all = sigset_t(), saved = sigset_t()
    sigfillset(&all)
    pthread_sigmask(SIG_SETMASK, &all, &saved)
    defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
    guard pthread_create(&created, nil, { context in
      guard let context else { return nil }
      let writer = Unmanaged<BackgroundWriter>.fromOpaque(context).takeRetainedValue()
      writer.loop()
      return nil
    }, context) == 0 else {
      Unmanaged<BackgroundWriter>.fromOpaque(context).release()
      destroy()
      return nil
    }
    thread = created
  }

  private func destroy() {
    pthread_cond_destroy(changed)
    pthread_mutex_destroy(mutex)
    changed.deallocate()
    mutex.deallocate()
  }

  /// Waits for the buffer in flight, then hands `bytes` over (the caller keeps off them until
  /// the next `submit` or `waitIdle` returns). Returns the errno of an earlier failed write, or 0.
  func submit(_ bytes: UnsafeRawBufferPointer) -> Int32 {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    while job != nil { pthread_cond_wait(changed, mutex) }
    if failedWith == 0 && bytes.count > 0 {
      job = bytes
      pthread_cond_broadcast(changed)
    }
    return failedWith
  }

  /// Waits until nothing is in flight; returns the errno of a failed write, or 0.
  func waitIdle() -> Int32 {
    pthread_mutex_lock(mutex)
    defer { pthread_mutex_unlock(mutex) }
    while job != nil { pthread_cond_wait(changed, mutex) }
    return failedWith
  }

  /// Lets the buffer in flight finish and ends the thread.
  func stop() {
    pthread_mutex_lock(mutex)
    stopping = true
    pthread_cond_broadcast(changed)
    pthread_mutex_unlock(mutex)
    if let thread { pthread_join(thread, nil) }
    thread = nil
    destroy()
  }

  private func loop() {
    pthread_mutex_lock(mutex)
    while true {
      while job == nil && !stopping { pthread_cond_wait(changed, mutex) }
      guard let bytes = job else { break }
      pthread_mutex_unlock(mutex)
      let code = writeFully(fd, bytes)
      pthread_mutex_lock(mutex)
      if code != 0 { failedWith = code }
      job = nil
      pthread_cond_broadcast(changed)
    }
    pthread_mutex_unlock(mutex)
  }
}

/// True when `fd` is a regular file (where write(2) costs the most and never blocks for a reader).
func isRegularFile(_ fd: Int32) -> Bool {
  var info = stat()
  return fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
}
