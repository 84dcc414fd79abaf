/*
 The `logparse` command: option table and run loop.

 Reads raw access logs (files in order, or stdin), writes one NDJSON access
 record per parsed line, and routes every line it cannot parse to the shared
 bad-input accounting (count, report, --rejects, --strict).
*/

package enum LogParseCommand {
  package static let spec = CommandSpec(
    name: "logparse", summary: "Turn raw access logs into NDJSON access records",
    usage: ["[OPTIONS] [FILE...]"],
    description: """
      logparse reads web-server access logs and writes one JSON object per line (NDJSON) in the access record schema of logkit(7): time (RFC 3339, UTC), client, ident, user, method, path, query, protocol, request, status, bytes, referer, user_agent, request_time, upstream_time, vhost, port, forwarded_for, then the custom fields of the format under lower_snake_case names. Fields whose log value is `-` or empty are left out. A request line that is not METHOD TARGET [PROTOCOL] keeps the record, with the text in `request` and no method or path.

      With no FILE, or when FILE is -, standard input is read. Named pipes work like files. By default the format is detected per input: JSON objects (nginx escape=json, Caddy, Traefik), W3C extended logs (a `#Fields:` directive), and the Apache/nginx family (nginx main, combined, common, vhost_combined, combined plus $request_time, which may be mixed line by line).

      A line that does not parse is never guessed at: it is counted, reported on stderr with its file, line number, reason and column, written verbatim to --rejects FILE when given, and summarised at exit. Empty lines are skipped silently: they carry no request and are not bad input (a trailing blank line should not fail --strict); a line of blanks only is skipped the same way. Invalid UTF-8 is written as U+FFFD and control bytes (NUL included) are escaped, so the output is always valid JSON.
      """,
    options: [
      OptionSpec(
        "format", short: "f", value: "FORMAT", category: "Format",
        summary: "Input format",
        discussion: "nginx is nginx main (combined plus \"$http_x_forwarded_for\"), nginx combined or combined plus $request_time, line by line; nginx-main only the former. In W3C logs IIS writes every space inside a value as +, so + in cs(User-Agent), cs(Referer) and cs(Cookie) is read as a space; this is lossy, as in IIS itself: a literal + (Googlebot's +http://...) becomes a space too. cs-uri-stem and cs-uri-query keep their +.",
        defaultValue: "auto", completion: .choices(LogFormatChoice.allCases.map(\.rawValue))),
      OptionSpec(
        "apache-format", value: "LOGFORMAT", category: "Format",
        summary: "Parse lines of this Apache LogFormat",
        discussion: "Supports %h %a %l %u %t %{...}t %r %m %U %q %H %>s %s %b %B %O %D %T %v %V %p %{Name}i %{Name}o %{Name}e %{Name}n %{Name}C %P %A %I %X %k %L. Directives outside the record schema become custom fields (%P is pid, %{X-Request-Id}i is x_request_id, %{Name}o is resp_name)."),
      OptionSpec(
        "nginx-format", value: "LOG_FORMAT", category: "Format",
        summary: "Parse lines of this nginx log_format",
        discussion: "Standard variables map onto the record schema; any other $variable becomes a custom field under its own name."),
      OptionSpec(
        "fields", value: "LIST", category: "Output",
        summary: "Write only these comma-separated fields",
        discussion: "Standard fields keep the record order; names that are not standard fields select custom fields."),
      OptionSpec(
        "add", value: "KEY=VALUE", category: "Output",
        summary: "Add a constant string field to every record",
        discussion: "KEY must not be a record field, be given twice, or be a custom field of --apache-format or --nginx-format (usage errors). A custom field of the input with the same name (a key of a JSON log, a W3C field) is left out: the --add value wins, and no key is written twice.",
        repeatable: true),
      OptionSpec(
        "raw", category: "Output",
        summary: "Keep the original line in a `raw` field",
        discussion: "A custom field of the input named raw is then left out."),
    ] + StandardOptions.input + StandardOptions.offsets + StandardOptions.output + ArchiveOptions.options,
    positionals: [PositionalSpec("FILE", summary: "Access log to read (- for standard input)", repeatable: true)],
    examples: [
      ExampleSpec("logparse access.log | head -1", "Parse a log, format detected"),
      ExampleSpec(
        "tail -F /var/log/nginx/access.log | logparse --format nginx --add server=web1",
        "Follow a live nginx log, tagging each record"),
      ExampleSpec(
        "logparse --apache-format '%h %l %u %t \\\"%r\\\" %>s %b %D' --rejects bad.log access.log",
        "A custom LogFormat with %D (request_time), keeping bad lines"),
    ],
    seeAlso: ["logwindow(1)", "loggen(1)", "logkit(7)"])

  package static func run(_ options: ParsedOptions) throws -> ExitStatus {
    let frame = try RunFrame(spec, options)
    let parser = try makeParser(options, maxLine: frame.inputOptions.maxLine)
    let selected = try selection(options)
    for (key, _) in selected.constants where parser.formatCustomNames.contains(key) {
      throw UsageError("--add \(key): the log format also writes a field '\(key)'; choose another name")
    }
    let writer = RecordWriter(sink: frame.sink, selection: selected)
    var parsed = 0
    return try frame.run(
      RunFrame.Hooks(
        onLine: { line in
          switch parser.parse(line) {
          case .record:
            try writer.write(parser.table, line: line)
            parsed += 1
          case .skip:
            break
          case .reject(let failure):
            try frame.reject(line, reason: failure.description)
          }
        },
        onTick: { tick in
          if case .endOfFile = tick { parser.endOfStream() }
        },
        report: {
          for warning in writer.unseenFieldWarnings(selected: selected.fields, constants: selected.constants.map(\.0)) {
            printError(frame.name, warning)
          }
        },
        statsCounts: {
          let lines = frame.lines, rejected = frame.rejected
          return "\(lines) lines, \(parsed) parsed, \(rejected) rejected, \(lines - parsed - rejected) skipped"
        },
        expects: .accessLog))
  }

  static func makeParser(_ options: ParsedOptions, maxLine: Int) throws(UsageError) -> LogParser {
    try FormatOptions.parser(
      format: options.value("format"), apacheFormat: options.value("apache-format"),
      nginxFormat: options.value("nginx-format"), maxLine: maxLine)
  }

  static func selection(_ options: ParsedOptions) throws(UsageError) -> RecordSelection {
    var constants: [(String, String)] = []
    for item in options.all("add") {
      guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
        throw UsageError("invalid value '\(item)' for --add: expected KEY=VALUE")
      }
      let key = String(item[..<eq])
      if AccessField(name: key) != nil || key == "raw" {
        throw UsageError("--add \(key): '\(key)' is a record field; choose another name")
      }
      if constants.contains(where: { $0.0 == key }) {
        throw UsageError("--add \(key) is given twice; each key can be added once")
      }
      constants.append((key, String(item[item.index(after: eq)...])))
    }
    var fields: [String]?
    if let list = options.value("fields") {
      fields = list.split(separator: ",").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
      if fields?.isEmpty ?? true { throw UsageError("--fields needs at least one field name") }
    }
    return RecordSelection(fields: fields, constants: constants, raw: options.flag("raw"))
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String {
    String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}
