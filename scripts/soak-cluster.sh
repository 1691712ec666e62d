#!/usr/bin/env bash
# `make soak-cluster`: REPLICAS release-built `stack serve` processes on loopback behind nginx
# (least_conn upstream), answering paced agent runs from several users against StackBench's scripted
# model, while a private Phoenix receives every trace (sampling 100 %). Runs once per Phoenix backend:
# SQLite (Phoenix's default) and PostgreSQL 15 (a throwaway cluster made with initdb in the run
# directory). For each it reports requests, errors, spans sent (the sum of the replicas' exported
# counters) against spans Phoenix holds, each replica's RSS (start/peak/end) and how fast Phoenix
# ingested them. Fails when a backend does not end up holding exactly the spans sent, or a request failed.
# Every process it starts (model, replicas, nginx, PostgreSQL, Phoenix) is stopped by pid on exit.
#
#   REPLICAS (default 3), RATE (total requests a second, default 50), DURATION (seconds of load,
#   default 60), USERS (distinct API keys / user ids sending load, default 5),
#   BACKENDS (default "sqlite postgres"), PG_BIN (default /usr/lib/postgresql/15/bin),
#   STACK_BIN_DIR (a directory with release-built stack, StackBench and StackChecks to use instead of
#   building them here)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

replicas="${REPLICAS:-3}"
rate="${RATE:-50}"
duration="${DURATION:-60}"
users="${USERS:-5}"
backends="${BACKENDS:-sqlite postgres}"
pg_bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/stack-soak-cluster.XXXXXX")"
chmod 755 "$run_dir"  # PostgreSQL runs as the postgres user when this script runs as root

model_pid=""; serve_pids=""; nginx_pid=""; sampler_pids=""; load_pids=""
pg_data=""; phoenix_dir=""
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_backend() {
  local pid
  for pid in $load_pids $sampler_pids $nginx_pid $serve_pids; do kill "$pid" 2>/dev/null || true; done
  for pid in $load_pids $sampler_pids $nginx_pid $serve_pids; do wait "$pid" 2>/dev/null || true; done
  load_pids=""; sampler_pids=""; nginx_pid=""; serve_pids=""
  if [ -n "$phoenix_dir" ]; then scripts/phoenix.sh stop "$phoenix_dir" || true; phoenix_dir=""; fi
  if [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  pg_data=""
}
cleanup() {
  stop_backend
  if [ -n "$model_pid" ]; then kill "$model_pid" 2>/dev/null || true; wait "$model_pid" 2>/dev/null || true; fi
  rm -rf "$run_dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || ensure_debian_packages nginx
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
case " $backends " in *" postgres "*)
  [ -x "$pg_bin/initdb" ] || ensure_debian_packages postgresql-15 ;;
esac

if [ -n "${STACK_BIN_DIR:-}" ]; then
  bin="$STACK_BIN_DIR"
  for b in stack StackBench StackChecks; do [ -x "$bin/$b" ] || die "STACK_BIN_DIR has no $b"; done
else
  log "building stack and the load client (release)"
  swift build --package-path Stack -c release --product stack >&2
  swift build --package-path Stack -c release --product StackBench >&2
  swift build --package-path Stack -c release --product StackChecks >&2
  bin="$(swift build --package-path Stack -c release --show-bin-path)"
fi

start_fake_model "$bin/StackBench" "$run_dir/model-url"
log "scripted model (StackBench fake-model) at $model_url"

keys=""
for u in $(seq 1 "$users"); do keys="${keys:+$keys,}sk-soak-$u=soak-user-$u"; done
feedback_secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# Starts PostgreSQL 15 from a fresh initdb in $1 on a free loopback port (socket in $1 too), creates
# database `phoenix` and sets pg_url.
start_postgres() {
  local dir="$1" port
  port="$(free_port)"
  mkdir -p "$dir/socket"
  [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
  as_pg "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 \
    || { tail -20 "$dir/initdb.log" >&2; die "initdb failed"; }
  pg_data="$dir/data"
  as_pg "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null \
    || { tail -20 "$dir/postgres.log" >&2; die "PostgreSQL did not start"; }
  as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres phoenix || die "createdb phoenix failed"
  pg_url="postgresql://postgres@127.0.0.1:$port/phoenix"
}

# Writes nginx's configuration for the replicas' ports ($2…) into $1 and starts it in the foreground
# (no daemon) so its pid is ours; sets nginx_port.
start_nginx() {
  local dir="$1"; shift
  mkdir -p "$dir/logs" "$dir/tmp"; chmod 777 "$dir/tmp"
  nginx_port="$(free_port)"
  {
    echo "worker_processes 1;"
    echo "daemon off;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/logs/error.log warn;"
    echo "events { worker_connections 1024; }"
    echo "http {"
    echo "  access_log off;"
    for t in client_body proxy fastcgi uwsgi scgi; do echo "  ${t}_temp_path $dir/tmp/$t;"; done
    echo "  upstream stack { least_conn;"
    for p in "$@"; do echo "    server 127.0.0.1:$p max_fails=0;"; done
    echo "    keepalive 32; }"
    echo "  server { listen 127.0.0.1:$nginx_port;"
    echo "    location / { proxy_pass http://stack; proxy_http_version 1.1; proxy_set_header Connection \"\";"
    echo "      proxy_set_header Host \$host; proxy_read_timeout 60s; } }"
    echo "}"
  } >"$dir/nginx.conf"
  "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" -t >"$dir/test.log" 2>&1 \
    || { cat "$dir/test.log" >&2; die "nginx rejected its configuration"; }
  "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" >"$dir/logs/stderr" 2>&1 &
  nginx_pid=$!
}

failed_any=0
summary=""
for backend in $backends; do
  dir="$run_dir/$backend"; mkdir -p "$dir"
  log "=== backend: $backend"
  if [ "$backend" = postgres ]; then
    start_postgres "$dir/pg"
    phoenix_dir="$dir/phoenix"
    phoenix_url="$(PHOENIX_SQL_DATABASE_URL="$pg_url" scripts/phoenix.sh start "$phoenix_dir")"
  elif [ "$backend" = sqlite ]; then
    phoenix_dir="$dir/phoenix"
    phoenix_url="$(env -u PHOENIX_SQL_DATABASE_URL scripts/phoenix.sh start "$phoenix_dir")"
  else
    die "unknown backend $backend (sqlite or postgres)"
  fi
  project="soak-cluster-$backend-$(date +%s)"

  ports=()
  for r in $(seq 1 "$replicas"); do
    port="$(free_port)"; ports+=("$port")
    STACK_API_KEYS="$keys" STACK_FEEDBACK_QUEUE="$dir/feedback-$r.sqlite" STACK_FEEDBACK_SECRET="$feedback_secret" \
      OPENAI_BASE_URL="$model_url" OPENAI_MODEL=scripted \
      PHOENIX_COLLECTOR_ENDPOINT="$phoenix_url" PHOENIX_PROJECT_NAME="$project" \
      OTEL_BSP_SCHEDULE_DELAY=1000 \
      "$bin/stack" serve --port "$port" --max-iterations 1 --index "$dir/no-index-$r.sqlite" >"$dir/serve-$r.log" 2>&1 &
    serve_pids="$serve_pids $!"
  done
  r=0
  for pid in $serve_pids; do
    r=$((r + 1))
    wait_http "http://127.0.0.1:${ports[$((r - 1))]}/healthz" 60 "$pid" \
      || { tail -20 "$dir/serve-$r.log" >&2; die "replica $r did not start"; }
    # RSS of each replica every 5 seconds, in MB.
    ( while kill -0 "$pid" 2>/dev/null; do "$bin/StackChecks" rss "$pid" 2>/dev/null || true; sleep 5; done ) >"$dir/rss-$r" &
    sampler_pids="$sampler_pids $!"
  done
  start_nginx "$dir/nginx" "${ports[@]}"
  base="http://127.0.0.1:$nginx_port"
  wait_http "$base/healthz" 30 "$nginx_pid" || { cat "$dir/nginx/logs/"* >&2; die "nginx did not start"; }

  log "load: $users users, $rate requests a second in total for $duration s through nginx at $base ($replicas replicas)"
  per_user="$(python3 -c "print($rate / $users)")"
  load_started=$(date +%s.%N)
  for u in $(seq 1 "$users"); do
    STACK_LOAD_API_KEY="sk-soak-$u" STACK_LOAD_RPS="$per_user" \
      "$bin/StackBench" load "$base" "$duration" 2 >"$dir/load-$u" 2>"$dir/load-$u.err" &
    load_pids="$load_pids $!"
  done
  for pid in $load_pids; do wait "$pid" || { failed_any=1; log "a load client failed"; }; done
  load_pids=""
  load_ended=$(date +%s.%N)
  requests=$(cat "$dir"/load-[0-9]* | awk '/^load_requests:/ {s += $2} END {print s + 0}')
  errors=$(cat "$dir"/load-[0-9]* | awk '/^load_errors:/ {s += $2} END {print s + 0}')

  # Each replica's pipeline drains at Phoenix's pace: wait until the summed span counts stop moving
  # (every scrape of /metrics is itself one traced request, so a drained cluster still adds one span
  # a scrape per replica).
  totals() {
    local e=0 f=0 d=0 p a b c
    for p in "${ports[@]}"; do
      read -r a b c <<<"$(curl -s "http://127.0.0.1:$p/metrics" | "$bin/StackChecks" exported)"
      e=$((e + a)); f=$((f + b)); d=$((d + c))
    done
    echo "$e $f $d"
  }
  log "waiting for the replicas' export queues to drain"
  previous=-1; steady=0
  for _ in $(seq 1 90); do
    read -r exported failed dropped <<<"$(totals)"
    total=$((exported + failed + dropped))
    if [ $((total - previous)) -le "$replicas" ]; then steady=$((steady + 1)); else steady=0; fi
    [ "$steady" -ge 3 ] && break
    previous=$total
    sleep 2
  done
  sleep 3  # the last drain scrapes' own spans leave with the next batch (1 s schedule delay)
  # The final count: its scrapes add exactly one span per replica after they were counted, so
  # Phoenix must end up holding sent + REPLICAS spans, no more and no fewer.
  read -r sent failed dropped <<<"$(totals)"
  expected=$((sent + replicas))
  log "counting the spans Phoenix holds (expecting $expected)"
  held=0
  deadline=$(( $(date +%s) + 300 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    held="$("$bin/StackChecks" phoenix-count "$phoenix_url" "$project" 0)"
    [ "$held" -ge "$expected" ] && break
    sleep 2
  done
  caught_up=$(date +%s.%N)
  sleep 5
  held="$("$bin/StackChecks" phoenix-count "$phoenix_url" "$project" 0)"  # nothing more arrives afterwards
  for pid in $sampler_pids; do kill "$pid" 2>/dev/null || true; done
  sampler_pids=""

  {
    echo
    echo "backend: $backend"
    echo "replicas: $replicas"
    echo "target_rps: $rate"
    echo "duration_s: $duration"
    echo "users: $users"
    echo "load_requests: $requests"
    echo "load_errors: $errors"
    echo "load_rps: $(python3 -c "print(round($requests / ($load_ended - $load_started), 1))")"
    awk '/^load_latency_ms_p50:/ {print "load_latency_ms_p50_user" FILENAME ": " $2}' "$dir"/load-[0-9]* | sed "s|$dir/load-||"
    echo "spans_sent: $sent (+ $replicas of the final /metrics scrapes)"
    echo "spans_failed: $failed"
    echo "spans_dropped: $dropped"
    echo "spans_in_phoenix: $held (expected $expected)"
    echo "phoenix_ingest_spans_per_s: $(python3 -c "print(round($held / ($caught_up - $load_started), 1))") (from load start until Phoenix held every span)"
    echo "phoenix_caught_up_s_after_load: $(python3 -c "print(round($caught_up - $load_ended, 1))")"
    for r in $(seq 1 "$replicas"); do
      python3 -c 'import sys; s=[float(x) for x in open(sys.argv[1]).read().split()]; print(f"replica_{sys.argv[2]}_rss_mb: start {s[0]:.1f} peak {max(s):.1f} end {s[-1]:.1f} ({len(s)} samples)") if s else print(f"replica_{sys.argv[2]}_rss_mb: no samples")' "$dir/rss-$r" "$r"
    done
  } | tee -a "$run_dir/summary"
  if [ "$errors" -ne 0 ] || [ "$held" -ne "$expected" ] || [ "$failed" -ne 0 ] || [ "$dropped" -ne 0 ]; then
    log "FAIL on $backend: errors $errors, spans sent $sent (+$replicas), in Phoenix $held, failed $failed, dropped $dropped"
    failed_any=1
  fi
  stop_backend
done

[ "$failed_any" -eq 0 ] || die "the cluster soak found lost spans or failed requests (see above)"
log "every backend holds exactly the spans the replicas sent, with no failed request"
