#!/usr/bin/env python3
# Writes pipeline.ndjson: 30 one-minute windows by path (as logwindow writes them)
# merged with alert events and scale decisions (as logalert and logscale write
# them), in time order. Deterministic; rerun after changing it.
import json
def t(m, s=0): return "2025-07-01T00:%02d:%02dZ" % (m, s)
paths = ["/", "/api/items", "/checkout"]
events = []
for m in range(30):
    for i, p in enumerate(paths):
        count = 600 + 40 * i + (m * 7) % 50
        errors = (count * 6 // 10) if (p == "/checkout" and 10 <= m < 20) else (m + i) % 3
        p95 = 0.120 + 0.01 * i + (0.9 if (p == "/api/items" and m >= 25) else 0)
        rec = {"start": t(m), "end": t(m + 1) if m < 59 else "2025-07-01T01:00:00Z", "path": p,
               "count": count, "errors": errors, "p95_request_time": round(p95, 3), "distinct_client": 50 + i * 10 + m}
        events.append((m * 60 + 60, 0, rec))
def alert(m, s, name, state, since, value, keys, summary):
    r = {"time": t(m, s), "alert": name, "state": state}
    if since: r["since"] = since
    r.update(keys)
    r.update({"value": value, "expr": "errors/count > 0.2" if name == "error_ratio" else "p95_request_time > 0.5",
              "summary": summary, "start": t(m - 1, 0), "end": t(m, 0)})
    return r
events.append((11 * 60, 1, alert(11, 0, "error_ratio", "pending", t(11), 0.6, {"path": "/checkout"}, "checkout errors 60%")))
events.append((12 * 60, 1, alert(12, 0, "error_ratio", "firing", t(11), 0.6, {"path": "/checkout"}, "checkout errors 60%")))
events.append((21 * 60, 1, alert(21, 0, "error_ratio", "resolved", t(11), 0.003, {"path": "/checkout"}, "checkout errors back to normal")))
events.append((26 * 60, 1, alert(26, 0, "slow_api", "firing", t(26), 1.03, {"path": "/api/items"}, "p95 above 500ms")))
def scale(m, frm, to, reason, metric):
    return {"time": t(m, 30), "from": frm, "to": to, "desired": to,
            "metrics": {"requests_per_replica": {"value": metric, "proposal": to}}, "reason": reason}
events.append((5 * 60 + 30, 2, scale(5, 2, 3, "requests_per_replica 700 > target 500: 3 replicas", 700)))
events.append((12 * 60 + 30, 2, scale(12, 3, 5, "requests_per_replica 690 > target 500: 5 replicas (max step 2)", 690)))
events.append((22 * 60 + 30, 2, scale(22, 5, 4, "requests_per_replica 380 < target 500: 4 replicas", 380)))
events.append((27 * 60 + 30, 2, {"time": t(27, 30), "from": 4, "to": 3, "metrics": {"requests_per_replica": 420},
                                  "reason": "requests_per_replica 420 < target 500: 3 replicas"}))
events.sort(key=lambda e: (e[0], e[1]))
with open("pipeline.ndjson", "w") as f:
    for _, _, r in events:
        f.write(json.dumps(r, separators=(",", ":")) + "\n")
