/*
 Makes one line at a given time: picks the source of the request (the traffic
 model, the replay base, an incident's extra traffic), applies the active
 incidents, and hands the event to the line writer.

 The rate and the incident effects are recomputed only at boundaries
 (`refresh`): every generated second (daily cycle, noise) and whenever an
 incident starts or ends. Between boundaries, a line with no incident active
 costs one Bool test on top of the model.
*/
import Glibc

final class GenEngine {
  let settings: GenSettings
  let model: TrafficModel
  let replay: ReplayBase?
  let click: ClickstreamModel?
  let writer: AccessLineWriter
  let schedule: IncidentSchedule
  let shape: RateShape
  /// The first generated timestamp; incident times are relative to it.
  let origin: EpochMicros
  private var effects = IncidentEffects()
  /// Lines per second now, incidents included.
  private(set) var totalRate = 0.0
  private var extraShare = 0.0
  private var load = 1.0
  /// Relative time of the next refresh.
  private(set) var nextRefresh: Int64 = 0
  private var replayCursor = 0
  private let replayVhost = ByteTable(["www.example.com"])
  /// Copied from the sink: its own flag is a class property, costly to read per line.
  private let lineBuffered: Bool

  init(
    settings: GenSettings, replayParser: LogParser?, command: String, origin: EpochMicros, seed: UInt64, lineBuffered: Bool,
    rng: inout Xoshiro256
  ) throws {
    self.settings = settings
    self.origin = origin
    self.lineBuffered = lineBuffered
    model = TrafficModel(clients: settings.clients, rng: &rng)
    if let path = settings.replay, let replayParser {
      let base = try ReplayBase(path: path, parser: replayParser, command: command)
      if base.count == 0 { throw GenError.nothingToReplay(path: path) }
      replay = base
    } else {
      replay = nil
    }
    click = settings.format == .clickstream
      ? ClickstreamModel(rate: settings.nominalRate, seed: seed, dist: model.dist, rng: &rng) : nil
    writer = AccessLineWriter(format: settings.format, offsetMinutes: settings.zoneMinutes, plainText: settings.replay == nil)
    shape = RateShape(baseRate: settings.nominalRate, diurnal: settings.diurnal, noise: settings.noise, seed: seed)
    let site = model.site
    schedule = IncidentSchedule(settings.incidents, baseRate: settings.nominalRate, rng: &rng) { path in
      site.index(of: path)
    }
    refresh(at: 0)
  }

  /// Recomputes rate and effects for relative time `t`.
  func refresh(at t: Int64) {
    let base = shape.rate(at: origin + t)
    effects = schedule.effects(at: t)
    let organic = base * effects.rateFactor
    totalRate = organic + effects.extraRate
    extraShare = totalRate > 0 ? effects.extraRate / totalRate : 0
    load = totalRate / shape.baseRate
    let nextSecond = (t / 1_000_000 + 1) * 1_000_000
    nextRefresh = min(nextSecond, schedule.nextBoundary(after: t))
  }

  /// Writes one line for absolute time `t`.
  @inline(__always)
  func emit(at t: EpochMicros, rng: inout Xoshiro256, to sink: OutputSink) throws(IOError) {
    if let click {
      click.write(time: writer.timeText(t), rng: &rng, to: sink)
      sink.endLine()
      if lineBuffered { try sink.flush() }
      return
    }
    var e = AccessEvent()
    if effects.active {
      fillWithIncidents(&e, rng: &rng)
    } else if replay != nil {
      fillReplay(&e, rng: &rng)
    } else {
      model.fill(&e, rng: &rng, load: load)
    }
    writer.write(e, time: t, to: sink)
    if lineBuffered { try sink.flush() }
  }

  @inline(__always)
  private func fillReplay(_ e: inout AccessEvent, rng: inout Xoshiro256) {
    guard let replay else { return }
    let i: Int
    if settings.inOrder {
      i = replayCursor
      replayCursor = replayCursor + 1 == replay.count ? 0 : replayCursor + 1
    } else {
      i = rng.below(replay.count)
    }
    let r = replay.records[i]
    e.client = replay.bytes(r.client)
    e.user = replay.bytes(r.user)
    e.method = replay.bytes(r.method)
    e.path = replay.bytes(r.path)
    e.query = replay.bytes(r.query)
    e.protocolName = replay.bytes(r.protocolName)
    e.referer = replay.bytes(r.referer)
    e.agent = replay.bytes(r.agent)
    e.vhost = r.vhost.isEmpty ? replayVhost[0] : replay.bytes(r.vhost)
    e.port = r.port > 0 ? r.port : 80
    e.status = r.status
    e.bytes = r.bytes
    e.endpoint = -1
    let scale = load > 1 ? load * load : 1
    if r.requestMillis >= 0 {
      e.requestMillis = Int(Double(r.requestMillis) * scale)
    } else {
      e.requestMillis = Int(exp(r.latencyMu + 0.55 * model.dist.normal(&rng)) * scale)
    }
  }

  private func fillBase(_ e: inout AccessEvent, rng: inout Xoshiro256) {
    if replay != nil { fillReplay(&e, rng: &rng) } else { model.fill(&e, rng: &rng, load: load) }
  }

  /// The slow path, taken only while an incident is active.
  private func fillWithIncidents(_ e: inout AccessEvent, rng: inout Xoshiro256) {
    if extraShare > 0 && rng.unit() < extraShare {
      var x = rng.unit() * effects.extraRate
      var source = effects.extraSources[effects.extraSources.count - 1].0
      for (i, rate) in effects.extraSources {
        if x < rate { source = i; break }
        x -= rate
      }
      let r = schedule.incidents[source]
      switch r.spec.kind {
      case .scanner:
        model.fillScanner(&e, client: schedule.strings[r.clientIndex], agent: schedule.strings[r.agentIndex], rng: &rng)
      case .crawler:
        if replay != nil {
          fillReplay(&e, rng: &rng)
        } else {
          model.fillEndpoint(&e, endpoint: model.site.crawlerTable.sample(&rng), browser: false, rng: &rng, load: load)
        }
        e.client = schedule.strings[r.clientIndex]
        e.agent = schedule.strings[r.agentIndex]
        e.user = AccessEvent.empty
        e.referer = AccessEvent.empty
      default:  // a spike on one path
        fillBase(&e, rng: &rng)
        if r.spikeEndpoint >= 0 && replay == nil {
          model.fillEndpoint(&e, endpoint: r.spikeEndpoint, browser: true, rng: &rng, load: load)
        } else if r.pathIndex >= 0 {
          e.path = schedule.strings[r.pathIndex]
          e.query = AccessEvent.empty
        }
      }
    } else {
      fillBase(&e, rng: &rng)
    }
    for i in effects.latencyRules where schedule.pathMatches(i, e.path) {
      e.requestMillis = Int(Double(e.requestMillis) * schedule.incidents[i].spec.factor)
    }
    for i in effects.errorRules where schedule.pathMatches(i, e.path) {
      let spec = schedule.incidents[i].spec
      if rng.unit() < spec.ratio { setFailure(&e, status: spec.status, rng: &rng) }
    }
    if effects.failingStatus != 0 { setFailure(&e, status: effects.failingStatus, rng: &rng) }
  }

  /// An injected failure: fast for 502/503 (the proxy answers), slow for 504.
  private func setFailure(_ e: inout AccessEvent, status: Int, rng: inout Xoshiro256) {
    e.status = status
    switch status {
    case 502, 503:
      e.bytes = 341
      e.requestMillis = 1 + rng.below(8)
    case 504:
      e.bytes = 341
      e.requestMillis = 30_000 + rng.below(500)
    case 500..<600: e.bytes = 1815
    default: e.bytes = 1532
    }
  }
}

/// Why the generator cannot run with its configuration.
package enum GenError: Error, CustomStringConvertible {
  case nothingToReplay(path: String)

  package var description: String {
    switch self {
    case .nothingToReplay(let path): "\(path): no requests to replay"
    }
  }
}
