# Shared helpers of the bench/ scripts (source it: `. bench/lib.sh`).

# median_seconds RUNS CMD...: the median wall-clock seconds of RUNS runs of a
# command (stdout discarded). Medians, not minima, so that one lucky or unlucky
# run on a shared machine does not decide.
median_seconds() {
  local runs=$1 s e
  shift
  local -a took=()
  for ((i = 0; i < runs; i++)); do
    s=$(date +%s.%N)
    "$@" > /dev/null
    e=$(date +%s.%N)
    took+=("$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.6f", e - s }')")
  done
  printf '%s\n' "${took[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
