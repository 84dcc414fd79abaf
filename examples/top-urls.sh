#!/usr/bin/env bash
# Top URLs: the 10 most requested paths over the whole input, with counts.
# Usage: top-urls.sh [ACCESS.ndjson]   (logparse output; default: a tiny built-in sample)
# The MapReduce "count per URL, sort, take 10" job as one logwindow call:
# top(10, path) is a Space-Saving sketch, exact here because the sample has
# fewer than 80 distinct paths.
set -euo pipefail
input="${1:-$(dirname "$0")/../Tests/Fixtures/logwindow/access.ndjson}"
logwindow --window all -a requests=count -a 'top_urls=top(10, path)' "$input"
