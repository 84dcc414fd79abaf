/*
 The `logscale` command: the option table (the single source of --help, the
 man page and completions) and the entry point. Options become typed
 configuration in LogScaleSettings.swift; the run loop is LogScaleRun.swift.
*/

package enum LogScaleCommand {
  package static let spec = CommandSpec(
    name: "logscale", summary: "Horizontal scaling decisions from window records (the Kubernetes HPA algorithm)",
    usage: ["--metric [NAME=]EXPR --target VALUE [--type average|value] ... --max N [OPTIONS] [FILE...]",
            "... --simulate [--startup-delay DURATION] [FILE...]"],
    description: """
      Reads window records (logwindow output) and decides how many replicas a service needs, \
      with the algorithm of the Kubernetes Horizontal Pod Autoscaler (HPA) and its `behavior` \
      field, plus KEDA's scale to and from zero. It writes one NDJSON decision per change \
      (every evaluation with --all): `time`, `from`, `to` (replicas), `desired` (the metrics' \
      recommendation before windows, policies and limits), `metrics` (each metric's `value` and \
      `proposal`), `reason` (a sentence: which metric drove it and which window, policy or limit \
      applied), and `ready` with --simulate.

      Evaluations follow event time: all records with the same `end` (--time-field) are one \
      evaluation, made when a record with a later `end` arrives, when input is quiet for --idle, \
      or at end of input. A replay of a day of logs gives a day of decisions. Records must come \
      in time order (logwindow writes them so); an earlier one is bad input.

      A metric is an expression over the evaluation's records: sum(X), avg(X), min(X) and max(X) \
      aggregate X across them (e.g. across logwindow --by groups), ignoring records where X is not \
      a number; a field outside an aggregate is summed. `replicas` and `ready` (outside aggregates) \
      are the current and ready replica counts. A metric without a value (its fields absent, a \
      division by zero) is missing, never 0.

      Each --metric takes the --target, --type and --activation given after it. Type `average` \
      (the default; HPA AverageValue) reads the metric as a fleet total whose average per replica \
      is held at the target: desired = ceil(value / target). Type `value` (HPA Value) reads a \
      per-replica quantity such as latency or utilization: desired = ceil(ready * value / target). \
      No change is made while value / (target * replicas) (average) or value / target (value) is \
      within the tolerance of 1. With several metrics the largest proposal wins; when a metric is \
      missing and the others propose a scale-down, nothing changes (as the HPA).

      Behavior, as the HPA applies it: the recommendation is held between the lowest \
      recommendation of the last --scale-up-window and the highest of the last \
      --scale-down-window; then the policies of the direction limit the change relative to the \
      count at the start of each policy's period (`pods=N per DURATION`, `percent=N per DURATION`; \
      --up-select/--down-select `max` takes the policy allowing the largest change, `min` the \
      smallest, `disabled` none), and --min and --max bound it. Windows and periods count what \
      happened in (now - W, now]. Defaults are Kubernetes': scale-up window 0s with policies \
      `percent=100 per 15s` and `pods=4 per 15s`, scale-down window 5m with `percent=100 per 15s`; \
      giving a policy for a direction replaces that direction's defaults. Like a new HPA, logscale \
      does not scale down during its first scale-down window.

      Scale to zero, as KEDA: with --min 0, at 0 replicas the fleet stays at 0 until a metric is \
      above its --activation (default 0), then goes to 1; from there the HPA works with a floor of \
      1, and once no metric has been above its activation for longer than --cooldown the fleet goes \
      to 0. The cooldown clock starts at the first evaluation. A missing metric is not active. \
      With --min 1 or more and 0 current replicas, logscale changes nothing (Kubernetes' \
      convention for a workload scaled to zero by hand).

      Current replicas come from --replicas, then from the last decision. --simulate needs no \
      cluster: each decision becomes the next evaluation's replica count, added replicas are ready \
      only after --startup-delay, and a scale-down removes starting replicas first. Value metrics \
      are read as recorded; write them over `ready` (e.g. `sum(count)/15/ready`) to make them \
      follow the simulated fleet.

      Where logscale differs from the HPA: there are no pods to inspect, so the HPA's special \
      treatment of unready and missing pods is replaced by the `ready` count; the clock is the \
      records' event time, not the wall clock.

      Actuation: --exec PROGRAM [ARG...] runs PROGRAM for every decision that changes the count, \
      e.g. `--exec kubectl scale deploy/web --replicas={replicas} ';'`. Every argument after --exec \
      up to a lone `;` (quote it: `';'`) or the end of the command line is the program's. PROGRAM \
      is found in PATH and run directly, never through a shell. In ARGs, {replicas} (the new \
      count, as {to}), {from}, {to}, {desired}, {time} and {reason} are replaced inside their \
      argument; the decision's JSON line is on stdin, and LOGSCALE_REPLICAS, LOGSCALE_FROM, \
      LOGSCALE_TO, LOGSCALE_DESIRED, LOGSCALE_TIME and LOGSCALE_REASON in the environment. \
      Decisions are applied one at a time without holding up evaluation; a newer decision \
      replaces one still waiting. A failure (non-zero exit, signal, --exec-timeout) is reported \
      on stderr with the end of the program's stderr and not retried: without --current-cmd the \
      known count goes back to the failed decision's `from` (and the scale policies forget the \
      change), so the next evaluation decides, and \
      runs --exec, again. At exit logscale waits at most --exec-drain for a running --exec.

      --current-cmd PROGRAM [ARG...] reads the current count before each evaluation (at most \
      every --current-every of wall time, when given): its stdout, trimmed, must be a whole \
      number, e.g. `--current-cmd kubectl get deploy web -o jsonpath={.spec.replicas} ';'` \
      (no placeholders are replaced in it). It is not run while an --exec runs or waits (the \
      count is about to change; the decision's count stands). It runs synchronously, killed after --exec-timeout; \
      when it fails or prints something else, logscale keeps the last known count and says so \
      once, until it works again. --dry-run writes the decisions and runs no --exec; \
      --current-cmd, which only reads, still runs.
      """,
    options: [
      OptionSpec("metric", short: "m", value: "[NAME=]EXPR", category: "Metrics", summary: "A metric to scale on (repeatable)",
                 discussion: "Example: `--metric 'rps=sum(count)/15' --target 200`. A bare field is its own name: `--metric p95 --target 0.3 --type value`.",
                 repeatable: true),
      OptionSpec("target", value: "VALUE", category: "Metrics", summary: "Target of the --metric before it",
                 discussion: "For an `average` metric the target is per replica.", repeatable: true),
      OptionSpec("type", value: "TYPE", category: "Metrics", summary: "Type of the --metric before it", defaultValue: "average",
                 repeatable: true, completion: .choices(["average", "value"])),
      OptionSpec("activation", value: "VALUE", category: "Metrics", summary: "With --min 0: wake when the metric passes VALUE",
                 repeatable: true),
      OptionSpec("replicas", value: "N", category: "Replicas", summary: "Replicas at the start", defaultValue: "--min, at least 1"),
      OptionSpec("min", value: "N", category: "Replicas", summary: "Fewest replicas (0: scale to zero)", defaultValue: "1"),
      OptionSpec("max", value: "N", category: "Replicas", summary: "Most replicas (required)"),
      OptionSpec("tolerance", value: "X", category: "Replicas", summary: "Ignore usage ratios within X of 1", defaultValue: "0.1"),
      OptionSpec("tolerance-up", value: "X", category: "Replicas", summary: "Tolerance above 1 (overrides --tolerance)"),
      OptionSpec("tolerance-down", value: "X", category: "Replicas", summary: "Tolerance below 1 (overrides --tolerance)"),
      OptionSpec("scale-up-window", value: "DURATION", category: "Behavior", summary: "Scale up to the window's lowest recommendation", defaultValue: "0s"),
      OptionSpec("scale-down-window", value: "DURATION", category: "Behavior", summary: "Scale down to the window's highest recommendation", defaultValue: "5m"),
      OptionSpec("up-policy", value: "POLICY", category: "Behavior", summary: "Scale-up policy, e.g. `pods=4 per 15s` (repeatable)",
                 discussion: "`pods=N per DURATION` or `percent=N per DURATION`; replaces the defaults `percent=100 per 15s` and `pods=4 per 15s`.", repeatable: true),
      OptionSpec("down-policy", value: "POLICY", category: "Behavior", summary: "Scale-down policy (repeatable)",
                 discussion: "Replaces the default `percent=100 per 15s`. Example: `--down-policy 'pods=4 per 1m' --down-policy 'percent=10 per 1m'`.",
                 repeatable: true),
      OptionSpec("up-select", value: "WHICH", category: "Behavior", summary: "Scale-up policy selection", defaultValue: "max",
                 completion: .choices(["max", "min", "disabled"])),
      OptionSpec("down-select", value: "WHICH", category: "Behavior", summary: "Scale-down policy selection", defaultValue: "max",
                 completion: .choices(["max", "min", "disabled"])),
      OptionSpec("cooldown", value: "DURATION", category: "Behavior", summary: "With --min 0: quiet time before going to zero", defaultValue: "5m"),
      OptionSpec("time-field", value: "FIELD", category: "Input", summary: "Field holding the evaluation time", defaultValue: "end"),
      OptionSpec("idle", value: "DURATION", category: "Input", summary: "Evaluate open records after this quiet time", defaultValue: "250ms"),
      OptionSpec("all", category: "Output", summary: "Write every evaluation, not only changes"),
      OptionSpec("state", value: "FILE", category: "State", summary: "Keep replicas and history in FILE across restarts",
                 discussion: "Loaded at start (a missing FILE starts fresh); replaced atomically after decisions, at most every --state-every, and at exit, always after the decisions it covers were flushed to the output, so a restart after kill -9 neither repeats nor loses a decision that was written. Records at or before the saved evaluation time are rejected as already evaluated.",
                 completion: .file),
      OptionSpec("state-every", value: "DURATION", category: "State", summary: "Longest wall time between --state checkpoints", defaultValue: "1s"),
      OptionSpec("simulate", category: "Simulation", summary: "No cluster: decisions become the replica count"),
      OptionSpec("startup-delay", value: "DURATION", category: "Simulation", summary: "Time before a new replica is ready", defaultValue: "30s"),
      OptionSpec("exec", value: "PROGRAM...", category: "Actions", summary: "Run PROGRAM for each change; ARGs end at a lone ';'",
                 discussion: "See Actuation in DESCRIPTION. Placeholders: {replicas}, {from}, {to}, {desired}, {time}, {reason}.",
                 completion: .none, takesCommand: true),
      OptionSpec("current-cmd", value: "PROGRAM...", category: "Actions", summary: "Read the current count from PROGRAM's stdout",
                 discussion: "Run before each evaluation (see --current-every); ARGs end at a lone ';'.", completion: .none, takesCommand: true),
      OptionSpec("current-every", value: "DURATION", category: "Actions", summary: "Run --current-cmd at most this often (wall time)", defaultValue: "0s, every evaluation"),
      OptionSpec("dry-run", category: "Actions", summary: "Write decisions only; run no --exec"),
    ] + ActionOptions.common + StandardOptions.input + StandardOptions.output + ArchiveOptions.options,
    positionals: [PositionalSpec("FILE", summary: "Input files, `-` for stdin (the default)", repeatable: true)],
    examples: [
      ExampleSpec("logparse access.log | logwindow --every 15s | logscale --metric 'rps=count/15' --target 50 --max 20",
                  "Replicas for 50 requests per second per replica, decisions on stdout."),
      ExampleSpec("logwindow --every 15s --by path -a count -a 'p95(request_time)' r.ndjson | logscale -m 'rps=sum(count)/15' --target 50 -m 'p95=max(p95_request_time)' --target 0.3 --type value --max 40",
                  "Two metrics over grouped windows: the larger proposal wins."),
      ExampleSpec("logscale -m 'rps=count/15' --target 50 --max 20 --simulate --startup-delay 45s --all windows.ndjson",
                  "Replay a day offline: every evaluation with the simulated ready replicas."),
      ExampleSpec("logscale -m 'rps=count/15' --target 50 --min 0 --activation 1 --cooldown 10m --max 20 windows.ndjson",
                  "Scale to zero when traffic stops for 10 minutes; wake on the first request per second."),
      ExampleSpec("logscale -m 'rps=count/15' --target 50 --max 20 --current-cmd kubectl get deploy web -o 'jsonpath={.spec.replicas}' ';' --exec kubectl scale deploy/web '--replicas={replicas}' < windows.ndjson",
                  "Scale a Kubernetes deployment (examples/kubectl-scale.sh runs this with a fake kubectl)."),
    ],
    seeAlso: ["logwindow(1)", "loggen(1)", "logparse(1)", "logkit(7)"])

  package static func run(_ options: ParsedOptions) throws -> ExitStatus {
    try LogScaleRun(options).run()
  }
}
