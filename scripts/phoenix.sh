#!/usr/bin/env bash
# Installs, starts and stops a local Arize Phoenix for tests and the demo.
#
#   scripts/phoenix.sh install        # venv under $STACK_CACHE_DIR/phoenix-venv (idempotent)
#   scripts/phoenix.sh start [DIR]    # starts on loopback; prints the base URL. Without DIR: port 6006
#                                     # (Phoenix's default) when free; with DIR: a free port
#   scripts/phoenix.sh stop  [DIR]    # stops exactly the process `start` launched (by pid)
#
# DIR (default $STACK_CACHE_DIR/phoenix-run) holds the pid, port, log and Phoenix's working dir.
# PHOENIX_SQL_DATABASE_URL (optional, Phoenix's own variable): a postgresql://… URL puts Phoenix on
# PostgreSQL instead of SQLite in DIR; `start` then also installs Phoenix's PostgreSQL drivers
# (asyncpg, psycopg) into the venv if they are missing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PHOENIX_VENV="$STACK_CACHE_DIR/phoenix-venv"
PHOENIX_REQUIREMENT="${PHOENIX_REQUIREMENT:-arize-phoenix}"

cmd="${1:-}"; run_dir="${2:-$STACK_CACHE_DIR/phoenix-run}"

case "$cmd" in
  install)
    ensure_venv "$PHOENIX_VENV" "$PHOENIX_REQUIREMENT"
    ;;
  start)
    ensure_venv "$PHOENIX_VENV" "$PHOENIX_REQUIREMENT"
    case "${PHOENIX_SQL_DATABASE_URL:-}" in
      postgres*)
        if ! "$PHOENIX_VENV/bin/python" -c 'import asyncpg, psycopg' 2>/dev/null; then
          log "installing Phoenix's PostgreSQL drivers (asyncpg, psycopg) into $PHOENIX_VENV"
          "$PHOENIX_VENV/bin/pip" install --quiet --disable-pip-version-check asyncpg 'psycopg[binary]' \
            || die "pip install asyncpg psycopg failed"
        fi ;;
    esac
    mkdir -p "$run_dir/working"
    if [ -f "$run_dir/pid" ] && alive "$(cat "$run_dir/pid")"; then
      echo "http://127.0.0.1:$(cat "$run_dir/port")"
      exit 0
    fi
    if [ -n "${PHOENIX_PORT:-}" ]; then
      port="$PHOENIX_PORT"
    elif [ "$run_dir" = "$STACK_CACHE_DIR/phoenix-run" ]; then
      # The shared Phoenix (make demo, the stack commands) takes Phoenix's own default port when it can.
      if port_free 6006; then
        port=6006
      else
        port="$(free_port)"
        log "port 6006 is taken, so this Phoenix listens on $port; the stack commands find it through $run_dir/port"
      fi
    else
      port="$(free_port)"  # a private Phoenix (tests): any free port
    fi
    grpc_port="$(free_port)"
    PHOENIX_PORT="$port" PHOENIX_GRPC_PORT="$grpc_port" PHOENIX_HOST=127.0.0.1 \
      PHOENIX_WORKING_DIR="$run_dir/working" PHOENIX_TELEMETRY_ENABLED=false \
      nohup "$PHOENIX_VENV/bin/phoenix" serve > "$run_dir/phoenix.log" 2>&1 &
    echo $! > "$run_dir/pid"
    echo "$port" > "$run_dir/port"
    if ! wait_http "http://127.0.0.1:$port/healthz" 180 "$(cat "$run_dir/pid")"; then
      tail -n 30 "$run_dir/phoenix.log" >&2 || true
      "$0" stop "$run_dir" || true
      die "Phoenix did not become ready on port $port (log: $run_dir/phoenix.log)"
    fi
    echo "http://127.0.0.1:$port"
    ;;
  stop)
    if [ -f "$run_dir/pid" ]; then
      pid="$(cat "$run_dir/pid")"
      if alive "$pid"; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do alive "$pid" || break; sleep 0.25; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$run_dir/pid" "$run_dir/port"
    fi
    ;;
  *)
    echo "usage: $0 install|start|stop [DIR]" >&2; exit 2 ;;
esac
