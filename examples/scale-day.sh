#!/usr/bin/env bash
# Replays a generated day (daily cycle plus a traffic spike at 14:00) through
# loggen | logparse | logwindow | logscale --simulate, then draws traffic,
# desired and ready replicas over the day: OUTDIR/chart.svg (open it in a
# browser) and a terminal chart on stdout. Tune the logscale options below and
# run again to see how a policy behaves, without a cluster.
#
#   examples/scale-day.sh [OUTDIR] [RATE]     (defaults: scale-day, 20 lines/s)
set -euo pipefail
out=${1:-scale-day}
rate=${2:-20}
mkdir -p "$out"

# One replica serves a quarter of the mean rate; the spike needs ~4x the peak.
target=$(awk -v r="$rate" 'BEGIN { print r / 4 }')

loggen --start 2025-01-01T00:00:00Z --seed 7 --rate "$rate" --duration 1d --diurnal --noise 0.1 \
    -i 'spike factor=4 at=14h for=20m' > "$out/access.log"
logparse "$out/access.log" | logwindow --every 15s -a count > "$out/windows.ndjson"
logscale --metric 'rps=count/15' --target "$target" --min 2 --max 40 \
    --simulate --startup-delay 45s --all "$out/windows.ndjson" > "$out/decisions.ndjson"

# decisions.ndjson -> columns: minute-of-day, rps, desired, ready, to
awk '{
  match($0, /"time":"[^"]*"/); t = substr($0, RSTART + 8, RLENGTH - 9)
  minute = substr(t, 12, 2) * 60 + substr(t, 15, 2) + substr(t, 18, 2) / 60
  match($0, /"desired":[0-9]+/); desired = substr($0, RSTART + 10, RLENGTH - 10)
  match($0, /"ready":[0-9]+/); ready = substr($0, RSTART + 8, RLENGTH - 8)
  match($0, /"to":[0-9]+/); to = substr($0, RSTART + 5, RLENGTH - 5)
  match($0, /"value":[-0-9.e+]+/); rps = substr($0, RSTART + 8, RLENGTH - 8)
  print minute, rps, desired, ready, to
}' "$out/decisions.ndjson" > "$out/series.txt"

# The SVG chart: traffic (grey, left axis) and replicas (right axis).
awk -v target="$target" '
  { m[NR] = $1; rps[NR] = $2; des[NR] = $3; rdy[NR] = $4; n = NR
    if ($2 > maxr) maxr = $2; if ($3 > maxn) maxn = $3; if ($4 > maxn) maxn = $4 }
  END {
    W = 960; H = 400; L = 60; R = 60; T = 30; B = 40; pw = W - L - R; ph = H - T - B
    if (maxr <= 0) maxr = 1; if (maxn <= 0) maxn = 1
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n", W, H
    printf "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H
    printf "<text x=\"%d\" y=\"18\">logscale --simulate: traffic (rps, grey), desired (orange) and ready replicas (blue); target %s rps per replica</text>\n", L, target
    for (h = 0; h <= 24; h += 3) { x = L + pw * h / 24
      printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n", x, T, x, T + ph
      printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%02d:00</text>\n", x, H - 15, h }
    printf "<text x=\"5\" y=\"%d\">%d rps</text><text x=\"%d\" y=\"%d\">%d replicas</text>\n", T + 10, maxr, W - R + 5, T + 10, maxn
    line("rps", "#999", maxr); line("des", "#e67e22", maxn); line("rdy", "#2471a3", maxn)
    print "</svg>" }
  function line(which, color, top,    i, x, y, v) {
    printf "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", color
    for (i = 1; i <= n; i++) {
      v = which == "rps" ? rps[i] : (which == "des" ? des[i] : rdy[i])
      x = L + pw * m[i] / 1440; y = T + ph - ph * v / top
      printf "%.1f,%.1f ", x, y }
    print "\"/>" }
' "$out/series.txt" > "$out/chart.svg"

# The terminal chart: one row per hour, traffic as a bar, peak desired and ready replicas.
awk '{ h = int($1 / 60); if ($2 > r[h]) r[h] = $2; if ($3 > d[h]) d[h] = $3; if ($4 > k[h]) k[h] = $4
       if ($2 > top) top = $2 }
  END { if (top <= 0) top = 1
    printf "hour  peak rps %-40s desired ready\n", ""
    for (h = 0; h < 24; h++) { bar = ""; for (i = 0; i < int(40 * r[h] / top + 0.5); i++) bar = bar "#"
      printf "%02d:00 %8.1f %-40s %7d %5d\n", h, r[h], bar, d[h], k[h] } }' "$out/series.txt"
changes=$(grep -c '"from":\([0-9]*\),"to":\1,' "$out/decisions.ndjson" || true)
total=$(wc -l < "$out/decisions.ndjson")
echo "evaluations: $total, changes: $((total - changes)); chart: $out/chart.svg"
