#!/usr/bin/env python3
"""Detection quality of examples/rules/web.rules against loggen --truth.

For each seed: loggen with one incident of each kind (shuffled order and
sizes, base rate from RATES) -> logparse -> three logwindow views (per path,
per client, total; merged in time order) -> logalert --rules web.rules.
An incident is detected when an alert of its expected rule fires between its
start and its end plus two windows; time-to-detect is that firing time minus
the incident start. A firing alert is a true positive when it falls inside any
incident (start to end plus two windows), whatever its rule (an outage also
fails every path). Also: 24 h of incident-free diurnal traffic, counting alerts.

Usage: logalert-quality.py BIN_DIR [SEEDS] [MINUTES]
Environment: RATES (base rates in req/s, seeds take them in turn),
SEED_BASE (first seed, default 1: seeds 1..20 were used for tuning the rules,
the published table uses SEED_BASE=101), QUIET_DAY=0|1, QUIET_RATE,
QUIET_SEED (default 199; seed 99 was used for tuning),
EXTRA (RATE:N, e.g. 20000:2: N more seeds at RATE after the others, for
rates too slow to give a fifth of the seeds), OUT (Markdown table file,
default bench/results/logalert-quality.md).
"""
import json, os, random, statistics, subprocess, sys, tempfile
from datetime import datetime, timezone

BIN = sys.argv[1]
SEEDS = int(sys.argv[2]) if len(sys.argv) > 2 else 20
MINUTES = int(sys.argv[3]) if len(sys.argv) > 3 else 60
RATES = [int(r) for r in os.environ.get("RATES", "20,200,2000,5000").split(",")]
SEED_BASE = int(os.environ.get("SEED_BASE", "1"))
OUT = os.environ.get("OUT", os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "logalert-quality.md"))
RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "rules", "web.rules")
EXPECTED = {"errors": "error_burst", "latency": "latency", "spike": "traffic_spike", "scanner": "scanner",
            "outage-drop": "traffic_drop", "outage-errors": "outage"}
START = "2025-07-01T00:00:00Z"
env = dict(os.environ, PATH=BIN + ":" + os.environ["PATH"], LC_ALL="C")

def ts(text):
    return datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()

def sh(cmd, cwd):
    subprocess.run(["bash", "-o", "pipefail", "-c", cmd], cwd=cwd, env=env, check=True)

def pipeline(cwd, loggen_args):
    # The parsed requests are not stored (at 20,000 req/s an hour is 72M lines):
    # logparse feeds the three window views through tee.
    per_path = "logwindow --every 1m --by path -a count -a errors='count_if(status>=500)' -a 'p50(request_time)' -a 'p95(request_time)' < path.fifo > path.ndjson"
    per_client = "logwindow --every 1m --by client -a count -a notfound='count_if(status==404)' < client.fifo > client.ndjson"
    total = "logwindow --every 1m -a count -a errors='count_if(status>=500)' > total.ndjson"
    sh(f"mkfifo path.fifo client.fifo; {per_path} & p1=$!; {per_client} & p2=$!; "
       f"loggen --start {START} --format nginx {loggen_args} --truth truth.ndjson | logparse"
       f" | tee path.fifo client.fifo | {total}; wait $p1 && wait $p2", cwd)
    # Merge by window end (characters 40-59 of every record: {"start":"...","end":"...).
    sh(f"sort -m -s -k1.40,1.59 total.ndjson path.ndjson client.ndjson | logalert --rules {RULES} > alerts.ndjson", cwd)
    alerts = [json.loads(l) for l in open(os.path.join(cwd, "alerts.ndjson"))]
    truth = [json.loads(l) for l in open(os.path.join(cwd, "truth.ndjson"))]
    return alerts, truth

def incidents_for(rng):
    kinds = ["errors", "latency", "spike", "scanner", "outage-drop", "outage-errors"]
    rng.shuffle(kinds)
    specs = []
    paths = ["/api/v1/cart", "/api/v1/products", "/checkout", "/"]
    for i, kind in enumerate(kinds):
        at, length = 12 + i * 8, rng.choice([2, 3, 4])
        when = f"at={at}m for={length}m"
        if kind == "errors":
            specs.append(f"errors path={rng.choice(paths)} status=503 ratio={rng.choice([0.3, 0.5, 0.8])} {when}")
        elif kind == "latency":
            specs.append(f"latency path={rng.choice(paths)} factor={rng.choice([3, 5, 10])} {when}")
        elif kind == "spike":
            specs.append(f"spike factor={rng.choice([3, 5, 8])} {when}")
        elif kind == "scanner":
            specs.append(f"scanner {when}")
        elif kind == "outage-drop":
            specs.append(f"outage mode=drop factor={rng.choice([0.02, 0.1, 0.2])} {when}")
        else:
            specs.append(f"outage mode=errors {when}")
    return specs

def score(alerts, truth, specs):
    firing = [a for a in alerts if a["state"] == "firing" and not a.get("repeat")]
    windows = [(ts(t["start"]), ts(t["end"]) + 120) for t in truth]
    tp = sum(1 for a in firing if any(s <= ts(a["time"]) <= e for s, e in windows))
    detected, ttd = 0, []
    for t, spec in zip(sorted(truth, key=lambda t: t["start"]), sorted(specs, key=lambda s: int(s.split("at=")[1].split("m")[0]))):
        kind = spec.split()[0] + ("-errors" if "mode=errors" in spec else "-drop" if "mode=drop" in spec else "")
        want = EXPECTED[kind]
        s, e = ts(t["start"]), ts(t["end"]) + 120
        hits = [ts(a["time"]) for a in firing if a["alert"] == want and s <= ts(a["time"]) <= e]
        if hits:
            detected += 1
            ttd.append(min(hits) - s)
        else:
            print(f"    missed: {spec}", file=sys.stderr)
    false = [a for a in firing if not any(s <= ts(a["time"]) <= e for s, e in windows)]
    for a in false[:3]:
        print(f"    false alert: {a['alert']} {a['time']} {a['summary']}", file=sys.stderr)
    return len(firing), tp, len(truth), detected, ttd

def pct(values, q):
    return sorted(values)[int(q * (len(values) - 1))] if values else float("nan")

def table_row(label, r):
    n, tp, incidents, detected, ttd, false = r["alerts"], r["true"], r["incidents"], r["detected"], r["ttd"], r["false"]
    return (f"| {label} | {r['seeds']} | {incidents} | {detected} | {detected / incidents:.3f} | "
            f"{tp / n if n else 1:.3f} ({tp}/{n}) | {pct(ttd, 0.5):.0f} s | {pct(ttd, 0.9):.0f} s | {false} |")

def main():
    per_rate = {}
    runs = [(seed, RATES[(seed - SEED_BASE) % len(RATES)]) for seed in range(SEED_BASE, SEED_BASE + SEEDS)]
    for extra in filter(None, os.environ.get("EXTRA", "").split(",")):
        rate, n = (int(v) for v in extra.split(":"))
        runs += [(SEED_BASE + len(runs), rate) for _ in range(n)]
    for seed, rate in runs:
        rng = random.Random(seed)
        specs = incidents_for(rng)
        args = f"--seed {seed} --rate {rate} --duration {MINUTES}m " + " ".join(f"--incident '{s}'" for s in specs)
        with tempfile.TemporaryDirectory() as cwd:
            alerts, truth = pipeline(cwd, args)
        n, tp, incidents, detected, ttd = score(alerts, truth, specs)
        r = per_rate.setdefault(rate, dict(seeds=0, alerts=0, true=0, incidents=0, detected=0, ttd=[], false=0))
        r["seeds"] += 1; r["alerts"] += n; r["true"] += tp; r["incidents"] += incidents
        r["detected"] += detected; r["ttd"] += ttd; r["false"] += n - tp
        print(f"seed {seed:3d} rate {rate:5d}/s: {n} alerts, {tp} true, {detected}/{incidents} incidents detected, "
              f"median ttd {statistics.median(ttd) if ttd else float('nan'):.0f}s", flush=True)
    all_r = dict(seeds=0, alerts=0, true=0, incidents=0, detected=0, ttd=[], false=0)
    for r in per_rate.values():
        for k in all_r: all_r[k] += r[k]
    lines = [f"Seeds {SEED_BASE}..{SEED_BASE + len(runs) - 1} (base rates in turn{', then ' + os.environ['EXTRA'] + ' as RATE:SEEDS' if os.environ.get('EXTRA') else ''}), {MINUTES} min each, "
             "six incidents per seed (error burst, latency, spike, scanner, outage by drop, outage by errors; "
             "random order, sizes and paths), one-minute windows, examples/rules/web.rules.", "",
             "| base rate | seeds | incidents | detected | recall | precision (true/alerts) | median ttd | p90 ttd | false alerts |",
             "|---|---|---|---|---|---|---|---|---|"]
    lines += [table_row(f"{rate} req/s", per_rate[rate]) for rate in sorted(per_rate)]
    lines.append(table_row("all", all_r))
    if os.environ.get("QUIET_DAY", "1") == "1":
        quiet_rate, quiet_seed = os.environ.get("QUIET_RATE", "20"), os.environ.get("QUIET_SEED", "199")
        with tempfile.TemporaryDirectory() as cwd:
            alerts, _ = pipeline(cwd, f"--seed {quiet_seed} --rate {quiet_rate} --duration 24h --diurnal")
        firing = [a for a in alerts if a["state"] == "firing"]
        lines += ["", f"24 h of incident-free diurnal traffic (seed {quiet_seed}, {quiet_rate} req/s): {len(firing)} alerts."]
        lines += [f"    {a['alert']} {a['time']} {a['summary']}" for a in firing[:5]]
    text = "\n".join(lines) + "\n"
    print("\n" + text, end="")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        f.write(text)

main()
