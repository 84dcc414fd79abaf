/*
 The live terminal: alternate screen, hidden cursor, keys read from
 /dev/tty (stdin carries the data) without echo, redraws at most every
 200 ms with only the changed cells, SIGWINCH for resizes. `restore` puts
 the terminal back and is safe to call more than once; the run loop calls
 it on every way out (end, `q`, Ctrl-C, errors).
*/
import Glibc

nonisolated(unsafe) private var windowResized: sig_atomic_t = 0

package enum KeyAction: Equatable { case none, quit }

package final class TerminalDashboard {
  let model: DashModel
  package private(set) var view = TerminalView()
  package var paused: Bool { view.paused }
  /// The keyboard (/dev/tty), -1 when there is none.
  package private(set) var keyboardFD: Int32 = -1
  private var savedMode: termios?
  private var writer = ScreenWriter()
  private var lastDraw: Int64 = 0
  private var dirty = true
  private var active = false
  private var size = (width: 80, height: 24)
  package let minimumInterval: Int64 = 200_000

  package init(model: DashModel, topN: Int) throws(DashError) {
    self.model = model
    keyboardFD = open("/dev/tty", O_RDWR | O_NONBLOCK | O_CLOEXEC)
    if keyboardFD >= 0 {
      var mode = termios()
      if tcgetattr(keyboardFD, &mode) == 0 {
        savedMode = mode
        // No line editing, no echo; ISIG stays so Ctrl-C still signals the whole pipeline.
        mode.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &mode.c_cc) { cc in
          cc[Int(VMIN)] = 0
          cc[Int(VTIME)] = 0
        }
        tcsetattr(keyboardFD, TCSANOW, &mode)
      }
    }
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in windowResized = 1 }
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(SIGWINCH, &action, nil)
    active = true
    emit("\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J")
    readSize()
  }

  deinit { restore() }

  package func restore() {
    guard active else { return }
    active = false
    emit("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l")
    if var mode = savedMode { tcsetattr(keyboardFD, TCSANOW, &mode) }
    if keyboardFD >= 0 { close(keyboardFD) }
    keyboardFD = -1
    signal(SIGWINCH, SIG_DFL)
  }

  /// Reads pending keys: q quits, p/space pause, t cycles the top-N panel, 1-4 choose it.
  package func handleKeys() -> KeyAction {
    guard keyboardFD >= 0 else { return .none }
    var buffer = [UInt8](repeating: 0, count: 64)
    let n = buffer.withUnsafeMutableBytes { read(keyboardFD, $0.baseAddress, $0.count) }
    guard n > 0 else { return .none }
    for byte in buffer[0..<n] {
      switch byte {
      case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3: return .quit
      case UInt8(ascii: "p"), UInt8(ascii: " "): view.paused.toggle()
      case UInt8(ascii: "t"): view.top = TopKind(rawValue: (view.top.rawValue + 1) % TopKind.allCases.count) ?? .path
      case UInt8(ascii: "1")...UInt8(ascii: "4"): view.top = TopKind(rawValue: Int(byte) - 49) ?? .path
      default: continue
      }
      dirty = true
      lastDraw = 0
    }
    return .none
  }

  /// Redraws when 200 ms passed since the last frame (or `force`), unless paused.
  package func drawIfDue(now: Int64, health: DashHealth, force: Bool = false) {
    if windowResized != 0 {
      windowResized = 0
      readSize()
      writer.invalidate()
      dirty = true
      lastDraw = 0
    }
    guard force || now - lastDraw >= minimumInterval else { return }
    if view.paused && !dirty { return }
    dirty = false
    lastDraw = now
    let frame = TerminalLayout.render(model, health: health, view: view, width: size.width, height: size.height)
    emit(writer.update(to: frame))
  }

  /// Forces the next frame to repaint everything (e.g. after stderr wrote over the screen).
  package func invalidate() { writer.invalidate() }

  private func readSize() {
    var ws = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 {
      size = (Int(ws.ws_col), Int(ws.ws_row))
    }
  }

  private func emit(_ text: String) {
    var s = text
    s.withUTF8 { _ = writeAll(1, UnsafeRawBufferPointer($0)) }
  }
}
