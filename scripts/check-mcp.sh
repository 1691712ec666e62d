#!/usr/bin/env bash
# The MCP "done when", on both transports, against the model server at $1 and the Phoenix at $2:
# `stack ask "How do I back up SQLite?" --mcp-server …` with the search tool served by `stack mcp` on stdio,
# then by `stack mcp --http` on a free port, must print an answer (or what the tools found), a waterfall
# read back from Phoenix in which the server's TOOL search_docs sits under the client's TOOL search_docs,
# and the trace id. The ask itself has no index (--index on a missing file), so search_docs can only come
# over MCP; the served index is one note of the demo corpus, ingested here. Stops what it starts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
model_url="${1:?usage: $0 MODEL_URL PHOENIX_URL}"
phoenix_url="${2:?usage: $0 MODEL_URL PHOENIX_URL}"
work="$(mktemp -d "${TMPDIR:-/tmp}/stack-mcp.XXXXXX")"
server_pid=""
stop() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    for _ in $(seq 1 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$server_pid" 2>/dev/null && kill -KILL "$server_pid"
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop EXIT

swift build --package-path Stack -q --product stack
stack_bin="$(swift build --package-path Stack --show-bin-path)/stack"
export OPENAI_BASE_URL="$model_url" OPENAI_MODEL=smollm2 OPENAI_EMBEDDING_MODEL=smollm2-embed
export PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" PHOENIX_PROJECT_NAME="mcp-check-$(date +%s)-$$"

mkdir "$work/notes"
cp Stack/Examples/corpus/backups-for-sqlite-and-postgres.md "$work/notes/"
"$stack_bin" ingest "$work/notes" --index "$work/index.sqlite" >"$work/ingest.out" 2>&1 || { cat "$work/ingest.out" >&2; die "stack ingest failed"; }

# Runs the ask with $1 as its MCP server and checks what it printed.
check_ask() {
  local server="$1" transport="$2" output
  output="$("$stack_bin" ask "How do I back up SQLite?" --max-iterations 2 --index "$work/no-index.sqlite" --mcp-server "$server" 2>"$work/ask.err")" \
    || { cat "$work/ask.err" >&2; die "stack ask over $transport failed"; }
  printf '%s\n' "$output" | sed -n '/^AGENT/,$p' >&2
  grep -q '^trace_id: [0-9a-f]\{32\}$' <<<"$output" || die "ask over $transport printed no trace id"
  # The client's TOOL line, then the server's one level deeper: one trace across the two processes.
  grep -A1 -E '^[├└]─ TOOL search_docs' <<<"$output" | grep -q -E '^[│ ]  [├└]─ TOOL search_docs' \
    || die "over $transport, the waterfall has no server TOOL search_docs under the client's"
  log "over $transport: the server's TOOL span is under the client's, in one trace"
}

check_ask "$stack_bin mcp --index $work/index.sqlite" stdio

"$stack_bin" mcp --http --port 0 --index "$work/index.sqlite" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
url=""
for _ in $(seq 1 240); do
  url="$(sed -n 's/^stack mcp: serving MCP at \(http[^ ]*\)$/\1/p' "$work/server.out")"
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; die "stack mcp --http ended before serving"; }
  sleep 0.25
done
[ -n "$url" ] || die "stack mcp --http printed no address within 60 s"
check_ask "$url" http

# A second server on the taken port says which address is taken and how to choose another, and exits non-zero.
port="${url##*:}" port="${port%%/*}"
if "$stack_bin" mcp --http --port "$port" >"$work/second.out" 2>"$work/second.err"; then
  die "a second stack mcp --http on port $port did not fail"
fi
grep -q "cannot listen on 127.0.0.1:$port: another process is listening on that port; .*--port" "$work/second.err" \
  || { cat "$work/second.err" >&2; die "a second stack mcp --http on port $port did not say the port is taken"; }
log "a second server on port $port is refused: $(grep 'cannot listen' "$work/second.err")"
