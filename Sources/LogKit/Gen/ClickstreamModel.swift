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

  /// Writes the next event of a random session.
  func write(time: UnsafeRawBufferPointer, rng: inout Xoshiro256, to sink: OutputSink) {
    let i = rng.below(poolSize)
    var s = sessions[i]
    s.remaining -= 1
    sink.beginObject()
    sink.key("time"); sink.valuePrefix(); sink.append(time)
    sink.key("user"); sink.valuePrefix(); sink.append("\"u"); sink.appendInt(s.user + 1); sink.append(UInt8(ascii: "\""))
    sink.key("session"); sink.valuePrefix(); sink.append("\"s"); appendHex(s.id, sink); sink.append(UInt8(ascii: "\""))
    let roll = rng.unit()
    if s.remaining == 0 && s.cartCents > 0 && roll < 0.3 {
      sink.key("action"); sink.valuePrefix(); sink.append("\"purchase\"")
      sink.key("amount"); sink.valuePrefix(); sink.appendFixedPoint(Int64(s.cartCents), scaleDigits: 2)
    } else if s.lastCourse >= 0 && roll < 0.06 {
      sink.key("course"); sink.value(string: courses[s.lastCourse])
      sink.key("action"); sink.valuePrefix(); sink.append("\"add_to_cart\"")
      s.cartCents += pricesCents[s.lastCourse]
    } else if roll < 0.65 {
      let c = courseTable.sample(&rng)
      s.lastCourse = c
      sink.key("course"); sink.value(string: courses[c])
      sink.key("action"); sink.valuePrefix(); sink.append("\"view\"")
    } else {
      sink.key("page"); sink.value(string: pages[pageTable.sample(&rng)])
      sink.key("action"); sink.valuePrefix(); sink.append("\"view\"")
    }
    sink.endObject()
    sessions[i] = s
    if s.remaining <= 0 { startSession(i, rng: &rng) }
  }

  private func appendHex(_ value: UInt64, _ sink: OutputSink) {
    let digits: StaticString = "0123456789abcdef"
    var shift = 44
    while shift >= 0 {
      sink.append(digits.utf8Start[Int((value >> UInt64(shift)) & 0xF)])
      shift -= 4
    }
  }
}
