#!/usr/bin/env bash
# The chat page in a real browser: starts `stack serve` against the model server at $1 and the
# Phoenix at $2, drives Debian's headless Chromium (chromedriver and PyPI's selenium, in
# scripts/check_page.py) to load the page, ask a question with the keyboard, wait for the streamed
# answer with the passages it was given and click "Not helpful", then finds in Phoenix (StackChecks page) that answer's trace with the
# browser's timing span and the thumbs-down annotation. Then, against a model server and Phoenix that
# are down, checks that the page says so plainly. With --screenshot, saves the answering page to
# docs/chat-page.png. Stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
screenshot=""
if [ "${1:-}" = "--screenshot" ]; then screenshot="$PWD/docs/chat-page.png"; shift; fi
model_url="${1:?usage: $0 [--screenshot] MODEL_URL PHOENIX_URL}"
phoenix_url="${2:?usage: $0 [--screenshot] MODEL_URL PHOENIX_URL}"
project="page-check-$(date +%s)-$$"

# Debian's browser and its driver; CI on a fresh machine installs them.
ensure_debian_packages chromium chromium-driver
venv="$STACK_CACHE_DIR/browser-venv"
ensure_venv "$venv" "selenium==4.*"

swift build --package-path Stack -q --product stack
swift build --package-path Stack -q --product StackChecks
stack_bin="$(swift build --package-path Stack --show-bin-path)/stack"
checks="$(swift build --package-path Stack --show-bin-path)/StackChecks"
feedback_secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
pid=""
work=""
corpus="$(mktemp -d "${TMPDIR:-/tmp}/stack-page-corpus.XXXXXX")"
printf '# SQLite\n\nSQLite is an embedded SQL database engine that stores a whole database in one file.\n' >"$corpus/sqlite.md"
printf '# PostgreSQL\n\nPostgreSQL is a client-server relational database with MVCC and extensions.\n' >"$corpus/postgres.md"

# Starts `stack serve` (the page on, as user page-check) against model server $1 and Phoenix $2,
# with the small corpus above as its index when $3 is "index"; sets pid, work and base.
start_serve() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/stack-page.XXXXXX")"
  local port
  port="$(free_port)"
  if [ "${3:-}" = index ]; then
    OPENAI_BASE_URL="$1" OPENAI_MODEL=smollm2 OPENAI_EMBEDDING_MODEL=smollm2-embed PHOENIX_COLLECTOR_ENDPOINT="$2" \
      "$stack_bin" ingest "$corpus" --index "$work/index.sqlite" >"$work/ingest.log" 2>&1 \
      || { cat "$work/ingest.log" >&2; die "stack ingest of the page check's corpus failed"; }
  fi
  STACK_API_KEYS="sk-page-check=user-check" STACK_FEEDBACK_SECRET="$feedback_secret" \
    STACK_FEEDBACK_QUEUE="$work/feedback.sqlite" STACK_PAGE_USER="page-check" \
    OPENAI_BASE_URL="$1" OPENAI_MODEL=smollm2 OPENAI_EMBEDDING_MODEL=smollm2-embed \
    PHOENIX_COLLECTOR_ENDPOINT="$2" PHOENIX_PROJECT_NAME="$project" OTEL_BSP_SCHEDULE_DELAY=200 \
    "$stack_bin" serve --host 127.0.0.1 --port "$port" --max-iterations 1 --index "$work/index.sqlite" >"$work/serve.log" 2>&1 &
  pid=$!
  base="http://127.0.0.1:$port"
  wait_http "$base/healthz" 60 "$pid" || { cat "$work/serve.log" >&2; die "stack serve did not start"; }
}

# Stops the server start_serve started (SIGTERM, then SIGKILL after 10 s) and removes its folder.
stop_serve() {
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; fi
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -rf "$work"
  pid=""
}
trap 'stop_serve; rm -rf "$corpus"' EXIT

start_serve "$model_url" "$phoenix_url" index
trace_id=$("$venv/bin/python" scripts/check_page.py --page "$base/" ${screenshot:+--screenshot "$screenshot"}) \
  || { tail -n 30 "$work/serve.log" >&2; die "the chat page check failed in the browser"; }
"$checks" page "$phoenix_url" "$project" "$trace_id"
stop_serve

# The same page with the model server and Phoenix down (closed ports): a plain message, no script error.
closed="http://127.0.0.1:$(free_port)"
start_serve "$closed/v1" "$closed"
"$venv/bin/python" scripts/check_page.py --page "$base/" --expect-model-down \
  || { tail -n 30 "$work/serve.log" >&2; die "the chat page did not show the model server being down"; }
