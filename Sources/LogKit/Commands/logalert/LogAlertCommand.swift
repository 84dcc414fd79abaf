/*
 The `logalert` command: the option table (the single source of --help, the
 man page and completions) and the entry point. Settings are validated in
 LogAlertSettings.swift, the run loop is LogAlertRun.swift, the engine lives
 in Sources/LogKit/Alert.
*/

package enum LogAlertCommand {
  package static let spec = CommandSpec(
    name: "logalert", summary: "Alert rules and anomaly detection over window records",
    usage: ["--rule RULE [--rule RULE...] [OPTIONS] [FILE...]", "--rules FILE [OPTIONS] [FILE...]"],
    description: """
      Reads window records (logwindow output, or any NDJSON with an `end` time or a --time-field), \
      evaluates alert rules on them and writes NDJSON alert events on transitions: `time`, `alert` \
      (the rule name), `state` (`firing`, `resolved`, and `pending` with --pending), `since`, the key \
      fields, `value`, `expr`, `summary`, and the window's `start` and `end`. Rules that use detectors \
      add `detectors`: for each call its `observed` value, the `expected` baseline, the `low`..`high` \
      normal range and the `score`. Repeats carry `"repeat":true`, stale resolutions `"stale":true`.

      A rule is `NAME: EXPR [for DUR] [keep DUR] [by FIELD,...] [resolve EXPR] [summary "TEXT"]`; the \
      clauses come in any order. EXPR is the expression language of logwindow (fields, numbers, \
      durations, comparisons, and/or/not, arithmetic, functions) plus the detector functions below. \
      A field named like a clause word (for, keep, by, resolve, summary) needs backquotes. In a rules \
      file (--rules) each rule is one line; a line starting with a space or a tab, or following a line \
      that ends with `\\`, continues the rule; `#` starts a comment outside quotes. Errors give \
      FILE:LINE:COLUMN and suggest the closest function name. At the end of input logalert warns about \
      fields the rules read that no record had, with the closest field name seen.

      Event time: a record is evaluated at its --time-field (default `end`), and every duration (for, \
      keep, --repeat, --stale, absent) is measured in event time, so replaying old logs gives the same \
      alerts as watching them live. The clock is the largest time seen; when it moves past a time T, \
      the windows ending at T are complete.

      One alert instance per rule and key. With `by`, the key is those fields (dotted paths allowed; a \
      missing field is null). Without `by`, the key is every string-valued top-level field other than \
      `start`, `end` and the time field: for logwindow records, the --by fields, because aggregates are \
      numbers (or arrays, for top). Numeric key fields (`--by status`) need an explicit `by status`.

      Lifecycle, as in Prometheus: inactive, then pending while the condition holds for less than \
      `for`, then firing (at once without `for`); a pending instance whose condition turns false goes \
      back to inactive silently. A firing instance resolves when the condition has been false for \
      `keep` (Prometheus keep_firing_for; 0 by default) or, with `resolve EXPR`, when the condition is \
      false and EXPR is true, a separate threshold that stops flapping. `since` is when the episode \
      began (the first true evaluation). While firing, the event is repeated every --repeat. A firing \
      key that sends no record for --stale resolves with `"value":null` and `"stale":true`; a pending \
      one becomes inactive. `value` is the left side of the condition's first comparison (`errors / \
      count` in `errors / count > 0.05 and count >= 50`), or the whole condition when it has none.

      Detectors, per key, online, in a fixed amount of state (a few hundred bytes at most); a missing \
      or non-finite value scores null (and a comparison with null is false) without changing the \
      state. zscore(X): (X - mean) / sd with an exponentially weighted mean and variance (alpha 0.1), \
      null for the first 10 points. mad_score(X, N): (X - median) / (1.4826 MAD) over the previous N \
      points (default 30, at most 64), null until N/2 points (at least 5); when MAD is 0 the spread is \
      1.2533 times the mean absolute deviation of the closest three quarters of the points (of all, if that is 0), and for a constant series any change scores the cap \
      (1e6). change(X): X / the previous X (1 for 0/0). seasonal(X, PERIOD): X / the value at the same \
      phase one PERIOD earlier (24 phase buckets per period, each the mean of the last period blended \
      50/50 with older ones); while a bucket has no earlier period, the median of the last 16 points \
      (null before 3). absent(DUR): 1 when the key has sent no record for DUR, else 0; rules using it \
      are also evaluated, for every key that sent no record, each time the clock completes a window \
      (with all record fields null), they are not subject to --stale, and they resolve when the key \
      reports again.

      anomaly(X), the default detector, is a score in [0, 1): 0.5 or more means anomalous. It compares X \
      with the median of the previous 32 points, and, once a day of history exists, with the same hour \
      of the previous day, and takes the smaller of the two deviations (0 when they disagree in \
      direction): a point is anomalous only when it is unusual both for the last half hour and for the \
      time of day, so daily ramps and a level shift that has lasted about 16 points are normal. The \
      spread is the largest of 1.4826 MAD (as for mad_score when MAD is 0), 10% of the \
      baseline, and for whole-number series sqrt(baseline + 1) (Poisson noise of sparse counts). With \
      z = deviation / spread, the score is z^2 / (z^2 + 36): 0.5 at six spreads. Both directions \
      count; null during the first 8 points. No parameters.

      Memory: at most --max-keys instances per rule. A new key beyond that evicts the least recently \
      seen inactive key of 8 sampled (its baselines are lost); pending and firing instances are never \
      evicted, and when all are active the new key is not tracked (counted and reported at exit).

      Summaries: `summary "TEXT"` with {NAME} placeholders for `value`, `alert`, `state`, key fields \
      and fields of the record; {NAME:%} writes a ratio as a percentage, {NAME:.N} with N decimals. \
      Without a summary, the sentence says the key, the value and the condition, or for a detector \
      the observed value, the expected value and the normal range.

      Actions: --exec PROGRAM [ARG...] runs PROGRAM once per event written (transitions and \
      repeats; not the other evaluations of --all). Every argument after --exec up to a lone `;` \
      (quote it: `';'`) or the end of the command line is the program's; options and FILEs may \
      follow the `;`. PROGRAM is found in PATH and run directly, never through a shell, so nothing \
      in a log line is ever shell syntax. It gets the event's JSON line on stdin, and the \
      environment variables LOGALERT_ALERT, LOGALERT_STATE, LOGALERT_VALUE, LOGALERT_SUMMARY, \
      LOGALERT_TIME, LOGALERT_SINCE, LOGALERT_REPEAT (1 or 0) and LOGALERT_KEY_NAME for each key \
      field (the name upper-cased, characters other than letters, digits and _ replaced by _). \
      In ARGs, {FIELD} is replaced by the event's top-level field (strings as they are, numbers in \
      full, other values as JSON, an absent field as nothing), inside that argument only: \
      `--data=path={path}` stays one argument whatever the path holds. Braces that do not hold a \
      field name stay as they are; {{ and }} are literal braces. {FIELD:json} writes the value \
      escaped for the inside of a JSON string: `--data-binary '{"text":"{summary:json}"}'`.

      Actions never hold up evaluation: they wait in a queue (--exec-queue) and run \
      --exec-concurrency at a time, started in event order (with --exec-concurrency 1 they also \
      finish in order: a firing is told before its resolution); when the queue is full, or --max-per-minute actions already \
      ran in the last 60 seconds of wall time, the new action is dropped and counted. An action \
      that exits non-zero, is killed by a signal, cannot start or runs over --exec-timeout \
      (SIGTERM to its process group, SIGKILL a second later) is reported on stderr with the end \
      of its stderr, and retried --exec-retries times after --exec-backoff, doubling; the stream \
      goes on. At end of input (or SIGINT/SIGTERM) logalert waits at most --exec-drain for running, \
      queued and retrying actions (a second SIGINT/SIGTERM stops waiting); then it kills what \
      still runs. A summary of failed, dropped and unrun actions goes to stderr at exit; the exit \
      status stays 0.

      Grouping (--group-by, as Alertmanager's group_by, group_wait and group_interval, on event \
      time): the notifications of a grouped rule are batched per group, the events with the same \
      values of the group fields. `alert` is the rule name (Alertmanager's alertname); without it \
      a group may hold several rules' events; `...` stands for `alert` and every key field. A new \
      group notifies --group-wait after its first event, then at most every --group-interval and \
      only when events were added; a group with no firing instance left ends after it notified, and \
      the next event starts a new one. A batch due at time D is sent once the clock has passed D (so \
      it holds every event at D), when input pauses with the clock at D or later, or at end of \
      input. Alert events are still written one by one as they happen; with --notifications each \
      batch is also written as a record with `time` (D), `"kind":"notification"`, `group` (an \
      object of the group fields), `count` (events in the batch), `firing` (the group's instances \
      firing after it), `resolved` (resolutions in it) and `events` (an array of the alert events). With --exec, a grouped rule runs \
      PROGRAM once per batch: stdin is that record's JSON line, the environment has \
      LOGALERT_GROUP_KEY (`alert="high_5xx",path="/a"`), LOGALERT_GROUP_COUNT, \
      LOGALERT_GROUP_FIRING, LOGALERT_GROUP_RESOLVED, LOGALERT_GROUP_NAME for each group field, \
      LOGALERT_STATE (`firing` while an instance of the group fires, else `resolved`), \
      LOGALERT_SUMMARY (the events' summaries joined by `; `), LOGALERT_TIME, and LOGALERT_ALERT \
      when the batch has one rule; the placeholders are {time}, {count}, {firing}, {resolved}, \
      {state}, {summary}, {key}, {alert} (one rule) and the group fields. Rules without a \
      --group-by notify per event, as without the option.

      Inhibition (--inhibit 'SOURCE => TARGET [equal FIELD,...]', Alertmanager's inhibit_rules; \
      SOURCE and TARGET may be comma lists of rules): while an instance of SOURCE fires (with the \
      same values of the `equal` key fields; a missing field is null), the pending, firing and \
      repeated events of TARGET are muted: written with `"inhibited":true`, never notified nor \
      grouped. The resolution of an instance whose firing was muted is muted too; one whose \
      firing was notified before the source fired has its resolution notified. When the last \
      matching source resolves, each muted instance still firing is released: its last event is \
      written and notified again as a repeat. With --inhibit, events wait until their time is \
      complete (the clock moves past it, input pauses or ends), so a source firing at the same time \
      as its target mutes it whatever the order of their records; the events of that time keep \
      their order. A rule cannot inhibit itself.

      --state keeps the alerts, not the groups or the mutes: pending batches are sent at exit; \
      after kill -9 a batch that was waiting is not sent after the restart (its events were \
      written), and the next events start new groups. The sources firing at a restart mute their \
      targets again; the resolution of a target muted before the restart is notified.
      """,
    options: [
      OptionSpec("rule", value: "RULE", category: "Rules", summary: "An alert rule (repeatable); see DESCRIPTION", repeatable: true),
      OptionSpec("rules", value: "FILE", category: "Rules", summary: "Read rules from FILE, one per line (repeatable)", repeatable: true),
      OptionSpec("time-field", value: "FIELD", category: "Rules", summary: "Field holding the evaluation time", defaultValue: "end"),
      OptionSpec("repeat", value: "DURATION", category: "Lifecycle", summary: "Repeat a firing event this often (0: never)", defaultValue: "4h"),
      OptionSpec("stale", value: "DURATION", category: "Lifecycle", summary: "Resolve a key that sent no record for DURATION",
                 discussion: "By default three of the key's window lengths (end - start of its last record), or 5m for records without `start`."),
      OptionSpec("pending", category: "Lifecycle", summary: "Also write pending events"),
      OptionSpec("all", category: "Lifecycle", summary: "Write every evaluation with its state (charts)"),
      OptionSpec("max-keys", value: "N", category: "Lifecycle", summary: "Alert instances per rule; see DESCRIPTION", defaultValue: "100000"),
      OptionSpec("check", category: "Rules", summary: "Parse the rules, print them and exit"),
      OptionSpec("idle", value: "DURATION", category: "Lifecycle", summary: "Advance event time by wall time after quiet input",
                 discussion: "When no record has arrived for DURATION, the clock moves on with wall time (the last record's time plus the wall time since it came), so absent() fires and --stale resolves on a stream that stopped entirely. Batch input never pauses that long, so replays are unaffected.", defaultValue: "10s"),
      OptionSpec("state", value: "FILE", category: "State", summary: "Keep alerts and baselines in FILE across restarts",
                 discussion: "Loaded at start (a missing FILE starts fresh): pending and firing alerts, repeat times and every detector's baseline, so a restart neither re-fires a firing alert nor forgets it, and anomaly detectors need no new warm-up. Replaced atomically when a record's time closes the previous one, at most every --state-every, and at exit, always after the events it covers were flushed to the output. Records before the saved time are skipped as already evaluated (counted at exit), and a record at that time counts only for a key that had none at it, so a restart may re-read its whole input. After kill -9 the events of the times after the last checkpoint are written again (at least once; with --state-every 0s at most one evaluation time's events). A rule whose definition changed starts fresh, with a message."),
      OptionSpec("state-every", value: "DURATION", category: "State", summary: "Longest wall time between --state checkpoints", defaultValue: "1s"),
      OptionSpec("exec", value: "PROGRAM...", category: "Actions", summary: "Run PROGRAM for each event; ARGs end at a lone ';'",
                 discussion: "See Actions in DESCRIPTION. Example: `--exec notify.sh {alert} {state} ';'`.", completion: .none, takesCommand: true),
      OptionSpec("group-by", value: "[RULE:]FIELDS", category: "Grouping", summary: "Batch notifications per group (repeatable)",
                 discussion: "FIELDS: `alert` (the rule name), key fields, or `...` (alert and every key field), comma-separated. `RULE,...:` before them applies the spec to those rules only (else to every rule without its own); `wait DUR` and `interval DUR` after them override --group-wait and --group-interval. Example: `--group-by 'high_5xx: alert wait 1m'`. See Grouping in DESCRIPTION.", repeatable: true),
      OptionSpec("group-wait", value: "DURATION", category: "Grouping", summary: "Wait before a new group's first notification", defaultValue: "30s"),
      OptionSpec("group-interval", value: "DURATION", category: "Grouping", summary: "Least time between a group's notifications", defaultValue: "5m"),
      OptionSpec("notifications", category: "Grouping", summary: "Also write each group's batch as a record"),
      OptionSpec("inhibit", value: "SPEC", category: "Grouping", summary: "Mute TGT while SRC fires: 'SRC => TGT'",
                 discussion: "Repeatable. The full form is 'SOURCE => TARGET [equal FIELD,...]', SOURCE and TARGET rule names or comma lists of them. Muted events are written with \"inhibited\":true and not notified. Example: `--inhibit 'outage => error_burst,latency'`. See Inhibition in DESCRIPTION.", repeatable: true),
    ] + ActionOptions.common + ActionOptions.queueing + StandardOptions.input + StandardOptions.output + ArchiveOptions.options,
    positionals: [PositionalSpec("FILE", summary: "Input files, `-` for stdin (default), named pipes", repeatable: true)],
    examples: [
      ExampleSpec("logparse access.log | logwindow --every 1m --by path -a count -a errors='count_if(status>=500)' | logalert --rule 'high_5xx: errors / count > 0.05 and count >= 50 for 2m by path summary \"{path}: {value:%} 5xx\"'",
                  "Alert when more than 5% of a path's requests fail for two minutes."),
      ExampleSpec("logwindow --every 1m -a count < access.ndjson | logalert --rule 'traffic: anomaly(count) >= 0.5'",
                  "Built-in anomaly detection on the total request rate."),
      ExampleSpec("logalert --state alerts.state --rule 'traffic: anomaly(count) >= 0.5' windows.ndjson",
                  "Keep firing alerts and baselines across restarts."),
      ExampleSpec("logalert --rules examples/rules/web.rules --check",
                  "Check a rules file."),
      ExampleSpec("logwindow --every 1m --by path -a count -a errors='count_if(status>=500)' access.ndjson | logalert --rule 'down: errors / count > 0.5 and count >= 10' --rule 'path_errors: errors >= 5 by path' --inhibit 'down => path_errors equal path' --group-by 'alert wait 1m' --notifications",
                  "A path that is down mutes its error alert (written with \"inhibited\":true, not notified); notifications are batched per rule, the first a minute after the first event. With examples/rules/web.rules: --inhibit 'outage => error_burst,latency'."),
      ExampleSpec("logwindow --every 1m --by path -a count -a errors='count_if(status>=500)' < access.ndjson | logalert --rule 'high_5xx: errors / count > 0.05 by path' --max-per-minute 10 --exec curl -sS -X POST -H 'Content-Type: application/json' --data-binary @- http://localhost:9000/hook",
                  "POST every alert event as JSON to a webhook, at most 10 a minute (examples/webhook.sh sends Slack-style text)."),
    ],
    seeAlso: ["logwindow(1)", "logparse(1)", "loggen(1)", "logkit(7)"])

  package static func run(_ options: ParsedOptions) throws -> ExitStatus {
    try LogAlertRun(options).run()
  }
}
