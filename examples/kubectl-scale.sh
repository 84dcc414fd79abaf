#!/usr/bin/env bash
# Closes the loop on a Kubernetes deployment without a cluster: a fake
# `kubectl` (a shell script written into OUTDIR/bin, first on PATH) keeps the
# deployment's replica count in a file and logs every call. logscale reads the
# count with --current-cmd before each evaluation and scales with --exec,
# exactly as it would run the real kubectl:
#
#   logscale ... --current-cmd kubectl get deploy web -o 'jsonpath={.spec.replicas}' ';' \
#                --exec kubectl scale deploy/web '--replicas={replicas}'
#
# Traffic: 30 minutes of generated logs with a 4x spike at minute 10, fed to
# logscale at one 15s window per 10 ms (a replay at full speed outruns
# kubectl: a decision still waiting is replaced by the next one, and only the
# latest runs). Prints the decisions, the fake kubectl's scale calls and the
# final count, which is the last decision's.
#
#   examples/kubectl-scale.sh [OUTDIR]     (default: kubectl-scale)
set -euo pipefail
out=${1:-kubectl-scale}
mkdir -p "$out/bin"
out=$(cd "$out" && pwd)

cat > "$out/bin/kubectl" <<'FAKE'
#!/bin/sh
# A fake kubectl: `get deploy NAME -o jsonpath={.spec.replicas}` and
# `scale deploy/NAME --replicas=N`, state in $KUBECTL_FAKE_DIR/replicas.
dir=${KUBECTL_FAKE_DIR:?}
printf '%s\n' "$*" >> "$dir/kubectl.log"
case "$1" in
  get)
    [ "$4 $5" = "-o jsonpath={.spec.replicas}" ] || { echo "fake kubectl: unsupported output $4 $5" >&2; exit 1; }
    cat "$dir/replicas" ;;
  scale)
    case "$3" in
      --replicas=[0-9]*) n=${3#--replicas=} ;;
      *) echo "fake kubectl: expected --replicas=N, got '$3'" >&2; exit 1 ;;
    esac
    printf '%s\n' "$n" > "$dir/replicas.tmp" && mv "$dir/replicas.tmp" "$dir/replicas"
    echo "deployment.apps/${2#deploy/} scaled" ;;
  *) echo "fake kubectl: unsupported command $1" >&2; exit 1 ;;
esac
FAKE
chmod +x "$out/bin/kubectl"
echo 2 > "$out/replicas"
: > "$out/kubectl.log"
export KUBECTL_FAKE_DIR="$out"
export PATH="$out/bin:$PATH"

loggen --start 2025-01-01T00:00:00Z --seed 11 --rate 10 --duration 30m -i 'spike factor=4 at=10m for=8m' \
  | logparse | logwindow --every 15s -a count > "$out/windows.ndjson"
logscale --metric 'rps=count/15' --target 2.5 --min 2 --max 20 --scale-down-window 1m \
    --current-cmd kubectl get deploy web -o 'jsonpath={.spec.replicas}' ';' \
    --exec kubectl scale deploy/web '--replicas={replicas}' ';' \
    < <(while IFS= read -r line; do printf '%s\n' "$line"; sleep 0.01; done < "$out/windows.ndjson") \
    > "$out/decisions.ndjson"

echo "decisions:"
cat "$out/decisions.ndjson"
echo "kubectl scale calls:"
grep '^scale' "$out/kubectl.log" || true
echo "final replicas: $(cat "$out/replicas")"
