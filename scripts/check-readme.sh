#!/usr/bin/env bash
# Runs the command lines of the README's "The `stack` command" section, as written, on a fresh cache
# after `make demo` (whose answer must be the model's own): each must succeed, `ask` must print a trace id and a Phoenix link that opens, and
# `serve` must answer /healthz. TRACE_ID in a line is replaced by the trace id `ask` printed.
#
# The fresh cache reuses the installed venvs (symlinked), so nothing is reinstalled; every process it
# starts is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

real_cache="$STACK_CACHE_DIR"
fresh="$(mktemp -d "${TMPDIR:-/tmp}/stack-readme.XXXXXX")"
for venv in phoenix-venv llama-venv; do
  [ -d "$real_cache/$venv" ] && ln -s "$real_cache/$venv" "$fresh/$venv"
done
export STACK_CACHE_DIR="$fresh"
unset OPENAI_BASE_URL OPENAI_MODEL OPENAI_EMBEDDING_MODEL PHOENIX_COLLECTOR_ENDPOINT STACK_INDEX_PATH
# A model server that has just started on a busy machine can take longer than the default minute to
# embed the corpus; the commands are the README's, the patience is the test's.
export OPENAI_TIMEOUT="${OPENAI_TIMEOUT:-300}"
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  scripts/phoenix.sh stop || true
  scripts/model-server.sh stop || true
  rm -rf "$fresh"
}
trap cleanup EXIT

log "make demo on a fresh cache ($fresh)"
make -s demo > "$fresh/demo.out"
# The answer is the model's own: the local server shows the model what its tools returned.
grep -q '^answer (' "$fresh/demo.out" || { cat "$fresh/demo.out" >&2; die "make demo printed no answer the model wrote"; }

# The lines of the ```sh block under "## The `stack` command", comments removed.
mapfile -t lines < <(awk '/^## The `stack` command/ {in_section=1; next} /^## / {in_section=0}
  in_section && /^```sh/ {in_block=1; next} in_section && /^```/ {in_block=0}
  in_section && in_block && NF' README.md | sed 's/[[:space:]]*#[^"]*$//')
[ "${#lines[@]}" -ge 5 ] || die "found ${#lines[@]} command lines in the README's stack section, expected at least 5"

trace_id=""
for line in "${lines[@]}"; do
  [ -n "$trace_id" ] && line="${line//TRACE_ID/$trace_id}"
  case "$line" in *TRACE_ID*) die "README line needs a trace id before any ask ran: $line" ;; esac
  log "README: $line"
  case "$line" in
    *" serve"*)
      bash -c "$line" > "$fresh/serve.out" 2>&1 &
      serve_pid=$!
      port="$(sed -n 's/.*--port \([0-9]*\).*/\1/p' <<< "$line")"
      wait_http "http://127.0.0.1:${port:-8080}/healthz" 120 "$serve_pid" || { cat "$fresh/serve.out" >&2; die "README's serve line did not answer /healthz"; }
      kill -TERM "$serve_pid"; wait "$serve_pid" || true; serve_pid=""
      ;;
    *)
      output="$(bash -c "$line" 2>"$fresh/stderr.out")" || { cat "$fresh/stderr.out" >&2; die "README line failed: $line"; }
      printf '%s\n' "$output" | tail -n 3 >&2
      if [[ "$line" == *" ask "* ]]; then
        trace_id="$(sed -n 's/^trace_id: \([0-9a-f]\{32\}\)$/\1/p' <<< "$output")"
        link="$(sed -n 's/^phoenix: \(http[^ ]*\)$/\1/p' <<< "$output")"
        [ -n "$trace_id" ] || die "ask printed no trace_id"
        [ -n "$link" ] || die "ask printed no Phoenix link"
        code="$(curl -s -o /dev/null -w '%{http_code}' "$link")"
        [ "$code" = 200 ] || die "the Phoenix link $link answered $code"
        grep -q "using the local model server" "$fresh/stderr.out" || die "ask did not say which model server it used"
      fi
      ;;
  esac
done
log "README: every line of the stack section worked as written"
