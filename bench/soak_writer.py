#!/usr/bin/env python3
"""Writes stdin's lines to PATH and rotates PATH every PERIOD seconds, by
rename (logrotate's create) and by copytruncate in turn, keeping two old
generations. Rotation happens only at line boundaries. At the end it prints
on stderr how many lines it wrote and how many rotations it did.

Usage: soak_writer.py PATH PERIOD
"""
import os, shutil, sys, time

path, period = sys.argv[1], float(sys.argv[2])
out = open(path, "ab")
lines = rotations = 0
rest = b""
last = time.monotonic()
stdin = sys.stdin.buffer
try:
    while True:
        chunk = stdin.read1(1 << 20)
        if not chunk:
            break
        data = rest + chunk
        cut = data.rfind(b"\n") + 1
        rest = data[cut:]
        out.write(data[:cut])
        out.flush()
        lines += data.count(b"\n", 0, cut)
        if time.monotonic() - last >= period:
            last = time.monotonic()
            rotations += 1
            if os.path.exists(path + ".2"):
                os.remove(path + ".2")
            if os.path.exists(path + ".1"):
                os.rename(path + ".1", path + ".2")
            if rotations % 2:
                out.close()
                os.rename(path, path + ".1")
                out = open(path, "ab")
            else:
                shutil.copyfile(path, path + ".1")
                out.truncate(0)
except KeyboardInterrupt:
    pass
out.write(rest)
out.close()
print(f"{lines} lines written, {rotations} rotations", file=sys.stderr)
