#!/usr/bin/env bash
# Before/after: logparse and logwindow built in release at two revisions, run
# on the same inputs in paired, interleaved rounds (A B, B A, A B, ...), so
# that load from anything else on the machine falls on both alike.
#
#   bench/compare-revisions.sh [REV_A [REV_B [ROUNDS]]]
#       REV_A defaults to 7b76cab (before the foundation rework), REV_B to HEAD,
#       ROUNDS to 7.
#
# Prints, per command, the median user+system CPU seconds of each revision, the
# median of the per-round ratios B/A, and (when valgrind is installed) the
# instruction counts of one run on a 100,000-line slice, which do not depend on
# machine load. Revisions are checked out as git worktrees under bench/out/rev-*.
# Set REV_A_DIR / REV_B_DIR to use existing checkouts (already built) instead.
set -euo pipefail
cd "$(dirname "$0")/.."
rev_a=${1:-7b76cab}
rev_b=${2:-HEAD}
rounds=${3:-7}
out=bench/out
mkdir -p "$out"

checkout() { # checkout REV -> directory with release logparse and logwindow
  local rev=$1 dir
  dir="$out/rev-$(git rev-parse --short "$rev")"
  if [[ ! -d $dir ]]; then git worktree add -q --detach "$dir" "$rev"; fi
  (cd "$dir" && swift build -c release --product logparse >&2 && swift build -c release --product logwindow >&2)
  echo "$dir"
}
dir_a=${REV_A_DIR:-$(checkout "$rev_a")}
dir_b=${REV_B_DIR:-$(checkout "$rev_b")}

log="$out/combined.log"
[[ -s $log ]] || python3 bench/gen_combined.py 1000000 "$log"
ndjson="$out/access-1000000.ndjson"
[[ -s $ndjson ]] || python3 bench/logwindow-gen.py 1000000 > "$ndjson"
head -n 100000 "$log" > "$out/combined-100k.log"
head -n 100000 "$ndjson" > "$out/access-100k.ndjson"
[[ -x /usr/bin/time ]] || { apt-get install -y -qq time >&2 || true; }

# The command line of each command for a checkout and an input (output to /dev/null).
command_line() { # command dir input
  case $1 in
    logparse) echo "$2/.build/release/logparse $3" ;;
    logwindow) echo "$2/.build/release/logwindow --every 1m --by path -a count -a errors=count_if(status>=500) -a p95(bytes) -a distinct(client) $3" ;;
  esac
}

cpu_seconds() { # command dir input -> user+sys seconds
  # shellcheck disable=SC2046 # the command line is split into words on purpose (no globs in it)
  set -f; /usr/bin/time -f "%U %S" -o "$out/time.txt" $(command_line "$@") > /dev/null; set +f
  awk '{ printf "%.3f\n", $1 + $2 }' "$out/time.txt"
}

compare() { # command input
  local name=$1 input=$2 a b
  local -a as=() bs=() ratios=()
  for ((i = 0; i < rounds; i++)); do
    if ((i % 2 == 0)); then
      a=$(cpu_seconds "$name" "$dir_a" "$input"); b=$(cpu_seconds "$name" "$dir_b" "$input")
    else
      b=$(cpu_seconds "$name" "$dir_b" "$input"); a=$(cpu_seconds "$name" "$dir_a" "$input")
    fi
    as+=("$a"); bs+=("$b"); ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.4f", b / a }')")
  done
  python3 - "$name" "${as[*]}" "${bs[*]}" "${ratios[*]}" <<'PY'
import statistics, sys
name, a, b, r = sys.argv[1], *(list(map(float, s.split())) for s in sys.argv[2:])
print(f"{name:<10} A {statistics.median(a):7.3f} s  B {statistics.median(b):7.3f} s  "
      f"B/A median {statistics.median(r):.3f} (range {min(r):.3f}-{max(r):.3f}, {len(r)} rounds)")
PY
}

instructions() { # command dir input -> instruction count
  # shellcheck disable=SC2046
  set -f; valgrind --tool=callgrind --callgrind-out-file=/dev/null $(command_line "$@") 2>&1 >/dev/null \
    | awk '/Collected/ { print $NF }'; set +f
}

echo "A = $rev_a ($dir_a), B = $rev_b ($dir_b)"
echo "user+system CPU seconds, 1,000,000 lines/records:"
compare logparse "$log"
compare logwindow "$ndjson"
if command -v valgrind >/dev/null; then
  echo "instructions (callgrind), 100,000 lines/records:"
  for cmd in logparse logwindow; do
    input="$out/combined-100k.log"; [[ $cmd == logwindow ]] && input="$out/access-100k.ndjson"
    ia=$(instructions "$cmd" "$dir_a" "$input"); ib=$(instructions "$cmd" "$dir_b" "$input")
    awk -v n="$cmd" -v a="$ia" -v b="$ib" 'BEGIN { printf "%-10s A %d  B %d  B/A %.3f\n", n, a, b, b / a }'
  done
fi
