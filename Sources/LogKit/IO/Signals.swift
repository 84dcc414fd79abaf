/*
 Process-wide signal set-up shared by every command.

 SIGPIPE is ignored so a closed pipe shows up as EPIPE from write(2), which the
 output layer turns into a quiet exit. SIGINT and SIGTERM only raise a flag
 (without SA_RESTART, so a blocked read(2) or poll(2) returns EINTR); the read
 loops notice it, the command flushes what it has and exits.
*/
import Glibc

nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0
nonisolated(unsafe) private var signalCount: sig_atomic_t = 0

package enum Signals {
  /// Installs the handlers; call once at start-up.
  package static func install() {
    signal(SIGPIPE, SIG_IGN)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { signo in
      receivedSignal = signo
      signalCount &+= 1
    }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    // POSIX: a command started with SIGINT ignored (`cmd &` in a
    // non-interactive shell) keeps it ignored, so Ctrl-C reaches only the
    // foreground job.
    if !isIgnored(SIGINT) { sigaction(SIGINT, &action, nil) }
    sigaction(SIGTERM, &action, nil)
    // A blocked mask is inherited through exec (Foundation's Process blocks most
    // signals in its children): unblock the two we handle, or they never arrive.
    var handled = sigset_t()
    sigemptyset(&handled)
    sigaddset(&handled, SIGINT)
    sigaddset(&handled, SIGTERM)
    sigprocmask(SIG_UNBLOCK, &handled, nil)
  }

  /// True when `signo`'s disposition is SIG_IGN (inherited through exec).
  package static func isIgnored(_ signo: Int32) -> Bool {
    var current = sigaction()
    guard sigaction(signo, nil, &current) == 0, let handler = current.__sigaction_handler.sa_handler else { return false }
    return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
  }

  /// True once SIGINT or SIGTERM arrived.
  package static var interrupted: Bool { receivedSignal != 0 }

  /// How many SIGINT/SIGTERM arrived (a second one cuts waits at exit short).
  package static var count: Int32 { signalCount }

  /// The signal that arrived, or 0.
  package static var received: Int32 { receivedSignal }
}
