/*
 logdash's run loop: lines in, into the model; on a clock (checked every
 1024 lines and on idle input) the terminal is redrawn, the HTML report
 rewritten, the server polled and the periodic summary written. When input
 ends the terminal and the server stay up until `q` or Ctrl-C.
*/
import Glibc

/// Thrown from the input callbacks when the user pressed `q`.
typealias DashQuit = RunFrame.Stop

package final class LogDashRun {
  let options: ParsedOptions
  let settings: LogDashSettings
  let model: DashModel
  var health = DashHealth()
  var terminal: TerminalDashboard?
  var server: DashServer?
  var lastHTML: Int64 = 0
  var lastReport: Int64 = 0
  var lastPublish: Int64 = 0
  var rateMark = (time: Int64(0), lines: 0)
  var generation = 0
  var publishedGeneration = -1
  var htmlGeneration = -1
  var onTerminal = false

  package init(_ options: ParsedOptions) throws(UsageError) {
    self.options = options
    settings = try LogDashSettings(options)
    model = DashModel(config: settings.config)
  }

  var wantsSummary: Bool {
    settings.forceSummary || (!onTerminal && settings.htmlPath == nil && settings.serve == nil)
  }

  package func run() throws -> ExitStatus {
    onTerminal = isTerminal(1) && !settings.forceSummary
    let frame = try RunFrame(LogDashCommand.spec, options, showProgress: !onTerminal)
    let input = frame.input
    if let address = settings.serve {
      let started = try runtime { () throws(DashError) in try DashServer(address: address) }
      printError(frame.name, "serving http://\(address.host):\(started.port)/")
      server = started
    }
    if onTerminal { terminal = try runtime { () throws(DashError) in try TerminalDashboard(model: model, topN: settings.config.topN) } }
    defer { terminal?.restore() }
    rateMark = (monotonicMicros(), 0)
    return try frame.run(
      RunFrame.Hooks(
        onLine: { line in
          if case .rejected(let reason) = self.model.ingest(line) { try frame.reject(line, reason: reason) }
          self.generation &+= 1
          if self.generation & 1023 == 0 { try self.tick(input) }
        },
        onTick: { _ in try self.tick(input) },
        finish: { try self.endOfInput(frame) },
        statsCounts: {
          let c = self.model.counts
          return "\(frame.lines) lines, \(frame.rejected) rejected, \(c.windowRecords) window records, "
            + "\(c.alertEvents) alert events, \(c.scaleDecisions) scale decisions, \(c.accessRecords) access records"
        }))
  }

  /// Input ended (or `q`): the last frame, then the screen and server stay up until
  /// `q` or a signal; then the final report and summary.
  func endOfInput(_ frame: RunFrame) throws {
    model.finish()
    health.inputEnded = true
    generation &+= 1
    var quit = frame.stopped
    do { try tick(frame.input, force: true) } catch is DashQuit { quit = true }
    if !quit && !Signals.interrupted && (terminal != nil || server != nil) { try waitForQuit(frame.input) }
    terminal?.restore()
    terminal = nil
    health.lines = frame.lines
    health.rejected = frame.rejected
    if let path = settings.htmlPath {
      try writeHTML(path, live: false)
      if !onTerminal { printError(frame.name, "report written to \(path)") }
    }
    if wantsSummary { writeStdout(TextSummary.render(model, health: health), command: frame.name) }
  }

  /// After input ended: keep the screen and the server up until `q` or a signal.
  func waitForQuit(_ input: any LineSource) throws {
    if terminal == nil { printError(LogDashCommand.spec.name, "input ended; serving until interrupted (Ctrl-C)") }
    while !Signals.interrupted {
      do { try tick(input) } catch is DashQuit { return }
      var fds = [pollfd]()
      if let fd = terminal?.keyboardFD { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
      _ = poll(&fds, nfds_t(fds.count), server == nil ? 200 : 50)
    }
  }

  /// The clock: redraw, rewrite, serve, report when each is due.
  func tick(_ input: any LineSource, force: Bool = false) throws {
    let now = monotonicMicros()
    health.lines = input.lines
    health.rejected = input.badInput.count
    if now - rateMark.time >= 1_000_000 {
      health.linesPerSecond = Double(input.lines - rateMark.lines) * 1e6 / Double(now - rateMark.time)
      rateMark = (now, input.lines)
    }
    if let terminal {
      if terminal.handleKeys() == .quit { throw DashQuit() }
      health.paused = terminal.paused
      terminal.drawIfDue(now: now, health: health, force: force)
    }
    if let path = settings.htmlPath, !health.inputEnded, htmlGeneration != generation,
      now - lastHTML >= settings.htmlEvery {
      lastHTML = now
      htmlGeneration = generation
      try writeHTML(path, live: true)
    }
    if let server {
      if publishedGeneration != generation && (now - lastPublish >= 1_000_000 || force) {
        lastPublish = now
        publishedGeneration = generation
        server.publish(HTMLReport.render(model, health: health, mode: .served))
      }
      server.poll()
    }
    if let every = settings.reportEvery, wantsSummary, now - lastReport >= every, !health.inputEnded {
      if lastReport != 0 { writeStdout(TextSummary.render(model, health: health), command: LogDashCommand.spec.name) }
      lastReport = now
    }
  }

  func writeHTML(_ path: String, live: Bool) throws {
    let page = HTMLReport.render(model, health: health, mode: live ? .liveFile(refreshSeconds: Swift.max(1, Int(settings.htmlEvery / 1_000_000))) : .finalFile)
    do { try AtomicFile.replace(path: path, bytes: Array(page.utf8)) } catch { throw RuntimeError(error.description) }
  }

  /// Engine errors as runtime errors (`logdash: message`, exit 1).
  func runtime<T>(_ body: () throws(DashError) -> T) throws(RuntimeError) -> T {
    do { return try body() } catch { throw RuntimeError(error.description) }
  }
}
