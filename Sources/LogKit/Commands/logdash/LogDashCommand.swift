/*
 The `logdash` command: the option table (the single source of --help, the
 man page and completions) and the entry point. Settings are validated in
 LogDashSettings.swift, the run loop lives in LogDashRun.swift, the
 dashboard itself in Sources/LogKit/Dash.
*/

package enum LogDashCommand {
  package static let spec = CommandSpec(
    name: "logdash", summary: "Dashboard of windows, alerts and scaling: terminal, HTML or text",
    usage: ["[OPTIONS] [FILE...]", "--html FILE [OPTIONS] [FILE...]", "--serve HOST:PORT [OPTIONS] [FILE...]"],
    description: """
      Reads NDJSON and shows it as a dashboard. Each line is recognised by its fields: a window \
      record (logwindow: `start` and `end`), an alert event (logalert: `alert` and `state`), a \
      scale decision (logscale: `from`, `to` and `reason`) or an access record (logparse: `time` \
      and `status` or `path`), which logdash windows itself per --every, so \
      `logparse access.log | logdash` works alone. Other lines are bad input.

      Window records of one window (one per --by group) add up into one point: `count` (or \
      `requests`) is the request count, the first field named like errors (`errors`, \
      `errors_5xx`) the error count, `p50_`/`p90_`/`p95_`/`p99_` fields the latency quantiles \
      (request_time preferred; the worst group is shown), keys `path`, `client`, `status` and \
      `user_agent` (and `top_path`, `top_client`, `top_status`, `top_user_agent` arrays) fill the top-N panels. \
      Records with `"final":false` (logwindow --emit early) are skipped: the final record follows. \
      Any other numeric field is charted with --chart NAME.

      On a terminal: panels for request rate and error ratio, latency quantiles, the top paths, \
      clients or statuses of the latest window, the alerts now firing with their age, the replica \
      history with the last scaling reason, totals and input health (records/s, rejected, late). \
      The screen is redrawn at most 5 times a second and follows the terminal's size. Keys: `q` \
      quits (so do Ctrl-C and the end of the terminal), `p` or space pauses the display (input \
      is still read), `t` switches the top-N panel (paths, clients, statuses, user agents), `1`-`4` choose it. When input ends the last \
      frame stays until `q`. Text from logs is shown inert: control characters, escape sequences \
      and bidi overrides appear as visible escapes such as `\\x1b` and `\\u{202e}`.

      Not on a terminal and without --html or --serve, a plain-text summary is written at the end \
      of input (and every --every-report), suitable for cron mail.

      --html FILE writes one self-contained page (inline CSS and SVG, no scripts, nothing loaded \
      from the network) with the same panels and the full alert and scaling timelines, replaced \
      atomically every --html-every while input runs (the page reloads itself meanwhile) and once \
      at the end, so it is both a live page and a batch report. --serve HOST:PORT serves that page \
      over HTTP and pushes each new version with Server-Sent Events; it binds to loopback unless \
      told otherwise, is read-only, holds at most 32 connections and never lets a slow client \
      hold up the input. Event ages are measured against the latest event time seen, so a replay \
      shows the ages it had live.
      """,
    options: [
      OptionSpec("every", value: "DURATION", category: "Dashboard", summary: "Window length for access records", defaultValue: "10s"),
      OptionSpec("chart", value: "FIELD", category: "Dashboard", summary: "Also chart this numeric field of window records", repeatable: true,
                 completion: .none),
      OptionSpec("top", value: "N", category: "Dashboard", summary: "Rows of the top-N panels", defaultValue: "10"),
      OptionSpec("history", value: "N", category: "Dashboard", summary: "Windows kept at full resolution for the charts",
                 discussion: "The whole run is kept besides at decreasing resolution in 480 points, so memory stays flat however long the input.",
                 defaultValue: "600"),
      OptionSpec("timeline", value: "N", category: "Dashboard", summary: "Alert events and scale decisions kept", defaultValue: "5000"),
      OptionSpec("html", value: "FILE", category: "Output", summary: "Write a self-contained HTML report to FILE"),
      OptionSpec("html-every", value: "DURATION", category: "Output", summary: "Rewrite the HTML report this often", defaultValue: "5s"),
      OptionSpec("serve", value: "HOST:PORT", category: "Output", summary: "Serve the page, updated live, over HTTP",
                 discussion: "Binding to an address other than loopback exposes the page to the network: it contains log text (paths, clients). Port 0 picks a free port, printed on stderr.",
                 completion: .none),
      OptionSpec("every-report", value: "DURATION", category: "Output", summary: "Also write the text summary this often (wall time)"),
      OptionSpec("summary", category: "Output", summary: "Write the text summary even when stdout is a terminal"),
    ] + StandardOptions.input,
    positionals: [PositionalSpec("FILE", summary: "Input files, `-` for stdin (default), or named pipes", repeatable: true)],
    examples: [
      ExampleSpec("logparse access.log | logwindow --every 1m --by path -a count -a errors='count_if(status>=500)' -a 'p95(request_time)' | logdash",
                  "Per-minute windows on a terminal dashboard."),
      ExampleSpec("logparse access.log | logdash --every 1h --html report.html",
                  "A batch report of a whole log: traffic per hour, top and error-prone URLs, clients."),
      ExampleSpec("logdash --serve 127.0.0.1:8080 windows.ndjson",
                  "Serve the dashboard to a browser on this machine."),
      ExampleSpec("logparse access.log | logdash --summary",
                  "A plain-text summary, e.g. for cron mail."),
    ],
    seeAlso: ["logwindow(1)", "logparse(1)", "loggen(1)", "logkit(7)"])

  package static func run(_ options: ParsedOptions) throws -> ExitStatus {
    try LogDashRun(options).run()
  }
}
