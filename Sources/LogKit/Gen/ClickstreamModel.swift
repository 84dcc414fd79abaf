/*
 `--format clickstream`: user sessions on a course shop, as NDJSON.

   {"time":"2025-07-01T00:00:03Z","user":"u1042","session":"s3f9a0c12d4e1","course":"swift-basics","action":"view"}
   {"time":"2025-07-01T00:00:41Z","user":"u1042","session":"s3f9a0c12d4e1","course":"swift-basics","action":"add_to_cart"}
   {"time":"2025-07-01T00:01:15Z","user":"u1042","session":"s3f9a0c12d4e1","action":"purchase","amount":49.99}

 A pool of concurrent sessions is kept; each line advances a random one, so a
 session's clicks are spread out in time (about 20 s apart on average, the
 pool holds rate x 20 s sessions) and interleave with others, as session
 windows expect. A session lasts 1 + Exp(5) clicks (mean about 6); a course
 view leads to add_to_cart 6% of the time; a session ending with a full cart
 buys 30% of the time, for an overall conversion near 3 to 5 percent.
 Returning users are drawn with Zipf popularity from 5 x pool-size users.
*/

private struct Session {
  var user: Int
  var id: UInt64
  var remaining: Int
  var cartCents: Int
  var lastCourse: Int
}

final class ClickstreamModel {
  private let courses = ByteTable([
    "swift-basics", "python-for-data", "sql-in-a-day", "rust-ownership", "docker-essentials", "kubernetes-intro",
    "git-mastery", "linux-shell", "web-performance", "typescript-deep-dive", "go-concurrency", "machine-learning-101",
    "statistics-refresher", "system-design", "security-basics", "react-patterns", "postgres-tuning", "unix-pipelines",
  ])
  private let pricesCents = [4999, 5999, 2999, 6999, 3999, 5999, 1999, 2499, 4499, 5499, 4999, 7999, 2999, 8999, 3499,
                             4999, 6499, 1999]
  private let pages = ByteTable(["/", "/catalog", "/pricing", "/about", "/blog", "/login", "/account", "/faq"])
  private let pageTable = AliasTable(weights: [30, 25, 12, 4, 10, 8, 7, 4])
  private let courseTable: AliasTable
  private let userTable: AliasTable
  private let sessions: UnsafeMutablePointer<Session>
  private let poolSize: Int
  private var nextSession: UInt64 = 0
  private let seed: UInt64
  private let dist: Distributions

  init(rate: Double, seed: UInt64, dist: Distributions, rng: inout Xoshiro256) {
    self.seed = seed
    self.dist = dist
    poolSize = Int(min(max(rate * 20, 50), 200_000))
    courseTable = AliasTable(weights: AliasTable.zipfWeights(count: 18, exponent: 1.1))
    userTable = AliasTable(weights: AliasTable.zipfWeights(count: poolSize * 5, exponent: 0.8))
    sessions = .allocate(capacity: poolSize)
    for i in 0..<poolSize {
      sessions.advanced(by: i).initialize(to: Session(user: 0, id: 0, remaining: 0, cartCents: 0, lastCourse: -1))
      startSession(i, rng: &rng)
    }
  }

  deinit { sessions.deallocate() }

  private func startSession(_ i: Int, rng: inout Xoshiro256) {
    var mix = SplitMix64(seed: seed ^ nextSession)
    nextSession &+= 1
    sessions[i] = Session(
      user: userTable.sample(&rng), id: mix.next() & 0xFFFF_FFFF_FFFF,
      remaining: 1 + Int(dist.exponential(&rng) * 5), cartCents: 0, lastCourse: -1)
  }

  /// Writes the next event of a random session (without the newline).
  /// All text is from the tables above: plain ASCII, so no escaping is needed.
  func write(time: UnsafeRawBufferPointer, rng: inout Xoshiro256, to sink: OutputSink) {
    let i = rng.below(poolSize)
    var s = sessions[i]
    s.remaining -= 1
    var line = RawLine(sink: sink, capacity: 192)
    line.put("{\"time\":")
    line.put(time)
    line.put(",\"user\":\"u")
    line.putInt(s.user + 1)
    line.put("\",\"session\":\"s")
    appendHex(s.id, &line)
    let roll = rng.unit()
    if s.remaining == 0 && s.cartCents > 0 && roll < 0.3 {
      line.put("\",\"action\":\"purchase\",\"amount\":")
      line.putInt(s.cartCents / 100)
      var cents = s.cartCents % 100
      if cents != 0 {
        line.put(UInt8(ascii: "."))
        line.put(UInt8(truncatingIfNeeded: cents / 10) &+ 48)
        cents %= 10
        if cents != 0 { line.put(UInt8(truncatingIfNeeded: cents) &+ 48) }
      }
      line.put(UInt8(ascii: "}"))
    } else if s.lastCourse >= 0 && roll < 0.06 {
      line.put("\",\"course\":\"")
      line.put(courses[s.lastCourse])
      line.put("\",\"action\":\"add_to_cart\"}")
      s.cartCents += pricesCents[s.lastCourse]
    } else if roll < 0.65 {
      let c = courseTable.sample(&rng)
      s.lastCourse = c
      line.put("\",\"course\":\"")
      line.put(courses[c])
      line.put("\",\"action\":\"view\"}")
    } else {
      line.put("\",\"page\":\"")
      line.put(pages[pageTable.sample(&rng)])
      line.put("\",\"action\":\"view\"}")
    }
    line.commit(to: sink)
    sessions[i] = s
    if s.remaining <= 0 { startSession(i, rng: &rng) }
  }

  private func appendHex(_ value: UInt64, _ line: inout RawLine) {
    var shift = 44
    while shift >= 0 {
      let digit = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & 0xF)
      line.put(digit < 10 ? digit &+ 48 : digit &+ 87)
      shift -= 4
    }
  }
}
