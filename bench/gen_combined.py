#!/usr/bin/env python3
"""Writes a deterministic Apache combined log (default 1,000,000 lines, ~220 MB).

Usage: gen_combined.py LINES OUT
Seeded PRNG, one second advanced every ~20 lines, realistic paths, referers and
user agents, a few `-` sizes; the same file every run.
"""
import random
import sys

lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
out = sys.argv[2] if len(sys.argv) > 2 else "/dev/stdout"
rng = random.Random(42)
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
paths = ["/", "/index.html", "/api/v1/orders", "/api/v1/users/%d", "/static/app.%d.js", "/static/css/site.css",
         "/images/products/%d/large.jpg", "/search", "/blog/2024/10/some-long-article-title-about-logs-%d",
         "/checkout/cart", "/favicon.ico", "/robots.txt"]
queries = ["", "", "", "?q=shoes&page=%d", "?utm_source=newsletter&utm_medium=email&id=%d", "?ref=%d"]
agents = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.4.0",
]
referers = ["-", "https://www.example.com/", "https://www.google.com/search?q=example+shop", "https://shop.example.com/checkout/cart"]
statuses = [200] * 40 + [304] * 4 + [404] * 3 + [301, 302, 500, 503]
methods = ["GET"] * 18 + ["POST", "HEAD"]
t = 1_700_000_000
with open(out, "w") as f:
    buf = []
    for i in range(lines):
        if rng.random() < 0.05:
            t += 1
        d = t // 86400
        # civil from days (Hinnant)
        z = d + 719468
        era = z // 146097
        doe = z - era * 146097
        yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
        y = yoe + era * 400
        doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
        mp = (5 * doy + 2) // 153
        day = doy - (153 * mp + 2) // 5 + 1
        m = mp + 3 if mp < 10 else mp - 9
        if m <= 2:
            y += 1
        s = t % 86400
        ip = "%d.%d.%d.%d" % (rng.randrange(1, 224), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
        p = rng.choice(paths)
        if "%d" in p:
            p = p % rng.randrange(100000)
        q = rng.choice(queries)
        if "%d" in q:
            q = q % rng.randrange(1000)
        status = rng.choice(statuses)
        size = "-" if status == 304 and rng.random() < 0.5 else str(rng.randrange(200, 90000))
        user = "-" if rng.random() < 0.97 else "alice"
        buf.append('%s - %s [%02d/%s/%04d:%02d:%02d:%02d +0000] "%s %s%s HTTP/1.1" %d %s "%s" "%s"\n' % (
            ip, user, day, months[m - 1], y, s // 3600, s // 60 % 60, s % 60, rng.choice(methods), p, q, status, size,
            rng.choice(referers), rng.choice(agents)))
        if len(buf) >= 10000:
            f.write("".join(buf))
            buf = []
    f.write("".join(buf))
