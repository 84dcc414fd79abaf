/*
 The simulated web site: pages, API endpoints and static assets.

 The site is fixed (not seeded) so incident paths such as /checkout always
 exist. Popularity is Zipf within each kind (rank = order below), mixed by
 kind share: assets are most requests, as on a real site where one page view
 pulls several assets. Each endpoint carries its own median size and latency,
 so /search is slow, /static/js/app.js is big and always the same size.
*/
import Glibc

package enum EndpointKind: UInt8, Sendable {
  case page, api, asset, meta
}

/// Per-endpoint parameters, plain data read by the hot loop.
struct EndpointInfo {
  var kind: EndpointKind
  var isPost: Bool
  var vhost: Int
  /// ln of the median body size in bytes (for 2xx responses).
  var sizeMu: Double
  /// ln of the median request time in milliseconds.
  var latencyMu: Double
  var queryStart: Int
  var queryCount: Int
  var queryChance: Double
  /// Index into `internalReferers` when this endpoint is a page, else -1.
  var pageIndex: Int
}

package final class SiteMap {
  package let paths: ByteTable
  let methods = ByteTable(["GET", "POST"])
  let vhosts = ByteTable(["www.example.com", "api.example.com", "static.example.com"])
  let queries: ByteTable
  /// `https://www.example.com/<page>`, one per page, for internal referers.
  let internalReferers: ByteTable
  let endpoints: UnsafeMutablePointer<EndpointInfo>
  package let count: Int
  /// Browser traffic over every endpoint.
  let browserTable: AliasTable
  /// Crawlers: pages (flatter popularity), robots.txt and sitemap.xml.
  let crawlerTable: AliasTable
  /// Scripts and monitors: the API.
  let scriptTable: AliasTable
  /// Pages only, by popularity: referers and crawler bursts.
  let pageTable: AliasTable
  /// Endpoint index of each page (pageTable samples index into this).
  let pageEndpoints: [Int]

  package init() {
    var b = SiteBuilder()
    b.build()
    count = b.paths.count
    paths = ByteTable(b.paths)
    queries = ByteTable(b.queries)
    endpoints = .allocate(capacity: count)
    endpoints.initialize(from: b.infos, count: count)
    pageEndpoints = b.infos.indices.filter { b.infos[$0].kind == .page }
    internalReferers = ByteTable(pageEndpoints.map { "https://www.example.com" + b.paths[$0] })
    browserTable = AliasTable(weights: b.weights)
    crawlerTable = AliasTable(weights: b.infos.indices.map { i in
      switch b.infos[i].kind {
      case .page: return 1 / pow(b.rankInKind[i], 0.3)
      case .meta: return 0.6
      default: return 0
      }
    })
    scriptTable = AliasTable(weights: b.infos.indices.map { i in
      b.infos[i].kind == .api ? 1 / b.rankInKind[i] : 0
    })
    pageTable = AliasTable(weights: pageEndpoints.map { b.weights[$0] })
  }

  deinit { endpoints.deallocate() }

  /// Index of the first endpoint whose path is `path`, for tests and messages.
  package func index(of path: String) -> Int? {
    (0..<count).first { paths.string($0) == path }
  }

  package func kind(_ i: Int) -> EndpointKind { endpoints[i].kind }
}

/// Lays out the site; kept apart from SiteMap so the tables stay immutable.
private struct SiteBuilder {
  var paths: [String] = []
  var infos: [EndpointInfo] = []
  var weights: [Double] = []
  var rankInKind: [Double] = []
  var queries: [String] = [""]
  private var ranks: [EndpointKind: Int] = [:]
  private let share: [EndpointKind: Double] = [.asset: 0.55, .page: 0.27, .api: 0.175, .meta: 0.005]
  private let zipf: [EndpointKind: Double] = [.asset: 1.0, .page: 1.05, .api: 0.9, .meta: 1.0]

  mutating func queryRange(_ values: [String]) -> (Int, Int) {
    let start = queries.count
    queries += values
    return (start, values.count)
  }

  mutating func add(
    _ path: String, _ kind: EndpointKind, size: Double, latency: Double, post: Bool = false,
    query: (Int, Int) = (0, 0), queryChance: Double = 0
  ) {
    let rank = (ranks[kind] ?? 0) + 1
    ranks[kind] = rank
    let vhost = kind == .api ? 1 : kind == .asset ? 2 : 0
    paths.append(path)
    rankInKind.append(Double(rank))
    infos.append(EndpointInfo(
      kind: kind, isPost: post, vhost: vhost, sizeMu: log(size), latencyMu: log(latency),
      queryStart: query.0, queryCount: query.1, queryChance: queryChance, pageIndex: -1))
  }

  mutating func build() {
    let terms = ["shoes", "running+shoes", "jacket", "swift", "gift+card", "backpack", "sale", "laptop+bag",
                 "socks", "rain+coat", "yoga+mat", "headphones", "water+bottle", "t-shirt", "hoodie", "tent"]
    let search = queryRange(terms.map { "q=" + $0 })
    let paging = queryRange((1...12).map { "page=\($0)" } + ["sort=price&page=1", "sort=new&page=1", "sort=rating"])
    let campaign = queryRange(["utm_source=newsletter&utm_medium=email", "utm_source=google&utm_medium=cpc", "ref=home"])
    let products = ["trail-runner-2", "city-backpack", "merino-socks", "storm-jacket", "yoga-mat-pro", "camp-tent-3",
                    "steel-bottle", "wool-hoodie", "studio-headphones", "travel-pouch", "rain-shell", "canvas-tote",
                    "gift-card", "down-vest", "hiking-poles", "sun-cap", "laptop-sleeve", "sport-tee", "fleece", "duffel"]
    let categories = ["men", "women", "kids", "outdoor", "travel", "sale", "new", "accessories"]
    let posts = ["spring-collection", "how-to-choose-running-shoes", "packing-list", "care-guide", "our-story-2025",
                 "trail-report-alps", "gift-ideas", "sustainability", "size-guide-explained", "behind-the-seams"]

    // Pages, most popular first.
    add("/", .page, size: 24_000, latency: 45, query: campaign, queryChance: 0.1)
    add("/products", .page, size: 38_000, latency: 70, query: paging, queryChance: 0.5)
    for p in products.prefix(8) { add("/products/" + p, .page, size: 31_000, latency: 60, query: campaign, queryChance: 0.05) }
    add("/search", .page, size: 29_000, latency: 160, query: search, queryChance: 1)
    add("/cart", .page, size: 14_000, latency: 55)
    add("/checkout", .page, size: 18_000, latency: 90)
    for c in categories { add("/category/" + c, .page, size: 35_000, latency: 65, query: paging, queryChance: 0.3) }
    add("/login", .page, size: 9_000, latency: 30)
    add("/account", .page, size: 16_000, latency: 80)
    for p in products.dropFirst(8) { add("/products/" + p, .page, size: 30_000, latency: 60) }
    for p in posts { add("/blog/" + p, .page, size: 42_000, latency: 40) }
    add("/about", .page, size: 12_000, latency: 25)
    add("/contact", .page, size: 10_000, latency: 25)
    add("/help/shipping", .page, size: 15_000, latency: 30)
    add("/help/returns", .page, size: 15_000, latency: 30)

    // API.
    add("/api/v1/products", .api, size: 6_500, latency: 35, query: paging, queryChance: 0.6)
    add("/api/v1/cart", .api, size: 900, latency: 20)
    add("/api/v1/recommendations", .api, size: 3_200, latency: 85)
    add("/api/v1/events", .api, size: 40, latency: 8, post: true)
    add("/api/v1/search", .api, size: 4_800, latency: 140, query: search, queryChance: 1)
    add("/api/v1/cart", .api, size: 950, latency: 45, post: true)
    for i in 0..<12 { add("/api/v1/products/\(1001 + i * 7)", .api, size: 1_800, latency: 25) }
    add("/api/v1/checkout", .api, size: 600, latency: 320, post: true)
    add("/api/v1/login", .api, size: 350, latency: 120, post: true)
    add("/api/v1/health", .api, size: 15, latency: 2)

    // Static assets: fixed sizes (sigma is tiny for assets, see TrafficModel).
    add("/static/js/app.3f9c2e1.js", .asset, size: 182_344, latency: 2)
    add("/static/css/main.8a41d0b.css", .asset, size: 48_212, latency: 1.5)
    add("/static/js/vendor.c07e55a.js", .asset, size: 412_907, latency: 3)
    add("/static/img/logo.svg", .asset, size: 3_412, latency: 1)
    add("/favicon.ico", .asset, size: 15_086, latency: 0.8)
    add("/static/fonts/inter-var.woff2", .asset, size: 98_324, latency: 2)
    for (i, p) in products.enumerated() { add("/static/img/products/\(p).jpg", .asset, size: Double(40_000 + i * 3_517), latency: 2) }
    add("/static/img/hero-spring.webp", .asset, size: 156_211, latency: 2.5)

    add("/robots.txt", .meta, size: 312, latency: 1)
    add("/sitemap.xml", .meta, size: 18_450, latency: 6)

    // Weights: kind share times normalised Zipf within the kind; page indices.
    var sums: [EndpointKind: Double] = [:]
    for i in infos.indices { sums[infos[i].kind, default: 0] += 1 / pow(rankInKind[i], zipf[infos[i].kind] ?? 1) }
    var pageNumber = 0
    for i in infos.indices {
      let kind = infos[i].kind
      weights.append((share[kind] ?? 0) / pow(rankInKind[i], zipf[kind] ?? 1) / (sums[kind] ?? 1))
      if kind == .page { infos[i].pageIndex = pageNumber; pageNumber += 1 }
    }
  }
}
