#!/usr/bin/env bash
# Error-prone URLs: paths with server errors (5xx), most errors first, with
# their request count, so the error share can be judged.
# Usage: error-prone-urls.sh [ACCESS.ndjson]   (default: a tiny built-in sample)
set -euo pipefail
input="${1:-$(dirname "$0")/../Tests/Fixtures/logwindow/access.ndjson}"
logwindow --window all --by path -a requests=count -a errors='count_if(status >= 500)' "$input" |
  awk -F'"errors":' '{ split($2, n, /[,}]/); if (n[1] > 0) print n[1] "\t" $0 }' |
  sort -t"$(printf '\t')" -k1,1nr -s | cut -f2-
