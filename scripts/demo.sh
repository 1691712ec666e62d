#!/usr/bin/env bash
# `make demo`: makes sure Phoenix runs (starting it if needed, and leaving it running so you can
# open the UI), runs the traced quick start, and prints where to see the trace.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

if [ -n "${PHOENIX_COLLECTOR_ENDPOINT:-}" ]; then
  phoenix_url="${PHOENIX_COLLECTOR_ENDPOINT%/v1/traces}"
else
  phoenix_url="$(scripts/phoenix.sh start)"
fi
log "Phoenix: $phoenix_url (stop it with: scripts/phoenix.sh stop)"
swift build -q --product QuickStart
scripts/check-quickstart.sh "$phoenix_url"
echo "Open $phoenix_url in a browser to see the trace."
