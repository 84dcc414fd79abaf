#!/usr/bin/env python3
"""Latency from a window record written to logalert's stdin to the alert
event it causes read from logalert's stdout, at a low rate.

The rule `hot: count > 50 by path` sees records whose count alternates
between 100 and 0, each one window later than the last: every record makes
an event (firing, then resolved, then firing...). The driver writes one
record, waits for the event line, and sleeps to keep RATE records/s.

Usage: logalert-latency.py LOGALERT [RECORDS=2000] [RATE=100]
"""
import os, select, subprocess, sys, time
from datetime import datetime, timedelta, timezone

binary = sys.argv[1]
records = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rate = float(sys.argv[3]) if len(sys.argv) > 3 else 100.0
proc = subprocess.Popen([binary, "--rule", "hot: count > 50 by path"], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, bufsize=0)
out = proc.stdout.fileno()
base = datetime(2025, 7, 1, tzinfo=timezone.utc)
fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
latencies, pending = [], b""
next_write = time.monotonic()
for n in range(records):
    start, end = base + timedelta(minutes=n), base + timedelta(minutes=n + 1)
    line = f'{{"start":"{fmt(start)}","end":"{fmt(end)}","path":"/x","count":{100 if n % 2 == 0 else 0}}}\n'
    now = time.monotonic()
    if next_write > now:
        time.sleep(next_write - now)
    sent = time.monotonic()
    os.write(proc.stdin.fileno(), line.encode())
    while b"\n" not in pending:
        ready, _, _ = select.select([out], [], [], 5)
        if not ready:
            sys.exit(f"no event within 5 s after record {n}")
        pending += os.read(out, 65536)
    got = time.monotonic()
    pending = pending[pending.index(b"\n") + 1:]
    latencies.append((got - sent) * 1000)
    next_write = sent + 1 / rate
proc.stdin.close()
proc.wait()
latencies.sort()
q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))]
print(f"logalert latency, record in -> event out, {records} records at {rate:g}/s: "
      f"p50 {q(0.5):.3f} ms, p99 {q(0.99):.3f} ms, max {latencies[-1]:.3f} ms")
