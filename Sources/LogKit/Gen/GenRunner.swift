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
                            times faster than real time

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
    while n < limit {
      let rt = Int64(vt)
      if rt >= end { break }
      if rt >= engine.nextRefresh {
        try boundary(rt)
        if Signals.interrupted { break }
      }
      try engine.emit(at: engine.origin &+ rt, rng: &rng, to: sink)
      lastTime = rt
      n &+= 1
      let rate = engine.totalRate
      if rate > 1e-9 {
        vt += dist.exponential(&rng) * 1_000_000 / rate
      } else {
        vt = Double(max(engine.nextRefresh, rt + 1))
      }
      if n & 63 == 0 {
        if let failure = sink.failure { throw failure }
        if let speedup = paced { try pace(wallStart: wallStart, generated: vt, speedup: speedup) }
        if n & 0xFFFF == 0 && Signals.interrupted { break }
      }
    }
  }

  /// Sleeps until real time has caught up with generated time / speedup.
  private func pace(wallStart: Int64, generated: Double, speedup: Double) throws {
    let due = wallStart + Int64(generated / speedup)
    let now = monotonicMicros()
    if due - now > 2000 {
      try sink.flush()
      sleepMicros(min(due - now, 50_000))
    }
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
