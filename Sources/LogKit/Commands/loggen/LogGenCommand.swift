/*
 The `loggen` command: option table and run.

 loggen writes realistic access-log lines (a synthetic site, or a replayed real
 log) at a chosen rate, on the real or a simulated clock, with incidents
 injected on a schedule and a truth file describing them. See GenRunner for
 the clocks, TrafficModel for the traffic, Incident for the incident syntax.
*/

package enum LogGenCommand {
  package static let spec = CommandSpec(
    name: "loggen", summary: "Write realistic access logs at a chosen rate, with injected incidents",
    usage: ["[OPTIONS]"],
    description: """
      loggen writes web-server access-log lines as a busy site would: a site map of pages, API endpoints \
      and static assets with Zipf popularity; a client population with heavy hitters, IPv4 and IPv6 \
      addresses, browsers, phones, crawlers and scripts; a realistic status mix; log-normal response sizes \
      and request times that depend on the endpoint and grow with load; referers from the site and from \
      search engines.

      By default it writes 100 combined-format lines per second, stamped with the current time, until \
      stopped. --start switches to a simulated clock: timestamps advance as if paced at --rate while \
      lines are written as fast as possible; with --seed the output is then identical on every run.

      Incidents (--incident, or a --scenario file) change the traffic for a while: an error burst on a \
      path, a latency degradation, a traffic spike, a scanner, an outage, a crawler burst. --truth writes \
      one NDJSON line per incident (kind, start, end, the keys it touched, its parameters), so a detector \
      can be scored against it.

      Incident syntax: KIND key=value ... at=DURATION for=DURATION, where at= is measured from the first \
      generated timestamp. Kinds and keys: errors path=PREFIX status=N ratio=R; latency path=PREFIX \
      factor=F; spike factor=F [path=PATH]; scanner client=ADDR rate=N; outage mode=drop|errors \
      factor=F status=N (factor=0: no traffic at all); crawler agent=googlebot|bingbot|yandexbot|ahrefsbot client=ADDR rate=N.
      """,
    options: [
      OptionSpec(
        "format", short: "f", value: "FORMAT", category: "Output", summary: "Line format",
        discussion: """
          combined (Apache %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"); common (the first seven \
          fields); vhost_combined (%v:%p before combined, sizes as %O); nginx (log_format \
          '\(OutputFormat.nginxLogFormat)', request time in seconds with milliseconds); w3c (IIS-style \
          extended log with #Software, #Version, #Date and '#Fields: \(OutputFormat.w3cFields)', spaces in \
          values written as +, time-taken in milliseconds); json (the access record: time, client, user, \
          method, path, query, protocol, status, bytes, referer, user_agent, request_time, vhost, port); \
          clickstream (NDJSON session events: time, user, session, course or page, action view, \
          add_to_cart or purchase, amount). Sizes are always numbers, never -.
          """,
        defaultValue: "combined", completion: .choices(OutputFormat.allCases.map(\.rawValue))),
      OptionSpec("output", short: "o", value: "FILE", category: "Output", summary: "Write lines to FILE instead of stdout"),
      OptionSpec(
        "truth", value: "FILE", category: "Output", summary: "Write each injected incident as NDJSON to FILE",
        discussion: "One line per incident that took place: kind, start, end (RFC 3339), path/client/agent when it has them, and its parameters. A line is written when the incident ends, or at exit with end = the last generated timestamp."),
      OptionSpec(
        "rate", short: "r", value: "N", category: "Pace", summary: "Lines per second, or max",
        discussion: "On the real clock lines are paced by a token bucket and flushed in small batches, so the output is live. With a simulated clock --rate sets how fast timestamps advance (max: 1000 per second) and output is as fast as possible.",
        defaultValue: "100"),
      OptionSpec("count", short: "n", value: "N", category: "Pace", summary: "Stop after N lines"),
      OptionSpec("duration", short: "d", value: "DURATION", category: "Pace", summary: "Stop after DURATION of generated time (10s, 5m, 1h)"),
      OptionSpec(
        "start", value: "TIME", category: "Clock", summary: "Simulated clock starting at TIME (RFC 3339, or now)",
        discussion: "Timestamps advance with exponential gaps at the current rate (Poisson arrivals) instead of following the wall clock; output is as fast as possible unless --speedup is given."),
      OptionSpec("speedup", value: "F", category: "Clock", summary: "Pace a simulated clock at F times real time",
                 discussion: "Generated time runs F times faster than real time: each line is written when its timestamp is due, so the output is live and as even at 20 lines/s as at 20,000 (arrivals stay Poisson, as with --start). Without --start the simulated clock starts now."),
      OptionSpec("seed", value: "N", category: "Clock", summary: "Seed the generator (reproducible output)"),
      OptionSpec("zone", value: "OFFSET", category: "Clock", summary: "Write timestamps in this UTC offset (-0400)", defaultValue: "+0000"),
      OptionSpec("diurnal", category: "Traffic", summary: "Daily cycle: quiet at night, busy mid-afternoon"),
      OptionSpec(
        "noise", value: "F", category: "Traffic", summary: "Scale each minute's rate by a factor in [1-F, 1+F]",
        discussion: "Default 0, or 0.1 with --diurnal. Noise is interpolated between minutes so the rate never jumps.",
        defaultValue: "0"),
      OptionSpec("clients", value: "N", category: "Traffic", summary: "Number of distinct clients", defaultValue: "2000"),
      OptionSpec(
        "incident", short: "i", value: "SPEC", category: "Incidents",
        summary: "Inject an incident: 'KIND key=value... at= for='",
        discussion: "Repeatable. Example: 'errors path=/checkout status=503 ratio=0.6 at=2m for=90s'. Kinds: errors, latency, spike, scanner, outage, crawler (keys in DESCRIPTION).",
        repeatable: true),
      OptionSpec(
        "scenario", value: "FILE", category: "Incidents", summary: "Read settings and incidents from FILE",
        discussion: "One setting per line, named like the long options (rate 500, diurnal, incident errors path=/api at=1m for=30s); # starts a comment. Command-line options win over the file."),
      OptionSpec(
        "replay", value: "FILE", category: "Replay", summary: "Re-emit the requests of a real access log",
        discussion: "FILE is read as logparse reads it (any format it knows, detected unless --replay-format or a LogFormat is given). Requests are sampled at random (or in order with --in-order) and re-stamped on the chosen clock at the chosen rate; incidents apply to them too. Client, user, method, path, query, protocol, status, bytes, referer, user agent, and request time, virtual host and port when the base has them, are kept (without a virtual host, www.example.com:80). Lines that cannot be replayed are counted and the first few reported."),
      OptionSpec(
        "stats", category: "Output", summary: "Print lines, bytes and lines/s on stderr at exit",
        discussion: "One line in logparse's wording: lines, bytes written, seconds of real time spent generating, lines/s and MB/s. Not printed when the output pipe closes early."),
      OptionSpec("in-order", category: "Replay", summary: "Replay the base log in order, wrapping around"),
      OptionSpec(
        "replay-format", value: "FORMAT", category: "Replay", summary: "Format of the replay base (as logparse --format)",
        defaultValue: "auto", completion: .choices(LogFormatChoice.allCases.map(\.rawValue))),
      OptionSpec("replay-apache-format", value: "LOGFORMAT", category: "Replay", summary: "Read the replay base with this Apache LogFormat"),
      OptionSpec("replay-nginx-format", value: "LOG_FORMAT", category: "Replay", summary: "Read the replay base with this nginx log_format"),
    ] + StandardOptions.generatorOutput + ArchiveOptions.options,
    examples: [
      ExampleSpec("loggen --rate 200 | logparse | logwindow --every 10s", "Live traffic into the pipeline."),
      ExampleSpec(
        "loggen --start 2025-07-01T00:00:00Z --seed 7 --duration 10m --incident 'errors path=/checkout status=503 ratio=0.6 at=2m for=90s' --truth truth.ndjson > access.log",
        "Ten reproducible minutes with an error burst, and its truth file."),
      ExampleSpec("loggen --rate max --start now --format json --count 1000000 > records.ndjson", "A million access records, fast."),
      ExampleSpec("loggen --replay NASA_access_log_Jul95 --speedup 60 --rate 50", "Replay a real log, one hour per minute."),
    ],
    seeAlso: ["logparse(1)", "logwindow(1)", "logkit(7)"])

  package static func run(_ options: ParsedOptions) throws -> ExitStatus {
    var scenario: ScenarioFile?
    if let path = options.value("scenario") {
      // A file that cannot be read is a runtime failure (exit 1), a bad setting in it a usage error.
      let text = try ScenarioFile.readText(path: path)
      do throws(ScenarioError) { scenario = try ScenarioFile(text: text, name: path) } catch { throw UsageError(error.message) }
    }
    let settings = try GenSettings(options, scenario: scenario)
    let seed = settings.seed ?? Xoshiro256.entropySeed()
    var rng = Xoshiro256(seed: seed)
    let origin = settings.start ?? wallClockMicros()
    let archive = try archiveWriter(options, settings)
    let sink: OutputSink
    if let archive {
      sink = OutputSink(fd: -1, path: archive.root.isEmpty ? "." : archive.root, lineBuffered: settings.lineBuffered)
      sink.downstream = archive
      try archive.start(manifest: nil)
    } else {
      sink = try RunFrame.output(path: settings.output, lineBuffered: settings.lineBuffered)
    }
    let replayParser = settings.replay == nil ? nil : try settings.replayParser()
    let engine = try GenEngine(
      settings: settings, replayParser: replayParser, command: spec.name, origin: origin, seed: seed,
      lineBuffered: sink.lineBuffered, rng: &rng)
    let truth = try settings.truth.map { path throws(IOError) in try TruthWriter(path: path) }
    let runner = GenRunner(engine: engine, settings: settings, sink: sink, truth: truth, rng: rng)
    let started = monotonicMicros()
    try runner.run()
    try truth?.close()
    if settings.output != nil { try sink.close() }
    if let archive {
      try sink.flush()
      try archive.endOfInput()
      archive.report()
    }
    if options.flag("stats") {
      RunStats.print(
        spec.name, counts: "\(runner.lines) lines", lines: runner.lines, bytes: sink.bytesWritten,
        micros: monotonicMicros() - started)
    }
    return .success
  }

  /// --split-by-time on loggen: the lines' own timestamps place them (not for W3C, whose
  /// every file would need its #Fields header).
  static func archiveWriter(_ options: ParsedOptions, _ settings: GenSettings) throws -> ArchiveWriter? {
    guard let archive = try ArchiveOptions.writer(command: spec.name, options) else { return nil }
    if settings.output != nil { throw UsageError("--split-by-time and --output exclude each other") }
    switch settings.format {
    case .w3c: throw UsageError("--split-by-time cannot split --format w3c (each file would need its own #Fields header)")
    case .json, .clickstream: archive.timeSource = .json
    default: archive.timeSource = .clf
    }
    return archive
  }
}
