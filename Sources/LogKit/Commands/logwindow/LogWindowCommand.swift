/*
 The `logwindow` command: the option table (the single source of --help,
 the man page and completions) and the entry point. The run loop lives in
 LogWindowRun.swift, option validation in LogWindowSettings.swift.
*/

package enum LogWindowCommand {
  package static let spec = CommandSpec(
    name: "logwindow", summary: "Event-time windowed aggregation of NDJSON records",
    usage: ["--every DURATION [OPTIONS] [FILE...]", "--window DURATION [--every DURATION] [OPTIONS] [FILE...]",
            "--window all [OPTIONS] [FILE...]", "--session GAP --by KEYS [OPTIONS] [FILE...]", "--merge [OPTIONS] [FILE...]"],
    description: """
      Reads NDJSON records (logparse output, loggen --format json, any NDJSON with a time field), \
      groups them into event-time windows and writes one NDJSON record per window and group: \
      `start`, `end` (RFC 3339), the --by key fields under their own names, then each aggregate \
      under its name, in the order given.

      Windows are aligned to the epoch (plus --offset): `--every 1m` gives tumbling windows \
      [12:00, 12:01), [12:01, 12:02), ... with the start inclusive and the end exclusive; \
      `--window 5m --every 1m` gives hopping windows of 5 minutes starting every minute; \
      `--session 30m` gives a session per key that ends after 30 minutes without events \
      (start is its first event, end its last event plus the gap); `--window all` gives one \
      window over the whole input (start and end are the earliest and latest event times).

      The watermark is the largest event time seen minus --lateness. A window is written when \
      the watermark reaches its end. An event for a window already written is late: it is \
      counted, dropped (a hopping event still counts in its windows that are open) and, with \
      --late FILE, copied there verbatim. When input is quiet for --idle, the watermark advances \
      with the wall clock, so a live pipeline closes windows when traffic stops. At the end of \
      input (and on SIGINT or SIGTERM) all open windows are written, in order of window end, then \
      key. Records without a valid time are bad input (reported, counted, kept with --rejects).

      Aggregates (-a NAME=EXPR, or -a EXPR with a derived name): count, count_if(PRED), sum(X) (0 \
      when no record has a number), avg(X), min(X), max(X) (null when none has), rate (count per second of window length) or rate(X) (sum per \
      second), distinct(X) (HyperLogLog, standard error 0.81%, exact below 257 values), \
      p50/p90/p95/p99(X) and quantile(Q, X) (DDSketch, relative error at most 1%), top(K, X) \
      (Space-Saving heavy hitters, an array of {"value","count"}; counts are exact while fewer \
      than 8K distinct values were seen in the window, upper bounds otherwise), first(X) and \
      last(X) (by event time; ties go to the smaller, respectively larger, JSON text). \
      X and PRED are expressions: fields (dotted paths for nested objects), numbers, strings, \
      durations, comparisons, and/or/not, arithmetic, `in [...]`, startswith, contains, lower, \
      len. Sums of values with up to 6 decimals are exact. Without -a, `count` is computed.

      Groups beyond --max-groups in a window (for sessions: open sessions) are folded into one \
      group whose key fields are all "_other"; nothing is lost silently (a note on stderr says \
      how many). More than --max-windows windows open at once (short --every with --lateness end \
      or --merge over a long time span) close the oldest early, noted on stderr too.

      Scale-out: --partial writes each window's mergeable state instead of final values (a \
      `_partial` object with the window description, key names, aggregates and sketch states). \
      `logwindow --merge` reads partial records from any number of producers \
      (`cat a b c | logwindow --merge`) and writes what one process over all the input would \
      have written: exact for count, sum, avg, min, max, first, last, distinct and quantiles \
      (sketch merges are lossless); top-k is exact unless a shard evicted values. --merge takes \
      windows, keys and aggregates from the partial records and writes at end of input (or, \
      with --lateness, once a window's end is that far behind the latest window end seen, or, \
      with --producers N, once every producer's watermark has passed it: the live merge). \
      Partial records carry their producer, so one delivered twice (Kafka delivers at least \
      once) is dropped and counted. A Kafka consumer of several partitions keeps a watermark per partition with \
      --input-prefix and --producer-by (KAFKA in logkit(7)). The format is described in logkit(7).
      """,
    options: [
      OptionSpec("every", value: "DURATION", category: "Windows", summary: "Tumbling windows of DURATION (the hop of --window)"),
      OptionSpec("window", value: "DURATION", category: "Windows", summary: "Window length (hopping with --every), or `all`",
                 discussion: "`--window 5m --every 1m` puts each event in five windows. `--window all` aggregates the whole input into one window per group, written at end of input."),
      OptionSpec("session", value: "GAP", category: "Windows", summary: "Session windows per key, closed after GAP of quiet"),
      OptionSpec("offset", value: "DURATION", category: "Windows", summary: "Shift window alignment from the epoch", defaultValue: "0s"),
      OptionSpec("time-field", value: "FIELD", category: "Windows", summary: "Field holding the event time", defaultValue: "time"),
      OptionSpec("lateness", value: "DURATION|end", category: "Windows", summary: "Accept events up to DURATION out of order",
                 discussion: """
                   The default 0s is the streaming choice: a window is written as soon as the input passes its end, and an event older \
                   than the watermark is late, as with Flink's bounded-out-of-orderness watermark with a bound of 0 or Spark's \
                   `withWatermark` with a delay of 0. Unlike Spark, which drops late rows silently, logwindow counts them and says at \
                   exit "N of M events (P%) were later than the watermark and were dropped"; --late FILE keeps them. Live logs are nearly \
                   in time order; for input that is not (files of several servers concatenated, a shuffled sample) give a bound: \
                   `--lateness 5m` waits five minutes of event time, like Flink's `forBoundedOutOfOrderness(5 min)` or \
                   `withWatermark("time", "5 minutes")` in Spark. `--lateness end` writes windows only at end of input, as a batch \
                   query does (Flink in batch mode, Spark without a watermark): no event is late, memory holds every window; use it \
                   for a file that is not in time order.
                   """, defaultValue: "0s"),
      OptionSpec("late", value: "FILE", category: "Windows", summary: "Write late events, verbatim, to FILE"),
      OptionSpec("idle", value: "DURATION", category: "Windows", summary: "Let the wall clock close windows after quiet input", defaultValue: "5s"),
      OptionSpec("by", value: "KEYS", category: "Grouping", summary: "Group by comma-separated fields or NAME=EXPR keys",
                 discussion: "Example: `--by path,status` or `--by 'class=int(status/100)'` (`/` divides exactly, `int` truncates). Dotted paths read nested objects. A missing key field groups as null.",
                 repeatable: true),
      OptionSpec("aggregate", short: "a", value: "[NAME=]EXPR", category: "Grouping", summary: "Compute an aggregate (repeatable); see DESCRIPTION", repeatable: true),
      OptionSpec("where", value: "PRED", category: "Grouping", summary: "Only aggregate records for which PRED holds"),
      OptionSpec("max-groups", value: "N", category: "Grouping", summary: "Groups per window before folding into \"_other\"", defaultValue: "100000"),
      OptionSpec("max-windows", value: "N", category: "Grouping", summary: "Windows open at once before the oldest closes early", defaultValue: "100000"),
      OptionSpec("emit", value: "WHEN", category: "Output", summary: "`final`, or `early=DURATION` to update open windows",
                 discussion: "With `early=10s`, every 10 seconds of wall time each open window is written with `\"final\":false`; the record written when the window closes then carries `\"final\":true`. With `final` (the default) windows are written once, when they close, and records have no `final` field.",
                 defaultValue: "final"),
      OptionSpec("partial", category: "Scale-out", summary: "Write mergeable partial records for a later --merge"),
      OptionSpec("merge", category: "Scale-out", summary: "Combine partial records from several producers"),
      OptionSpec("producer", value: "NAME", category: "Scale-out", summary: "Name this producer in its partial records",
                 discussion: """
                   Every partial record carries `producer` (NAME, by default the host name and process id, `web-1:4242`), \
                   `run` (the start time of this run, in microseconds), `seq` (1, 2, ... within the run) and `watermark` \
                   (this producer's watermark when it wrote the record; `end` after its input ended). A quiet producer \
                   still writes a heartbeat (a `_partial` with only these fields) at most once a second when its \
                   watermark moves, and one at end of input, so a live merge is not held up by it. A merge drops a \
                   record whose producer, run and seq it has seen (redelivered), and records of an older run of a \
                   producer once a newer run has been seen (a restart). Give a NAME that is stable across restarts \
                   (the Kafka consumer's name) so that a restarted producer replaces its earlier run.
                   """),
      OptionSpec("producer-run", value: "N", category: "Scale-out", summary: "Run number in partial records (default: start time)",
                 discussion: "For output that is the same byte for byte on every run (tests, examples). A restarted producer must get a larger N than its earlier run, or its records are taken for an old run's and dropped."),
      OptionSpec("producers", value: "N", category: "Scale-out", summary: "Close merged windows once N producers pass them",
                 discussion: """
                   The live merge, as Flink's watermark is the minimum over its inputs: a window is written once the \
                   watermark of every producer heard from (less --lateness) has passed its end, so the partials of a \
                   lagging producer are not late. Until N producers have been heard from, windows wait (at most --idle \
                   after the first record). A producer heard nothing from for --idle of wall-clock time (stalled or \
                   gone; a quiet one sends heartbeats) is left out of the minimum until it is heard again; its records \
                   for windows written meanwhile are late. Without --producers a merge cannot know how many producers \
                   there are, and writes at end of input (or by --lateness).
                   """),
      OptionSpec("until-ended", category: "Scale-out", summary: "With --producers N: exit once all N have ended",
                 discussion: """
                   For a merge whose input does not end (a Kafka topic read by `kcat -C`): once N producers have sent \
                   their end (`"watermark":"end"`), every window is written and the merge exits as at end of input.
                   """),
      OptionSpec("input-prefix", value: "LIST", category: "Scale-out", summary: "Lines start with a tab-ended value per name",
                 discussion: """
                   `--input-prefix partition,offset` reads lines such as `kcat -f '%p\\t%o\\t%s\\n'` writes: the partition, a tab, \
                   the offset, a tab, then the JSON record. The values are bytes, not JSON (nothing is spliced into the record). \
                   A value named `offset` (digits) must rise within each producer (--producer-by): a record at an offset not above \
                   the last one seen is a redelivery (a consumer group replaying a partition after a rebalance) and is skipped. \
                   Other names are only for --producer-by.
                   """),
      OptionSpec("producer-by", value: "NAME", category: "Scale-out", summary: "With --partial: a producer per value of prefix NAME",
                 discussion: """
                   One watermark, window state and producer identity (`--producer` NAME, then `/`, the prefix name, `=` and the \
                   value: `access/partition=3`; run 1 unless --producer-run) per value of the --input-prefix NAME, so that a Kafka \
                   consumer reading several partitions interleaved writes for each partition what one process over that partition \
                   alone would. Its partials depend on the partition's records only, so another consumer replaying the \
                   partition writes the same records with the same seq and the merge drops them: windows close by the partition's \
                   own event time, never by --idle; heartbeats follow window closes; at end of input or on a signal open windows \
                   stay unwritten (the partition goes on with whoever reads it next). A partition ends with a record \
                   `{"_watermark":"end"}` in it (its windows are written and a merge hears that it ended); \
                   `{"_watermark":"2024-01-01T00:05:00Z"}` moves its watermark. Not with --state or --emit early. See KAFKA in logkit(7).
                   """),
      OptionSpec("state", value: "FILE", category: "State", summary: "Keep open windows in FILE across restarts",
                 discussion: """
                   FILE holds every open window, session and group with its aggregate state (counts, sums, min and max, \
                   first and last, the HyperLogLog, DDSketch and Space-Saving sketches, in the encoding of --partial records), \
                   the watermark and the late-event counts; with --merge, the merged windows. Loaded at start (a missing FILE \
                   starts fresh; one saved with other windows, --by, -a, --where or --time-field is an error). Replaced atomically \
                   between records at most every --state-every and at exit, always after the output was flushed, so it never \
                   covers a window record that was not written. On SIGINT or SIGTERM the open windows are kept in FILE and not \
                   written (the next run continues them); at the end of input they are written as without --state, and FILE keeps \
                   the watermark past them, so a later run takes their events as late. To write the windows a FILE holds: \
                   `logwindow --state FILE ... < /dev/null` with the same options.

                   Where a restart continues: with --follow, FILE also holds each followed file's position (device, inode, \
                   fingerprint, offset, as --offsets of logparse), taken at the same moment as the windows; the restart, with the \
                   same FILE arguments, reads each file on from just after the last line the windows cover (files found without a \
                   position are read from their start), so no record is counted twice or missed. This is the way to resume \
                   exactly: let the stage before write a file (`logparse access.log >> records.ndjson`) and follow it. \
                   Without --follow (standard input, FILE arguments), the input has no positions, and a restart skips the records \
                   the state already counted: those whose time is before the latest event time it counted, and at that time as \
                   many as it counted there (counted at exit). Give the restart the same stream again from any point at or before \
                   the checkpoint (the whole file, or an upstream replaying from an earlier offset): exact for input in time order \
                   (logparse of one log); records out of order that the killed run had not reached yet are skipped too, and a \
                   stream resumed after the checkpoint (a pipe from logparse --offsets, whose offsets run ahead of what logwindow \
                   had counted) loses what the killed run had read since. With --merge the rule applies to each partial record's \
                   end: exact for one producer's output. With --merge of partial records that carry their producer \
                   (version 2), FILE also keeps each producer's watermark and the seqs merged, and a restart drops re-read \
                   partials by producer, run and seq instead: exact for any number of producers, from any earlier offset.

                   Delivery guarantee. After SIGINT or SIGTERM nothing is repeated and nothing is lost: every window is written \
                   once, by the run in which it closes. After kill -9, a crash or power loss, the restart continues from the last \
                   checkpoint: the windows that closed after it (at most --state-every of wall time, plus the time of one save, \
                   before the kill) were already written and are written again, identical when the restart is given the same \
                   records; no window is lost and no window counts an event twice. Consumers deduplicate on start, end and the \
                   keys (logalert and logdash take the last record of a window). With --emit early, updates of open windows may \
                   also repeat. The output is not fsync'ed.

                   Cost: the whole state is written at every save, one line of JSON per open group (72 bytes for a count, \
                   about 210 with a sum, p95, distinct and top 3). Measured with 100,000 open groups on a busy 2-core machine \
                   (bench/logwindow-state.sh): 7 MB and 0.4 to 1.8 s per save for a count, 21 MB and 1 to 3.6 s with the \
                   sketches; a restart loads them in 2 and 10 s. Keep --state-every well above the time of one save when many groups \
                   are open (the default 1s suits thousands of groups). A kill in the middle of a write can leave the output \
                   ending in a record cut short; a restart appending to the same regular file starts on a new line.
                   """),
      OptionSpec("state-every", value: "DURATION", category: "State", summary: "Longest wall time between --state checkpoints", defaultValue: "1s"),
    ] + StandardOptions.input + StandardOptions.output + ArchiveOptions.options,
    positionals: [PositionalSpec("FILE", summary: "Input files, `-` for stdin (default), or named pipes", repeatable: true)],
    examples: [
      ExampleSpec("logparse access.log | logwindow --every 1m --by path -a count -a errors='count_if(status>=500)' -a 'p95(request_time)'",
                  "Per minute and path: requests, server errors and the 95th percentile latency."),
      ExampleSpec("logwindow --window all --by path -a count -a 'distinct(client)' records.ndjson",
                  "One report over the whole file."),
      ExampleSpec("logwindow --session 30m --by user -a count -a 'conversions=count_if(action==\"purchase\")' clicks.ndjson",
                  "Sessions per user with their conversions."),
      ExampleSpec("cat shard*.partial | logwindow --merge",
                  "Combine `logwindow --partial` outputs of several shards."),
    ],
    seeAlso: ["logparse(1)", "loggen(1)", "logkit(7)"])

  package static func run(_ options: ParsedOptions) throws -> ExitStatus {
    try LogWindowRun(options).run()
  }
}
