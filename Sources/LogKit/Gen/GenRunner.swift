/*
 The clock and pacing loops of loggen.

   real clock, --rate N     timestamps are now; a token bucket paces the lines:
                            sleep a short slice (clock_nanosleep), refill, write
                            the whole tokens as one batch, flush
   real clock, --rate max   timestamps are now; no pacing
   --start T                simulated clock: timestamps advance by exponential
                            gaps at the current rate (Poisson arrivals), output
                            as fast as possible
   --speedup S              simulated clock, paced so generated time runs S
                            times faster than real time: each line waits for
                            its own due time, so even 20 lines/s are even
   rate 0 (outage factor=0) no lines until the rate is back; the clock skips
                            ahead (paced runs wait out the gap)

 Limits: --count (lines) and --duration (generated time). The loops check for
 SIGINT/SIGTERM regularly; on any exit the truth file gets its final lines.
*/
import Glibc

final class GenRunner {
  private let engine: GenEngine
  private let settings: GenSettings
  private let sink: OutputSink
  private let truth: TruthWriter?
  private var rng: Xoshiro256
  private(set) var lines = 0
  /// Relative time of the last line written.
  private var lastTime: Int64 = 0

  init(engine: GenEngine, settings: GenSettings, sink: OutputSink, truth: TruthWriter?, rng: Xoshiro256) {
    self.engine = engine
    self.settings = settings
    self.sink = sink
    self.truth = truth
    self.rng = rng
  }

  func run() throws {
    engine.writer.writeHeader(to: sink, origin: engine.origin)
    do {
      if settings.simulated {
        try runSimulated()
      } else if let rate = settings.rate {
        try runPaced(rate: rate)
      } else {
        try runRealUnpaced()
      }
      try sink.flush()
    } catch {
      try? truth?.report(engine.schedule, now: lastTime, origin: engine.origin, final: true)
      throw error
    }
    try truth?.report(engine.schedule, now: lastTime, origin: engine.origin, final: true)
  }

  private var countLimit: Int { settings.count ?? Int.max }
  private var timeLimit: Int64 { settings.duration ?? Int64.max }

  /// Called at refresh boundaries: recompute rates, report finished incidents.
  private func boundary(_ t: Int64) throws {
    engine.refresh(at: t)
    try truth?.report(engine.schedule, now: t, origin: engine.origin, final: false)
  }

  private func runSimulated() throws {
    var rng = self.rng
    defer { self.rng = rng }
    let dist = engine.model.dist
    let paced = settings.speedup
    let wallStart = monotonicMicros()
    var vt = 0.0
    var n = 0
    defer { lines = n }
    let limit = countLimit
    let end = timeLimit
    /// Set after a stretch without traffic: the next arrival is drawn from where it ended.
    var resume = false
    while n < limit {
      let rt = Int64(vt)
      if rt >= end { break }
      if rt >= engine.nextRefresh {
        try boundary(rt)
        if Signals.interrupted { break }
      }
      let rate = engine.totalRate
      if rate <= 1e-9 || resume {
        // No traffic now (an outage with factor=0): no line until the rate is back.
        if rate <= 1e-9 { vt = Double(max(engine.nextRefresh, rt + 1)) } else { vt += dist.exponential(&rng) * 1_000_000 / rate }
        resume = rate <= 1e-9
        if let speedup = paced, !(try pace(wallStart: wallStart, generated: min(vt, Double(end)), speedup: speedup)) { break }
        continue
      }
      try engine.emit(at: engine.origin &+ rt, rng: &rng, to: sink)
      lastTime = rt
      n &+= 1
      vt += dist.exponential(&rng) * 1_000_000 / rate
      if n & 63 == 0 {
        if let failure = sink.failure { throw failure }
        if n & 0xFFFF == 0 && Signals.interrupted { break }
      }
      // Paced: every line waits for its own time, so a slow rate is as even as a fast one.
      if let speedup = paced, n < limit, !(try pace(wallStart: wallStart, generated: min(vt, Double(end)), speedup: speedup)) { break }
    }
  }

  /// Sleeps until real time has caught up with generated time / speedup, in slices
  /// that notice signals. False when interrupted.
  private func pace(wallStart: Int64, generated: Double, speedup: Double) throws -> Bool {
    let due = wallStart &+ (Int64(exactly: (generated / speedup).rounded(.down)) ?? Int64.max / 2)
    var now = monotonicMicros()
    guard due - now > 1000 else { return !Signals.interrupted }
    try sink.flush()
    while due - now > 0 {
      if Signals.interrupted { return false }
      sleepMicros(min(due - now, 50_000))
      now = monotonicMicros()
    }
    return !Signals.interrupted
  }

  private func runPaced(rate: Double) throws {
    var rng = self.rng
    defer { self.rng = rng }
    let start = monotonicMicros()
    var bucket = TokenBucket(now: start)
    var n = 0
    defer { lines = n }
    let limit = countLimit
    let end = timeLimit
    while n < limit && !Signals.interrupted {
      var rt = monotonicMicros() - start
      let last = rt >= end
      if last { rt = end }
      if rt >= engine.nextRefresh { try boundary(rt) }
      bucket.refill(now: start + rt, rate: engine.totalRate)
      let batch = bucket.take(limit: limit - n)
      let t = engine.origin + rt
      for _ in 0..<batch { try engine.emit(at: t, rng: &rng, to: sink) }
      n += batch
      lastTime = rt
      try sink.flush()
      if last { break }
      sleepMicros(min(max(bucket.wait(rate: engine.totalRate), 1000), 50_000, max(end - rt, 1)))
    }
  }

  private func runRealUnpaced() throws {
    var rng = self.rng
    defer { self.rng = rng }
    let start = monotonicMicros()
    var n = 0
    defer { lines = n }
    let limit = countLimit
    let end = timeLimit
    while n < limit && !Signals.interrupted {
      let rt = monotonicMicros() - start
      if rt >= end { break }
      if rt >= engine.nextRefresh { try boundary(rt) }
      let t = engine.origin + rt
      let batch = min(4096, limit - n)
      for _ in 0..<batch { try engine.emit(at: t, rng: &rng, to: sink) }
      n += batch
      lastTime = rt
      if let failure = sink.failure { throw failure }
      if sink.lineBuffered || sink.pending > 0 && batch < 4096 { try sink.flush() }
    }
  }
}

/// Sleeps on the monotonic clock; returns early on a signal (the loops then check it).
func sleepMicros(_ micros: Int64) {
  guard micros > 0 else { return }
  var ts = timespec(tv_sec: Int(micros / 1_000_000), tv_nsec: Int(micros % 1_000_000) * 1000)
  _ = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, nil)
}
