/*
 The population of clients: addresses, the agent each one uses, logged-in users.

 Popularity is Zipf over a random order, so a few clients (offices behind NAT,
 monitors, busy crawlers) send a large share of the requests, as in real logs.
 About one address in six is IPv6. A client keeps its user agent for the whole
 run, so per-client statistics look coherent.
*/

struct ClientInfo {
  var kind: ClientKind
  var agent: Int
  /// Index into `users`, or -1 for `-`.
  var user: Int
}

package final class ClientPool {
  package let addresses: ByteTable
  let agents = ByteTable(UserAgents.all)
  let users: ByteTable
  let clients: UnsafeMutablePointer<ClientInfo>
  package let count: Int
  let table: AliasTable

  /// - Parameters:
  ///   - count: number of distinct clients.
  ///   - ipv6Share: fraction of IPv6 addresses among non-crawlers.
  package init(count: Int, ipv6Share: Double = 0.16, rng: inout Xoshiro256) {
    self.count = max(count, 1)
    let n = self.count
    let userNames = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
                     "mallory", "oscar", "peggy", "trent", "victor", "walter"]
    users = ByteTable(userNames)
    let desktop = AliasTable(weights: UserAgents.desktopWeights)
    let mobile = AliasTable(weights: UserAgents.mobileWeights)
    let crawler = AliasTable(weights: UserAgents.crawlerWeights)
    let script = AliasTable(weights: UserAgents.scriptWeights)
    let kinds = AliasTable(weights: [52, 38, 4, 6])  // desktop, mobile, crawler, script
    var texts: [String] = []
    texts.reserveCapacity(n)
    clients = .allocate(capacity: n)
    for i in 0..<n {
      let kind = ClientKind(rawValue: UInt8(kinds.sample(&rng))) ?? .desktop
      var info = ClientInfo(kind: kind, agent: 0, user: -1)
      switch kind {
      case .desktop: info.agent = desktop.sample(&rng)
      case .mobile: info.agent = UserAgents.desktop.count + mobile.sample(&rng)
      case .crawler: info.agent = UserAgents.crawlerBase + crawler.sample(&rng)
      case .script: info.agent = UserAgents.scriptBase + script.sample(&rng)
      }
      if kind == .crawler {
        texts.append(UserAgents.crawlerPrefixes[info.agent - UserAgents.crawlerBase] + String(1 + rng.below(254)))
      } else {
        texts.append(rng.chance(ipv6Share) ? Self.randomIPv6(&rng) : Self.randomIPv4(&rng))
        if kind != .script && rng.chance(0.05) { info.user = rng.below(userNames.count) }
      }
      clients.advanced(by: i).initialize(to: info)
    }
    addresses = ByteTable(texts)
    // Crawlers are frequent but rarely the very top talkers; their weight is scaled down.
    var weights = AliasTable.zipfWeights(count: n, exponent: 0.8)
    for i in 0..<n where clients[i].kind == .crawler { weights[i] *= 0.3 }
    table = AliasTable(weights: weights)
  }

  deinit { clients.deallocate() }

  package func kind(_ i: Int) -> ClientKind { clients[i].kind }

  /// A public-looking IPv4 address (first octets from ranges real ISPs use).
  package static func randomIPv4(_ rng: inout Xoshiro256) -> String {
    let firsts = [24, 31, 46, 62, 68, 71, 73, 77, 79, 81, 82, 84, 86, 88, 90, 92, 98, 104, 108, 109, 151, 176, 178,
                  185, 188, 190, 195, 201, 203, 212, 213, 217]
    let first = firsts[rng.below(firsts.count)]
    return "\(first).\(rng.below(256)).\(rng.below(256)).\(1 + rng.below(254))"
  }

  /// An IPv6 address in compressed form, from a few real allocation prefixes.
  package static func randomIPv6(_ rng: inout Xoshiro256) -> String {
    let prefixes = ["2a02:", "2600:", "2001:4860:", "2a01:", "2605:", "2409:"]
    var text = prefixes[rng.below(prefixes.count)]
    let groups = text.split(separator: ":").count
    for g in groups..<4 { text += String(rng.below(0x10000), radix: 16) + (g < 3 ? ":" : "") }
    text += "::" + String(1 + rng.below(0xFFFF), radix: 16)
    return text
  }
}
