#!/usr/bin/env python3
"""A local stand-in for a Slack/Mattermost incoming webhook, for the examples.

Answers every POST with 200 and appends its body, on one line, to
OUTDIR/received.ndjson. Listens on 127.0.0.1 on a free port and writes the
port to OUTDIR/port (atomically) once it is ready.

    examples/webhook-listener.py OUTDIR
"""
import http.server
import os
import sys

out = sys.argv[1]


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(out + "/received.ndjson", "ab") as f:
            f.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Hook)
with open(out + "/port.tmp", "w") as f:
    f.write(str(server.server_port))
os.rename(out + "/port.tmp", out + "/port")
server.serve_forever()
