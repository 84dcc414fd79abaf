#!/usr/bin/env bash
# Scale-out through Kafka, on one machine: a broker (tansu), two consumers in
# one group, a merge, an alert rule; the result equals one process.
#
#   loggen (fixed seed) -> logparse -> kcat -P, keyed by client -> topic access (4 partitions)
#   2 consumers, group logkit: kcat -G -> logwindow --partial, a producer per partition
#     -> topic window-partials (1 partition)
#   kcat -C -> logwindow --merge --producers 4 -> OUT/windows.ndjson -> logalert -> OUT/alerts.ndjson
#
# A client's records stay in one partition (its key), each partition is in
# time order, and each consumer keeps one watermark per partition
# (--producer-by partition). The consumers read with `-o beginning`: a
# partition reassigned in a rebalance is replayed from its start, its
# partials come out again identical (same producer, run and seq) and the
# merge drops them; logwindow skips records whose offset it has already
# counted. After the log, the script writes {"_watermark":"end"} to every
# partition: that closes the partitions' windows, and the merge exits once all
# four have ended. It then checks the result against
# `logparse | logwindow | logalert` on the same log and says "equal" (exit 0)
# or "NOT equal" (exit 1).
#
# With KILL_CONSUMER=N, consumer 1 (its kcat and logwindow) is killed with
# SIGKILL once it has written N partial records: the group gives its
# partitions to consumer 2 after the session timeout (6 s) and the result is
# still equal.
#
# kcat -P reads its input in 1 KiB blocks: a line is sent when 1 KiB more
# follows it or at end of input (linger.ms does not change that). The log
# flows on, but a consumer's last partials wait in its kcat -P, so the script
# stops the consumers (end of input for kcat -P) once their partitions ended.
#
# Usage: kafka.sh OUT_DIR [RECORDS]   (default 20000; 2000 records/s)
# Writes OUT_DIR/access.log, windows.ndjson and alerts.ndjson (through Kafka),
# one-windows.ndjson and one-alerts.ndjson (one process).
# Needs logkit on PATH and the tools of scripts/kafka-tools (tansu, kcat).
# Everything listens on 127.0.0.1 only; Ctrl-C stops the broker and every process.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
window=(--every 1m --by path -a count -a 'errors=count_if(status>=500)' -a 'sum(bytes)' -a 'p95(request_time)' -a 'distinct(client)')
rule='high_5xx: errors / count > 0.2 and count >= 3 by path summary "{path}: {value:%} 5xx"'
group_settings=(-X session.timeout.ms=6000 -X heartbeat.interval.ms=500)

# One consumer (run by this script in a session of its own): kcat reads its
# partitions of `access` as `partition<TAB>offset<TAB>record`; logwindow keeps a
# watermark per partition; the partials go to `window-partials`.
if [ "${1:-}" = --consumer ]; then
  broker=$2 work=$3 i=$4
  mkfifo "$work/consumer$i.in"
  kcat -G logkit -b "$broker" -o beginning -u "${group_settings[@]}" -f '%p\t%o\t%s\n' access \
    > "$work/consumer$i.in" 2> "$work/consumer$i.kcat.log" &
  echo $! > "$work/consumer$i.kcat.pid"
  logwindow "${window[@]}" --partial --input-prefix partition,offset --producer-by partition --producer access \
    < "$work/consumer$i.in" 2> "$work/consumer$i.logwindow.log" \
    | tee "$work/consumer$i.partials" | kcat -P -b "$broker" -t window-partials
  exit
fi

# The producer (in a session of its own too), paced at 2000 records/s: lines
# `client<TAB>record`, so the key (the client) picks the partition.
if [ "${1:-}" = --producer ]; then
  broker=$2 log=$3
  logparse "$log" \
    | awk '{ match($0, /"client":"[^"]*"/); print substr($0, RSTART + 10, RLENGTH - 11) "\t" $0 }
           NR % 200 == 0 { fflush(); system("sleep 0.1") }' \
    | kcat -P -b "$broker" -t access -K '\t'
  exit
fi

out="${1:?usage: kafka.sh OUT_DIR [RECORDS]}"
records="${2:-20000}"
mkdir -p "$out"
tools=$("$here/../scripts/kafka-tools") || { echo "kafka.sh: the Kafka tools are missing (see above)" >&2; exit 1; }
PATH=$tools:$PATH
work=$(mktemp -d "${TMPDIR:-/tmp}/logkit-kafka.XXXXXX")
groups=()  # process groups to stop at exit
cleanup() {
  for g in "${groups[@]}"; do kill -TERM -- "-$g" 2> /dev/null || true; done
  local deadline=$((SECONDS + 5)) g
  for g in "${groups[@]}"; do
    while kill -0 -- "-$g" 2> /dev/null; do
      [ $SECONDS -lt $deadline ] || kill -KILL -- "-$g" 2> /dev/null || true
      sleep 0.1
    done
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "kafka.sh: $*" >&2; exit 1; }
# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do [ $SECONDS -lt $deadline ] || return 1; sleep 0.2; done
}

# A free port on 127.0.0.1 (nothing answers on it), unless PORT is given.
port=${PORT:-}
while [ -z "$port" ]; do
  port=$((20000 + RANDOM % 30000))
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then port=""; fi
done
broker=127.0.0.1:$port
setsid tansu broker --listener-url "tcp://$broker" --advertised-listener-url "tcp://$broker" \
  --storage-engine memory://tansu/ > "$work/broker.log" 2>&1 &
groups+=($!)
wait_for 20 bash -c "exec 3<> /dev/tcp/127.0.0.1/$port" 2> /dev/null || fail "the broker did not start: $(tail -3 "$work/broker.log")"
echo "kafka.sh: broker on $broker" >&2
tansu topic create access --broker "tcp://$broker" --partitions 4 > /dev/null
tansu topic create window-partials --broker "tcp://$broker" --partitions 1 > /dev/null

# The log: the same on every run (fixed seed, simulated clock), with a burst of 503s.
loggen --seed 7 --count "$records" --rate 50 --start 2025-07-01T00:00:00Z --format nginx \
  --incident 'errors path=/checkout status=503 ratio=0.8 at=2m for=2m' > "$out/access.log"

# The merge: reads every partial, closes a window once all four partitions'
# watermarks passed it, exits once all four ended. --idle 60s: a partition
# whose consumer died stays in the minimum while the group fails over.
mkfifo "$work/partials"
setsid kcat -C -b "$broker" -t window-partials -o beginning -u -f '%s\n' > "$work/partials" 2> "$work/merge.kcat.log" &
groups+=($!)
merge_kcat=$!
setsid bash -c 'logwindow --merge --producers 4 --until-ended --idle 60s < "$1" 2> "$2/merge.log" | tee "$3/windows.ndjson" \
  | logalert --rule "$4" > "$3/alerts.ndjson"' merge "$work/partials" "$work" "$out" "$rule" &
merge=$!
groups+=($merge)

for i in 1 2; do
  setsid "$0" --consumer "$broker" "$work" "$i" > /dev/null &
  groups+=($!)
  consumer[i]=$!
  disown "$!"  # killed on purpose with KILL_CONSUMER: no "Killed" note
done
assigned() { grep -q assigned: "$work/consumer1.kcat.log" 2> /dev/null && grep -q assigned: "$work/consumer2.kcat.log" 2> /dev/null; }
wait_for 30 assigned || fail "the consumers did not join group logkit"

setsid "$0" --producer "$broker" "$out/access.log" &
producer=$!
groups+=($producer)

live=(1 2)
if [ -n "${KILL_CONSUMER:-}" ]; then
  wrote() { [ "$(wc -l < "$work/consumer1.partials")" -ge "$KILL_CONSUMER" ]; }
  wait_for 60 wrote \
    || fail "consumer 1 wrote fewer than $KILL_CONSUMER partial records"
  kill -KILL -- "-${consumer[1]}"
  echo "kafka.sh: killed consumer 1 after $(wc -l < "$work/consumer1.partials") partial records" >&2
  live=(2)
fi
wait "$producer"
for p in 0 1 2 3; do echo '{"_watermark":"end"}' | kcat -P -b "$broker" -t access -p "$p"; done

# Once the live consumers have written all four partitions' ends, stop their
# kcat -G: logwindow and kcat -P see end of input and send what they hold.
ended() {
  local files=() i
  for i in "${live[@]}"; do files+=("$work/consumer$i.partials"); done
  [ "$(grep -h '"watermark":"end"' "${files[@]}" | grep -o '"producer":"[^"]*"' | sort -u | wc -l)" -ge 4 ]
}
wait_for 90 ended || fail "the partitions did not all end: $(tail -n 2 "$work"/consumer*.log)"
for i in 1 2; do kill -TERM "$(cat "$work/consumer$i.kcat.pid")" 2> /dev/null || true; done
merge_done() { ! kill -0 "$merge" 2> /dev/null; }
wait_for 60 merge_done || fail "the merge did not end: $(cat "$work/merge.log")"
kill -TERM "$merge_kcat" 2> /dev/null || true
cat "$work/merge.log" >&2

# The same log through one process.
logparse "$out/access.log" | logwindow "${window[@]}" > "$out/one-windows.ndjson"
logalert --rule "$rule" < "$out/one-windows.ndjson" > "$out/one-alerts.ndjson"
same=equal
for f in windows alerts; do cmp -s <(sort "$out/$f.ndjson") <(sort "$out/one-$f.ndjson") || same="NOT equal ($f differ)"; done
echo "$same: $(wc -l < "$out/windows.ndjson") windows, $(wc -l < "$out/alerts.ndjson") alert events through Kafka and in one process"
[ "$same" = equal ]
