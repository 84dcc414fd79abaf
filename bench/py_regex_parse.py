#!/usr/bin/env python3
"""Reference parser for bench/logparse.sh: Apache combined lines -> the same NDJSON
records logparse writes (field order, `-` omitted, request split, RFC 3339 UTC time).
Idiomatic Python: one compiled regex, datetime.strptime, json.dumps."""
import json
import re
import sys
from datetime import timezone, datetime

LINE = re.compile(
    r'^(\S+) (\S+) (\S+) \[([^\]]+)\] "((?:[^"\\]|\\.)*)" (\d{3}|-) (\d+|-)'
    r'(?: "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)")?$')
REQUEST = re.compile(r'^([A-Za-z_-]{1,32}) +(\S+)(?: +(HTTP/\S+))? *$')


def unescape(text):
    return text.replace('\\"', '"').replace('\\\\', '\\')


def main(path):
    out = sys.stdout
    dumps = json.dumps
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            m = LINE.match(line.rstrip("\r\n"))
            if not m:
                sys.stderr.write("bad line\n")
                continue
            host, ident, user, ts, request, status, size, referer, agent = m.groups()
            rec = {}
            t = datetime.strptime(ts, "%d/%b/%Y:%H:%M:%S %z").astimezone(timezone.utc)
            rec["time"] = t.strftime("%Y-%m-%dT%H:%M:%SZ")
            for key, value in (("client", host), ("ident", ident), ("user", user)):
                if value != "-":
                    rec[key] = value
            request = unescape(request)
            r = REQUEST.match(request)
            if r:
                rec["method"] = r.group(1)
                target = r.group(2)
                path_, _, query = target.partition("?")
                if path_:
                    rec["path"] = path_
                if query:
                    rec["query"] = query
                if r.group(3):
                    rec["protocol"] = r.group(3)
            elif request not in ("", "-"):
                rec["request"] = request
            if status != "-":
                rec["status"] = int(status)
            if size != "-":
                rec["bytes"] = int(size)
            if referer and referer != "-":
                rec["referer"] = unescape(referer)
            if agent and agent != "-":
                rec["user_agent"] = unescape(agent)
            out.write(dumps(rec, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
