#!/usr/bin/env python3
"""Deterministic logparse-style NDJSON access records for bench/logwindow.sh.

usage: logwindow-gen.py N [SHIFT_SECONDS [SHAPE]] > file.ndjson
SHAPE "basic" (the default): records come 16 per second (about 17 hours per
million), starting 2024-01-01T00:00:00Z plus SHIFT_SECONDS, with 2,000
Zipf-like paths, 2% server errors.
SHAPE "high" (high cardinality): 180 records per second, 5,000 Zipf paths
(exponent 1.2) and 30,000 clients, so about 135,000 one-minute window x path
groups per million records.
"""
import random
import sys
import time

n = int(sys.argv[1])
shift = int(sys.argv[2]) if len(sys.argv) > 2 else 0
high = len(sys.argv) > 3 and sys.argv[3] == "high"
rng = random.Random(42)
if high:
    paths = ["/"] + [f"/page/{i}" for i in range(1, 1000)] + [f"/api/v1/items/{i}" for i in range(4000)]
    weights = [1.0 / (i + 1) ** 1.2 for i in range(len(paths))]
    per_second = 180
else:
    paths = ["/"] + [f"/page/{i}" for i in range(1, 500)] + [f"/api/v1/items/{i}" for i in range(1500)]
    weights = [1.0 / (i + 1) ** 1.1 for i in range(len(paths))]
    per_second = 16
cum = []
s = 0.0
for w in weights:
    s += w
    cum.append(s)
import bisect

start = 1704067200 + shift
methods = ["GET"] * 9 + ["POST"]
agents = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.4.0", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)"]
out = sys.stdout
buf = []
for i in range(n):
    t = start + i // per_second
    ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    path = paths[bisect.bisect_left(cum, rng.random() * s)]
    r = rng.random()
    status = 500 if r < 0.02 else (404 if r < 0.07 else (304 if r < 0.15 else 200))
    if high:
        c = rng.randrange(30000)
        client = f"10.{c >> 16}.{(c >> 8) & 255}.{c & 255}"
    else:
        client = f"10.{rng.randrange(4)}.{rng.randrange(256)}.{rng.randrange(256)}"
    size = int(rng.lognormvariate(8, 1.5))
    rt = round(rng.lognormvariate(-3, 1), 3)
    buf.append(
        f'{{"time":"{ts}","client":"{client}","method":"{methods[i % 10]}","path":"{path}",'
        f'"protocol":"HTTP/1.1","status":{status},"bytes":{size},"referer":"https://example.com/",'
        f'"user_agent":"{agents[i % 3]}","request_time":{rt}}}\n'
    )
    if len(buf) >= 10000:
        out.write("".join(buf))
        buf = []
out.write("".join(buf))
