/*
 The synthetic traffic: turns random numbers into one plausible request.

 A request is drawn client first (who is asking decides what is asked: a
 crawler fetches pages and robots.txt, a script calls the API, a browser
 anything), then the endpoint by Zipf popularity, then the status from the
 endpoint kind's mix, a log-normal size around the endpoint's median, a
 log-normal request time around its median latency scaled by load, and a
 referer (an internal page, a search engine, or none).
*/
import Glibc

package final class TrafficModel {
  package let site: SiteMap
  package let clients: ClientPool
  let dist = Distributions()
  private let protocols = ByteTable(["HTTP/1.1", "HTTP/2.0", "HTTP/1.0"])
  private let protocolTable = AliasTable(weights: [55, 43, 2])
  private let searchReferers = ByteTable([
    "https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/", "https://t.co/",
    "https://www.facebook.com/", "https://www.google.de/",
  ])
  private let searchRefererTable = AliasTable(weights: [60, 12, 8, 6, 8, 6])
  /// Paths scanners probe; none exists on the site.
  package let scanPaths = ByteTable([
    "/wp-login.php", "/.env", "/.git/config", "/phpmyadmin/index.php", "/admin/config.php", "/wp-admin/setup-config.php",
    "/xmlrpc.php", "/cgi-bin/luci", "/actuator/env", "/server-status", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/backup.zip", "/db.sql", "/.aws/credentials", "/config.json", "/api/.env", "/owa/auth/logon.aspx",
    "/solr/admin/info/system", "/HNAP1/", "/boaform/admin/formLogin", "/.DS_Store", "/wp-content/plugins/revslider/",
    "/console/", "/debug/default/view", "/manager/html", "/login.action", "/.well-known/security.txt.bak",
  ])
  private let statusCodes: [EndpointKind: [Int]] = [
    .page: [200, 301, 302, 304, 404, 500, 502, 503],
    .asset: [200, 304, 404, 206],
    .api: [200, 400, 401, 403, 404, 429, 500, 502, 503],
    .meta: [200, 304],
  ]
  /// Status code arrays and their alias tables, by EndpointKind.rawValue.
  private let statusValues: [UnsafeMutablePointer<Int>]
  private let statusTables: [AliasTable]

  package init(clients clientCount: Int, rng: inout Xoshiro256) {
    site = SiteMap()
    clients = ClientPool(count: clientCount, rng: &rng)
    let weights: [EndpointKind: [Double]] = [
      .page: [955, 5, 10, 10, 15, 3.5, 0.8, 0.7],
      .asset: [775, 200, 12, 5],
      .api: [955, 10, 14, 3, 9, 3, 5, 0.6, 0.4],
      .meta: [90, 10],
    ]
    var values: [UnsafeMutablePointer<Int>] = []
    var tables: [AliasTable] = []
    for kind in [EndpointKind.page, .api, .asset, .meta] {
      let codes = statusCodes[kind] ?? [200]
      let pointer = UnsafeMutablePointer<Int>.allocate(capacity: codes.count)
      pointer.initialize(from: codes, count: codes.count)
      values.append(pointer)
      tables.append(AliasTable(weights: weights[kind] ?? [1]))
    }
    statusValues = values
    statusTables = tables
  }

  deinit { for p in statusValues { p.deallocate() } }

  /// Fills `e` with an ordinary request. `load` is the current rate over the base rate.
  @inline(__always)
  func fill(_ e: inout AccessEvent, rng: inout Xoshiro256, load: Double) {
    let c = clients.table.sample(&rng)
    let info = clients.clients[c]
    let endpoint: Int
    switch info.kind {
    case .desktop, .mobile: endpoint = site.browserTable.sample(&rng)
    case .crawler: endpoint = site.crawlerTable.sample(&rng)
    case .script: endpoint = site.scriptTable.sample(&rng)
    }
    e.client = clients.addresses[c]
    e.user = info.user < 0 ? AccessEvent.empty : clients.users[info.user]
    e.agent = clients.agents[info.agent]
    fillEndpoint(&e, endpoint: endpoint, browser: info.kind.rawValue <= ClientKind.mobile.rawValue, rng: &rng, load: load)
  }

  /// Fills everything but the client, user and agent for a request to `endpoint`.
  @inline(__always)
  func fillEndpoint(_ e: inout AccessEvent, endpoint: Int, browser: Bool, rng: inout Xoshiro256, load: Double) {
    let ep = site.endpoints[endpoint]
    e.endpoint = endpoint
    e.path = site.paths[endpoint]
    e.method = site.methods[ep.isPost ? 1 : 0]
    e.vhost = site.vhosts[ep.vhost]
    e.port = 443
    e.query = AccessEvent.empty
    if ep.queryCount > 0 && rng.chance(ep.queryChance) {
      e.query = site.queries[ep.queryStart + rng.below(ep.queryCount)]
    }
    e.protocolName = protocols[browser ? protocolTable.sample(&rng) : 0]
    // Referer: assets and API calls come from a page; pages from pages, search or nothing.
    e.referer = AccessEvent.empty
    if browser {
      let r = rng.next() >> 54  // 0..<1024
      if ep.kind == .asset || ep.kind == .api {
        if r < 960 { e.referer = site.internalReferers[site.pageTable.sample(&rng)] }
      } else if r < 460 {
        e.referer = site.internalReferers[site.pageTable.sample(&rng)]
      } else if r < 720 {
        e.referer = searchReferers[searchRefererTable.sample(&rng)]
      }
    }
    let kindIndex = Int(ep.kind.rawValue)
    e.status = statusValues[kindIndex][statusTables[kindIndex].sample(&rng)]
    if ep.kind == .page && rng.next() >> 58 == 0 {  // 1 in 64: plain http, redirected
      e.port = 80
      e.status = 301
    }
    setSizeAndTime(&e, ep, rng: &rng, load: load, latencyFactor: 1)
  }

  /// Body size and request time for the status already in `e`.
  @inline(__always)
  func setSizeAndTime(_ e: inout AccessEvent, _ ep: EndpointInfo, rng: inout Xoshiro256, load: Double, latencyFactor: Double) {
    var latencyMu = ep.latencyMu
    let z = dist.normal(&rng)
    switch e.status {
    case 200, 201:
      switch ep.kind {
      case .asset: e.bytes = Int(exp(ep.sizeMu))
      case .page: e.bytes = Int(exp(ep.sizeMu + 0.18 * z))
      default: e.bytes = Int(exp(ep.sizeMu + 0.7 * z))
      }
    case 206: e.bytes = Int(exp(ep.sizeMu)) / 3
    case 304: e.bytes = 0; latencyMu -= 0.7
    case 301, 302: e.bytes = 162 + (e.status & 7) * 9; latencyMu = 0
    case 400..<500: e.bytes = ep.kind == .api ? 60 + Int(z * 8 + 20) : 1532; latencyMu -= 0.5
    case 502, 503: e.bytes = 341; latencyMu = 1.1
    case 504: e.bytes = 341; latencyMu = 10.3
    default: e.bytes = ep.kind == .api ? 92 : 1815; latencyMu += 0.4
    }
    let scale = load > 1 ? load * load : 1  // queueing: latency grows faster than load
    let millis = exp(latencyMu + 0.55 * dist.normal(&rng)) * scale * latencyFactor
    e.requestMillis = Int(millis)
  }

  /// A scanner's request: one address probing paths that do not exist.
  @inline(__always)
  func fillScanner(_ e: inout AccessEvent, client: UnsafeRawBufferPointer, agent: UnsafeRawBufferPointer, rng: inout Xoshiro256) {
    e.client = client
    e.agent = agent
    e.user = AccessEvent.empty
    e.referer = AccessEvent.empty
    e.endpoint = -1
    e.path = scanPaths[rng.below(scanPaths.count)]
    e.query = AccessEvent.empty
    e.method = site.methods[rng.next() >> 61 == 0 ? 1 : 0]
    e.protocolName = protocols[0]
    e.vhost = site.vhosts[0]
    e.port = 443
    e.status = rng.next() >> 60 == 0 ? 403 : 404
    e.bytes = 1532
    e.requestMillis = Int(exp(1.2 + 0.4 * dist.normal(&rng)))
  }
}
