/*
 Process-wide signal set-up shared by every command.

 SIGPIPE is ignored so a closed pipe shows up as EPIPE from write(2), which the
 output layer turns into a quiet exit. SIGINT and SIGTERM only raise a flag
 (without SA_RESTART, so a blocked read(2) or poll(2) returns EINTR); the read
 loops notice it, the command flushes what it has and exits.
*/
import Glibc

nonisolated(unsafe) private var receivedSignal: sig_atomic_t = 0

package enum Signals {
  /// Installs the handlers; call once at start-up.
  package static func install() {
    signal(SIGPIPE, SIG_IGN)
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { signo in receivedSignal = signo }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    sigaction(SIGINT, &action, nil)
    sigaction(SIGTERM, &action, nil)
    // A parent may hand down a mask that blocks them (Foundation's Process in
    // the test runner does); without this, kill -INT would never arrive.
    var wanted = sigset_t()
    sigemptyset(&wanted)
    sigaddset(&wanted, SIGINT)
    sigaddset(&wanted, SIGTERM)
    sigprocmask(SIG_UNBLOCK, &wanted, nil)
  }

  /// True once SIGINT or SIGTERM arrived.
  package static var interrupted: Bool { receivedSignal != 0 }

  /// The signal that arrived, or 0.
  package static var received: Int32 { receivedSignal }
}
