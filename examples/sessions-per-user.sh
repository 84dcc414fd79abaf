#!/usr/bin/env bash
# Sessions per user with conversion: a session ends after 30 minutes without
# events; each line is one session with its events, conversions (purchases),
# revenue, entry and exit page.
# Usage: sessions-per-user.sh [CLICKSTREAM.ndjson]   (records with time, user, page, action
#        (view/add_to_cart/purchase), amount, as loggen --format clickstream writes;
#        default: a tiny built-in sample)
set -euo pipefail
input="${1:-$(dirname "$0")/../Tests/Fixtures/logwindow/clickstream.ndjson}"
logwindow --session 30m --by user -a events=count -a conversions='count_if(action == "purchase")' \
  -a revenue='sum(amount)' -a entry='first(page)' -a exit='last(page)' "$input"
