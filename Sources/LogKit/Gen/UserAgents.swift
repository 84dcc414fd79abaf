/*
 The user agents loggen writes, grouped by the kind of client that sends them.

 Browser strings are current desktop and mobile ones; crawlers identify as
 Googlebot and bingbot (with the address ranges they really use, see
 ClientPool); scripts are curl, python-requests and friends.
*/

package enum ClientKind: UInt8, Sendable {
  case desktop, mobile, crawler, script
}

enum UserAgents {
  static let desktop = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.68",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
  ]
  static let desktopWeights: [Double] = [40, 14, 9, 10, 4, 18, 3]

  static let mobile = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
  ]
  static let mobileWeights: [Double] = [45, 35, 6, 8, 6]

  /// Crawler names usable in `crawler agent=NAME` incidents, with their strings.
  static let crawlerNames = ["googlebot", "bingbot", "yandexbot", "ahrefsbot"]
  static let crawlers = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
  ]
  static let crawlerWeights: [Double] = [55, 30, 8, 7]
  /// Address prefixes the crawlers really crawl from (first three octets; the last is random).
  static let crawlerPrefixes = ["66.249.66.", "157.55.39.", "5.255.231.", "54.36.148."]

  static let scripts = [
    "curl/8.5.0", "python-requests/2.31.0", "Go-http-client/1.1", "Wget/1.21.4", "okhttp/4.12.0",
    "Prometheus/2.51.0",
  ]
  static let scriptWeights: [Double] = [35, 30, 12, 5, 10, 8]

  /// What scanners send: mostly honest tool names.
  static let scanners = [
    "Mozilla/5.0 zgrab/0.x", "sqlmap/1.8.4#stable (https://sqlmap.org)", "Mozilla/5.0 (compatible; Nuclei)",
    "python-requests/2.28.1", "Nikto/2.5.0",
  ]

  /// Every string, in one table: desktop, mobile, crawlers, scripts, scanners.
  static var all: [String] { desktop + mobile + crawlers + scripts + scanners }
  static var crawlerBase: Int { desktop.count + mobile.count }
  static var scriptBase: Int { crawlerBase + crawlers.count }
  static var scannerBase: Int { scriptBase + scripts.count }
}
