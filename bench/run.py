#!/usr/bin/env python3
"""Driver of bench/run.sh: paired, interleaved runs; one table of medians and ratios.

Each comparison is a set of commands run once per round, in an order that
rotates from round to round, so drift on a shared machine hits all of them
alike. A ratio is the median over rounds of the per-round ratio (paired), not
the ratio of medians. Times are wall-clock seconds of the whole command.

Usage: run.py quick|full BIN_DIR OUT_DIR
"""
import os, shutil, statistics, subprocess, sys, time

MODE, BIN, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
ROUNDS = 3 if MODE == "quick" else 7
HERE = os.path.dirname(os.path.abspath(__file__))
WINDOW_ARGS = "--every 1m --by path -a count -a errors='count_if(status>=500)' -a 'p95(bytes)' -a 'distinct(client)'"
DUCKDB_QUERY = os.path.join(OUT, "duckdb_window.py")
POLARS_QUERY = os.path.join(OUT, "polars_window.py")


def have(module):
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


CPU = {}  # name -> [user + system seconds of the command and its children, per round]


def run(cmd):
    """Wall-clock and CPU (user + system, children included) seconds of one run of a shell command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/env", "bash", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"run.py: failed ({os.waitstatus_to_exitcode(status)}): {cmd}\n{err.decode()[-2000:]}")
    return took, usage.ru_utime + usage.ru_stime


def compare(commands):
    """{name: [wall seconds per round]} for commands run interleaved (CPU seconds go to CPU)."""
    names = list(commands)
    times = {name: [] for name in names}
    for name in names:
        CPU[name] = []
    for r in range(ROUNDS):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            wall, cpu = run(commands[name])
            times[name].append(wall)
            CPU[name].append(cpu)
    return times


def cpu_ratio(numerator, denominator):
    """The paired ratio of CPU times: steadier than wall time on a busy machine."""
    return median([a / b for a, b in zip(CPU[numerator], CPU[denominator]) if b > 0])


def median(values):
    return statistics.median(values)


def paired(times, numerator, denominator):
    return median([a / b for a, b in zip(times[numerator], times[denominator])])


def peak_rss_mib(cmd):
    """Peak RSS of one command (exec'ed by bash, so the rusage is the command's own)."""
    proc = subprocess.Popen(["/usr/bin/env", "bash", "-c", "exec " + cmd], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"run.py: failed ({proc.returncode}): {cmd}")
    return usage.ru_maxrss / 1024


def write_peer_queries():
    with open(DUCKDB_QUERY, "w") as f:
        f.write('''import sys, duckdb
path, threads = sys.argv[1], int(sys.argv[2])
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
con.execute(f"""COPY (
  SELECT time_bucket(INTERVAL 1 minute, CAST(time AS TIMESTAMP)) AS start, path,
         count(*) AS count, count_if(status >= 500) AS errors,
         approx_quantile(bytes, 0.95) AS p95_bytes, approx_count_distinct(client) AS distinct_client
  FROM read_ndjson('{path}', columns = {{time: 'VARCHAR', path: 'VARCHAR', status: 'INTEGER', bytes: 'BIGINT', client: 'VARCHAR'}})
  GROUP BY ALL ORDER BY start, path) TO '/dev/stdout' (FORMAT json)""")
''')
    with open(POLARS_QUERY, "w") as f:
        f.write('''import sys
import polars as pl
schema = {"time": pl.String, "path": pl.String, "status": pl.Int64, "bytes": pl.Int64, "client": pl.String}
q = (pl.scan_ndjson(sys.argv[1], schema=schema)
     .with_columns(pl.col("time").str.to_datetime("%Y-%m-%dT%H:%M:%SZ").dt.truncate("1m").alias("start"))
     .group_by("start", "path")
     .agg(pl.len().alias("count"), (pl.col("status") >= 500).sum().alias("errors"),
          pl.col("bytes").quantile(0.95).alias("p95_bytes"), pl.col("client").approx_n_unique().alias("distinct_client"))
     .sort("start", "path"))
q.collect().write_ndjson(sys.stdout)
''')


rows = []  # (work, logkit figure, peer figure, ratio text, target, met)


def row(work, logkit, peer, ratio, target="", met=None):
    rows.append((work, logkit, peer, ratio, target, "" if met is None else ("yes" if met else "NO")))
    print(f"  {work}: {logkit} | {peer} | {ratio}", file=sys.stderr, flush=True)


def window_rows(label, data, records, target):
    lw = f"{BIN}/logwindow {WINDOW_ARGS} {data} > /dev/null"
    commands = {"logwindow": lw}
    if have("duckdb"):
        commands["duckdb2"] = f"python3 {DUCKDB_QUERY} {data} 2 > /dev/null"
        commands["duckdb1"] = f"python3 {DUCKDB_QUERY} {data} 1 > /dev/null"
    if have("polars") and records <= 1_000_000:
        commands["polars2"] = f"POLARS_MAX_THREADS=2 python3 {POLARS_QUERY} {data} > /dev/null"
    times = compare(commands)
    groups = int(subprocess.run(f"{lw.replace('> /dev/null', '')} | wc -l", shell=True, capture_output=True, text=True).stdout)
    lw_s = median(times["logwindow"])
    records = sum(1 for _ in open(data, "rb"))
    base = f"{label} ({records / 1e6:g} M records, {groups:,} groups)"
    if "duckdb2" in times:
        ratio = paired(times, "duckdb2", "logwindow")
        row(f"{base} vs DuckDB 2 threads", f"{lw_s:.2f} s", f"{median(times['duckdb2']):.2f} s",
            f"{ratio:.2f}x (CPU {cpu_ratio('duckdb2', 'logwindow'):.2f}x)", f">= {target}x", ratio >= target)
        row(f"{base} vs DuckDB 1 thread", f"{lw_s:.2f} s", f"{median(times['duckdb1']):.2f} s", f"{paired(times, 'duckdb1', 'logwindow'):.2f}x")
    else:
        row(base, f"{lw_s:.2f} s", "DuckDB not installed", "")
    if "polars2" in times:
        row(f"{base} vs Polars 2 threads", f"{lw_s:.2f} s", f"{median(times['polars2']):.2f} s", f"{paired(times, 'polars2', 'logwindow'):.2f}x")


def scan_row():
    data = f"{OUT}/parsed.ndjson"
    size = os.path.getsize(data)
    times = compare({"scan": f"{BIN}/logwindow --window all -a count {data} > /dev/null", "cat": f"cat {data} | cat > /dev/null"})
    mbs = size / median(times["scan"]) / 1e6
    row(f"NDJSON scan: logwindow --window all -a count on logparse output ({size / 1e6:.0f} MB)",
        f"{median(times['scan']):.3f} s = {mbs:.0f} MB/s", f"cat piped to cat: {median(times['cat']):.3f} s",
        f"{paired(times, 'scan', 'cat'):.2f}x cat's time", ">= 1500 MB/s", mbs >= 1500)


def logparse_rows():
    log = f"{OUT}/combined.log"
    mine, minimal = f"{OUT}/logparse.ndjson", f"{OUT}/minimal.ndjson"
    subprocess.run(f"{BIN}/logparse {log} > {mine} && {OUT}/minimal-scanner {log} > {minimal}", shell=True, check=True)
    same = subprocess.run(["cmp", "-s", mine, minimal]).returncode == 0
    commands = {"logparse": f"{BIN}/logparse {log} > /dev/null", "minimal": f"{OUT}/minimal-scanner {log} > /dev/null",
                "logparse_file": f"{BIN}/logparse {log} > {mine}", "cat": f"cat {log} | cat > /dev/null"}
    times = compare(commands)
    lp = median(times["logparse"])
    ratio = paired(times, "logparse", "minimal")
    lines = sum(1 for _ in open(log, "rb"))
    row(f"combined -> NDJSON, {lines / 1e6:g} M lines: logparse vs the minimal scanner" + (", same bytes" if same else " (OUTPUT DIFFERS)"),
        f"{lp:.3f} s", f"{median(times['minimal']):.3f} s",
        f"{ratio:.2f}x its time (CPU {cpu_ratio('logparse', 'minimal'):.2f}x)", "<= 1.15x", ratio <= 1.15 and same)
    share = paired(times, "logparse", "logparse_file")
    row("logparse to a file vs to /dev/null", f"{median(times['logparse_file']):.3f} s", f"{lp:.3f} s",
        f"{share:.0%} of /dev/null speed", ">= 80%", share >= 0.8)
    row("logparse vs cat piped to cat", f"{lp:.3f} s", f"{median(times['cat']):.3f} s", f"{paired(times, 'logparse', 'cat'):.1f}x cat's time")
    peers = {}
    if have("polars"):
        peers["polars"] = f"POLARS_MAX_THREADS=2 python3 {HERE}/polars_regex.py {log} > /dev/null 2>&1"
    peers["python"] = f"python3 {HERE}/py_regex_parse.py {log} > /dev/null"
    if shutil.which("goaccess"):
        peers["goaccess"] = f"goaccess {log} --log-format=COMBINED --no-global-config -o {OUT}/goaccess.json > /dev/null 2>&1"
    global ROUNDS
    saved, ROUNDS = ROUNDS, (1 if MODE == "quick" else 3)  # the slow peers: fewer rounds
    times = compare({"logparse": commands["logparse"], **peers})
    ROUNDS = saved
    for name, label, target in (("polars", "Polars regex, 2 threads", 4), ("python", "Python regex", None), ("goaccess", "goaccess", None)):
        if name in times:
            r = paired(times, name, "logparse")
            row(f"logparse vs {label}", f"{median(times['logparse']):.3f} s", f"{median(times[name]):.2f} s", f"{r:.1f}x faster",
                f">= {target}x" if target else "", (r >= target) if target else None)


def other_rows():
    times = compare({"loggen": f"{BIN}/loggen --rate max --start 2025-07-01T00:00:00Z --seed 1 --count 1000000 --format combined | cat > /dev/null"})
    row("loggen --rate max, 1 M combined lines to a pipe", f"{median(times['loggen']):.3f} s = {1e6 / median(times['loggen']) / 1e6:.2f} M lines/s", "", "")
    loops = 200
    times = compare({"version": f"for i in $(seq {loops}); do {BIN}/logparse --version; done > /dev/null",
                     "true": f"for i in $(seq {loops}); do /bin/true; done > /dev/null"})
    over = median([(a - b) / loops * 1000 for a, b in zip(times["version"], times["true"])])
    over_cpu = median([(a - b) / loops * 1000 for a, b in zip(CPU["version"], CPU["true"])])
    row("start-up: logparse --version over /bin/true", f"{over:.2f} ms more (CPU {over_cpu:.2f} ms more)", "", "", "<= 3 ms", over <= 3)
    rss = peak_rss_mib(f"{BIN}/logwindow {WINDOW_ARGS} {OUT}/access-high-1000000.ndjson")
    row("peak RSS of logwindow, high cardinality, 1 M records", f"{rss:.0f} MiB", "", "")
    if MODE == "full":
        rss10 = peak_rss_mib(f"{BIN}/logwindow {WINDOW_ARGS} {OUT}/access-10000000.ndjson")
        rss1 = peak_rss_mib(f"{BIN}/logwindow {WINDOW_ARGS} {OUT}/access-1000000.ndjson")
        row("peak RSS of logwindow, 1 M and 10 M records (flat?)", f"{rss1:.0f} MiB / {rss10:.0f} MiB", "", "",
            "flat", rss10 <= rss1 * 1.2)


def main():
    write_peer_queries()
    print(f"bench/run.py {MODE}: {ROUNDS} rounds", file=sys.stderr)
    window_rows("1-minute windows by path, bench/logwindow-gen.py data", f"{OUT}/access-1000000.ndjson", 1_000_000, 2)
    window_rows("the same, high cardinality (5,000 Zipf paths, 30,000 clients)", f"{OUT}/access-high-1000000.ndjson", 1_000_000, 2)
    if MODE == "full":
        window_rows("the same, 10 M records", f"{OUT}/access-10000000.ndjson", 10_000_000, 1.5)
    scan_row()
    logparse_rows()
    other_rows()
    cpu = subprocess.run("nproc", capture_output=True, text=True).stdout.strip()
    lines = [f"bench/run.sh {MODE} ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {cpu} cores, {ROUNDS} paired rounds,"
             " medians; ratios are medians of per-round ratios)", "",
             "| work | logkit | peer, same run | ratio | target | met |", "|---|---|---|---|---|---|"]
    lines += [f"| {' | '.join(r)} |" for r in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(HERE, "results", f"speed-{MODE}.md"), "w") as f:
        f.write(text)


main()
