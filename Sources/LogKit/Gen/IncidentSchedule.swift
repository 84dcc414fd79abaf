/*
 The incidents of a run, resolved against the traffic model, and what they do
 at a given moment.

 The run loop asks for `effects(at:)` only at boundaries (a second passed, an
 incident started or ended), so the per-line cost when nothing is active is
 one Bool test. Extra traffic (scanner, crawler, a spike on one path) is
 expressed as extra lines per second; the loop adds it to the base rate and
 picks which source each line comes from by its share.
*/

/// An incident with its defaults filled in and its byte strings prepared.
struct ResolvedIncident {
  var spec: Incident
  /// Path prefix bytes (errors, latency, spike), client address, user agent.
  var pathIndex = -1
  var clientIndex = -1
  var agentIndex = -1
  /// Endpoint hit by a spike on a path, -1 when the path is not in the site map.
  var spikeEndpoint = -1
  var rate = 0.0
}

/// What the active incidents do now.
struct IncidentEffects {
  /// True when any incident is active: the only test on the hot path otherwise.
  var active = false
  /// Multiplies the base rate (spike without a path, outage drop).
  var rateFactor = 1.0
  /// Extra lines per second from `extraSources`.
  var extraRate = 0.0
  /// (incident index, its extra rate) for scanner, crawler, spike with a path.
  var extraSources: [(Int, Double)] = []
  var errorRules: [Int] = []
  var latencyRules: [Int] = []
  /// Outage in `mode=errors`: every request gets this status.
  var failingStatus = 0
}

final class IncidentSchedule {
  var incidents: [ResolvedIncident]
  /// Path prefixes, client addresses and agents the incidents use.
  let strings: ByteTable
  /// Which incidents have been written to the truth file.
  var reported: [Bool]

  /// - Parameters:
  ///   - baseRate: lines per second the defaults of scanner and crawler rates derive from.
  ///   - endpointFor: the site-map endpoint of an exact path, for spikes on a path.
  init(_ specs: [Incident], baseRate: Double, rng: inout Xoshiro256, endpointFor: (String) -> Int?) {
    var texts: [String] = []
    func intern(_ s: String) -> Int {
      texts.append(s)
      return texts.count - 1
    }
    var resolved: [ResolvedIncident] = []
    for spec in specs {
      var r = ResolvedIncident(spec: spec)
      if let path = spec.path { r.pathIndex = intern(path) }
      switch spec.kind {
      case .scanner:
        let scanners = ["45.148.10.", "185.220.101.", "193.32.162.", "89.248.165."]
        let client = spec.client ?? scanners[rng.below(scanners.count)] + String(2 + rng.below(250))
        r.spec.client = client
        r.clientIndex = intern(client)
        r.agentIndex = intern(UserAgents.scanners[rng.below(UserAgents.scanners.count)])
        r.rate = spec.rate ?? max(5, baseRate * 0.2)
      case .crawler:
        let which = UserAgents.crawlerNames.firstIndex(of: spec.agent) ?? 0
        let client = spec.client ?? UserAgents.crawlerPrefixes[which] + String(1 + rng.below(254))
        r.spec.client = client
        r.clientIndex = intern(client)
        r.agentIndex = intern(UserAgents.crawlers[which])
        r.rate = spec.rate ?? max(5, baseRate)
      case .spike:
        if let path = spec.path {
          r.spikeEndpoint = endpointFor(path) ?? -1
          r.rate = baseRate * max(spec.factor - 1, 0)
        }
      default: break
      }
      r.spec.rate = r.rate > 0 ? r.rate : nil
      resolved.append(r)
    }
    incidents = resolved
    strings = ByteTable(texts)
    reported = [Bool](repeating: false, count: resolved.count)
  }

  /// The effects at `t` (relative microseconds).
  func effects(at t: Int64) -> IncidentEffects {
    var e = IncidentEffects()
    for (i, r) in incidents.enumerated() where r.spec.at <= t && t < r.spec.end {
      e.active = true
      switch r.spec.kind {
      case .errors: e.errorRules.append(i)
      case .latency: e.latencyRules.append(i)
      case .spike:
        if r.spec.path == nil { e.rateFactor *= r.spec.factor } else { e.extraSources.append((i, r.rate)) }
      case .scanner, .crawler: e.extraSources.append((i, r.rate))
      case .outage:
        if r.spec.failing { e.failingStatus = r.spec.status } else { e.rateFactor *= r.spec.factor }
      }
    }
    e.extraRate = e.extraSources.reduce(0) { $0 + $1.1 }
    return e
  }

  /// The first incident start or end after `t`, or Int64.max.
  func nextBoundary(after t: Int64) -> Int64 {
    var next = Int64.max
    for r in incidents {
      if r.spec.at > t { next = min(next, r.spec.at) }
      if r.spec.end > t { next = min(next, r.spec.end) }
    }
    return next
  }

  @inline(__always)
  func pathMatches(_ i: Int, _ path: UnsafeRawBufferPointer) -> Bool {
    let index = incidents[i].pathIndex
    return index < 0 || hasPrefix(path, strings[index])
  }
}
