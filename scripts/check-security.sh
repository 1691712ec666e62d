#!/usr/bin/env bash
# Attacks the real `stack serve` on loopback as issue 30 did, and fails unless each holds: a model server
# (`StackBench echo-model`) that answers 500 with our own request headers (the OPENAI_API_KEY) while
# OPENAI_BASE_URL carries a user and password; every answer and every exported span (the raw OTLP
# requests, caught by a sink standing in for Phoenix) must be free of the key, the URL's credentials
# and the model's address. Then: DNS rebinding (foreign Host and Origin), a page token naming someone
# else's traceparent, 500 KB of headers, trickled headers and bodies, idle and HTTP/1.0 connections
# (each closed within its timeout, descriptors released), client-chosen model labels, oversized
# feedback, a replayed v1 token, oversized MCP tool arguments, a 10 000-message chat, HEAD, a
# parser-level 400, the browser-spans 413 and the queue file's mode. Needs no Phoenix and no model.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work="$(mktemp -d "${TMPDIR:-/tmp}/stack-security.XXXXXX")"
pids=()
stop() {
  stop_pids
  rm -rf "$work"
}
trap stop EXIT

swift build --package-path Stack -q --product stack
swift build --package-path Stack -q --product StackBench
bin="$(swift build --package-path Stack --show-bin-path)"

upstream_key="sk-upstream-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
url_user="svc-user-$$"
url_password="url-pass-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
client_key="sk-client-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# The misbehaving model server.
"$bin/StackBench" echo-model >"$work/model.url" 2>"$work/model.err" &
pids+=($!)
for _ in $(seq 1 60); do [ -s "$work/model.url" ] && break; sleep 0.5; done
model_url="$(head -n 1 "$work/model.url")"
[ -n "$model_url" ] || die "the echoing model did not start"
model_address="${model_url#http://}"
model_address="${model_address%%/*}"

# Phoenix's stand-in: keeps every OTLP request body as sent; 404 for everything else (feedback queues).
sink_port="$(free_port)"
mkdir "$work/otlp"
python3 - "$sink_port" "$work/otlp" >"$work/sink.log" 2>&1 <<'PY' &
import http.server, os, sys, itertools
port, folder = int(sys.argv[1]), sys.argv[2]
counter = itertools.count()
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path.endswith("/v1/traces"):
            with open(os.path.join(folder, f"{next(counter):05d}.bin"), "wb") as f:
                f.write(body)
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)
    do_GET = lambda self: self.send_error(404)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), Sink).serve_forever()
PY
pids+=($!)

port="$(free_port)"
base="http://127.0.0.1:$port"
STACK_API_KEYS="$client_key=alice" STACK_FEEDBACK_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  STACK_FEEDBACK_QUEUE="$work/feedback.sqlite" STACK_HEADER_TIMEOUT=2 STACK_READ_TIMEOUT=2 STACK_IDLE_TIMEOUT=3 \
  OPENAI_BASE_URL="http://$url_user:$url_password@$model_address/v1" OPENAI_API_KEY="$upstream_key" OPENAI_MODEL=smollm2 \
  OPENAI_MAX_RETRIES=0 PHOENIX_COLLECTOR_ENDPOINT="http://127.0.0.1:$sink_port" PHOENIX_PROJECT_NAME=security-check \
  OTEL_BSP_SCHEDULE_DELAY=200 \
  "$bin/stack" serve --port "$port" --max-iterations 1 --index "$work/no-index.sqlite" >"$work/serve.log" 2>&1 &
serve_pid=$!
pids+=($serve_pid)
wait_http "$base/healthz" 60 "$serve_pid" || { cat "$work/serve.log" >&2; die "stack serve did not start"; }
auth=(-H "Authorization: Bearer $client_key" -H 'Content-Type: application/json')
secrets=("$upstream_key" "$url_password" "$url_user" "Bearer sk-")
# $1: what, $2: text, $3 (answers only): also the model's address, which spans may name (without credentials).
no_secret() {
  for secret in "${secrets[@]}" ${3:+"$model_address"}; do
    ! grep -qF -- "$secret" <<<"$2" || die "$1 holds '$secret': $(head -c 600 <<<"$2")"
  done
}

# 1+2: the upstream's error body, the key and the URL's credentials stay out of every answer.
for route in "/v1/agent/runs|{\"goal\":\"hi\"}|502" \
  "/v1/chat/completions|{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|502" \
  "/v1/chat/completions|{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}|200"; do
  IFS='|' read -r path body expected <<<"$route"
  answer=$(curl -s -D "$work/headers" -w '\n%{http_code}' "$base$path" "${auth[@]}" -d "$body")
  status="${answer##*$'\n'}"
  [ "$status" = "$expected" ] || die "$path ($body) answered $status, expected $expected: $answer"
  grep -q 'HTTP 500' <<<"$answer" || die "$path does not say the model answered HTTP 500: $answer"
  trace_id=$(tr -d '\r' <"$work/headers" | sed -n 's/^[Xx]-[Tt]race-[Ii]d: //p')
  grep -qF "$trace_id" <<<"$answer" || die "$path's error does not name its trace $trace_id: $answer"
  no_secret "the answer of $path" "$answer" answer
done
# A failed run still earns its feedback token.
curl -s -D "$work/run-headers" -o /dev/null "$base/v1/agent/runs" "${auth[@]}" -d '{"goal":"hi"}'
feedback_token=$(tr -d '\r' <"$work/run-headers" | sed -n 's/^[Xx]-[Ff]eedback-[Tt]oken: //p')
trace_for_feedback=$(tr -d '\r' <"$work/run-headers" | sed -n 's/^[Xx]-[Tt]race-[Ii]d: //p')
log "1+2: agent runs, chat completions and a stream answer the echoing 500 without key, credentials or model address"

# 7: model labels stay bounded.
for n in 1 2 3; do
  curl -s -o /dev/null "$base/v1/chat/completions" "${auth[@]}" -d "{\"model\":\"client-pick-$n-$$\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
done
metrics=$(curl -s "$base/metrics")
! grep -q "client-pick-" <<<"$metrics" || die "/metrics carries client-chosen model names"
grep -q 'model="other"' <<<"$metrics" || die "/metrics has no model=\"other\" series: $(grep -m3 model <<<"$metrics")"
log "7: three client-chosen models are one 'other' series"

# 8: a 10 000-message chat makes a bounded span (checked with the exported bytes below).
python3 -c 'import json; print(json.dumps({"messages": [{"role": "user", "content": "message %d" % i} for i in range(10000)]}))' >"$work/big-chat.json"
curl -s -o /dev/null "$base/v1/chat/completions" "${auth[@]}" --data-binary "@$work/big-chat.json"

# The exported spans: present, redacted, without a secret, none of them huge.
sleep 2
ls "$work/otlp"/*.bin >/dev/null 2>&1 || die "no spans reached the OTLP sink"
spans=$(cat "$work/otlp"/*.bin | tr -c '[:print:]' '\n')
grep -qF '[REDACTED]' <<<"$spans" || die "no exported span records the redacted upstream error"
no_secret "an exported span" "$spans"
largest=$(stat -c %s "$work/otlp"/*.bin | sort -n | tail -1)
[ "$largest" -lt 400000 ] || die "an export request of $largest bytes: the 10 000-message chat was not bounded"
log "1+2, 8: $(ls "$work/otlp" | wc -l) OTLP requests hold the redacted error and no secret; the largest is $largest bytes"

# 3: DNS rebinding: a foreign Host gets 421 everywhere, page token included; a foreign Origin 403.
for request in "GET|/|" "POST|/v1/passages|{\"query\":\"sqlite\"}" "POST|/v1/chat/completions|{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"; do
  IFS='|' read -r method path body <<<"$request"
  answer=$(curl -s -w '\n%{http_code}' -X "$method" "$base$path" -H "Host: attacker.example:$port" "${auth[@]}" ${body:+-d "$body"})
  [ "${answer##*$'\n'}" = 421 ] || die "$method $path with a foreign Host answered ${answer##*$'\n'}: $answer"
  ! grep -q 'stack-page-token' <<<"$answer" || die "a foreign Host was handed a page token"
done
status=$(curl -s -o /dev/null -w '%{http_code}' "$base/v1/agent/runs" -H 'Origin: http://attacker.example' "${auth[@]}" -d '{"goal":"hi"}')
[ "$status" = 403 ] || die "a foreign Origin got $status, expected 403"
status=$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" -H "Host: localhost:$port" -H "Origin: http://localhost:$port")
[ "$status" = 200 ] || die "the server's own name got $status"
log "3: foreign Host 421 on /, passages and chat; foreign Origin 403; own names 200"

# 4: a page token naming someone else's trace starts a fresh one.
page_token=$(curl -s "$base/" | sed -n 's/.*name="stack-page-token" content="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$page_token" ] || die "the chat page carries no page token"
foreign_trace=4bf92f3577b34da6a3ce929d0e0e4736
joined=$(curl -s -D - -o /dev/null "$base/v1/chat/completions" -H "X-Page-Token: $page_token" -H 'Content-Type: application/json' \
  -H "traceparent: 00-$foreign_trace-00f067aa0ba902b7-01" -d '{"messages":[{"role":"user","content":"hi"}]}' | tr -d '\r' \
  | sed -n 's/^[Xx]-[Tt]race-[Ii]d: //p')
[ -n "$joined" ] && [ "$joined" != "$foreign_trace" ] || die "a page request joined the trace its traceparent named ($joined)"
log "4: a page token with a foreign traceparent was answered in trace $joined of its own"

# 8: feedback sizes and a replayed v1 token.
[ -n "$feedback_token" ] && [ -n "$trace_for_feedback" ] || die "the agent run gave no feedback token"
python3 - "$trace_for_feedback" >"$work/big-feedback.json" <<'PY'
import json, sys
print(json.dumps({"trace_id": sys.argv[1], "score": 0, "explanation": "x" * 600_000}))
PY
status=$(curl -s -o "$work/answer" -w '%{http_code}' "$base/v1/feedback" "${auth[@]}" -H "X-Feedback-Token: $feedback_token" --data-binary "@$work/big-feedback.json")
[ "$status" = 400 ] && grep -q "'explanation'" "$work/answer" || die "a 600 KB explanation got $status: $(cat "$work/answer")"
python3 -c 'import json, sys; print(json.dumps({"trace_id": sys.argv[1], "label": "l" * 300_000}))' "$trace_for_feedback" >"$work/big-label.json"
status=$(curl -s -o "$work/answer" -w '%{http_code}' "$base/v1/feedback" "${auth[@]}" -H "X-Feedback-Token: $feedback_token" \
  --data-binary "@$work/big-label.json")
[ "$status" = 400 ] && grep -q "'label'" "$work/answer" || die "a 300 KB label got $status"
for _ in 1 2 3 4; do
  status=$(curl -s -o "$work/answer" -w '%{http_code}' "$base/v1/feedback" "${auth[@]}" -H "X-Feedback-Token: $feedback_token" \
    -d "{\"trace_id\":\"$trace_for_feedback\",\"label\":\"thumbs_down\"}")
  case "$status" in 200 | 202) ;; *) die "feedback with its token got $status: $(cat "$work/answer")" ;; esac
done
rows=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from pending_feedback").fetchone()[0])' "$work/feedback.sqlite")
[ "$rows" = 1 ] || die "a v1 token sent four times left $rows feedback rows, expected 1"
mode=$(stat -c %a "$work/feedback.sqlite")
[ "$mode" = 600 ] || die "the feedback queue file has mode $mode, expected 600"
log "8, 9: 600 KB explanation and 300 KB label refused with 400; a v1 token sent 4 times is 1 feedback; queue file 0600"

# 9: HEAD like GET; the browser-spans 413 names its own fixed bound.
status=$(curl -s -I -o "$work/head" -w '%{http_code}' "$base/healthz")
[ "$status" = 200 ] || die "HEAD /healthz answered $status"
python3 -c 'import json; print(json.dumps({"trace_id": "0" * 32, "token": "t", "spans": [{"name": "browser." + "a" * 20000}]}))' >"$work/spans.json"
status=$(curl -s -o "$work/answer" -w '%{http_code}' "$base/v1/browser-spans" -H "X-Page-Token: $page_token" -H 'Content-Type: application/json' --data-binary "@$work/spans.json")
[ "$status" = 413 ] && grep -q '16384 bytes' "$work/answer" && ! grep -q STACK_MAX_BODY_BYTES "$work/answer" \
  || die "the browser-spans 413 does not name its fixed bound: $status $(cat "$work/answer")"
log "9: HEAD /healthz 200; browser-spans 413 names its 16384-byte bound"

# 5, 6, 9: connections, from a raw socket: each closed in time, with the answer said, descriptors released.
fds_before=$(ls "/proc/$serve_pid/fd" | wc -l)
python3 - "$port" "$client_key" <<'PY' || die "a connection check failed (above)"
import json, select, socket, sys, time
port, key = int(sys.argv[1]), sys.argv[2].encode()

def exchange(name, send, limit, expect_status=None, trickle=None):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(limit + 3)
    started = time.monotonic()
    try:
        if send:
            s.sendall(send)
        if trickle:
            # A byte a second, until the server answers.
            for byte in trickle:
                if select.select([s], [], [], 1.0)[0]:
                    break
                s.sendall(bytes([byte]))
    except (BrokenPipeError, ConnectionResetError):
        pass
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except ConnectionResetError:
        pass
    except socket.timeout:
        sys.exit(f"{name}: the connection was still open after {limit + 3} s")
    elapsed = time.monotonic() - started
    s.close()
    if elapsed > limit + 1.5:
        sys.exit(f"{name}: closed after {elapsed:.1f} s, more than {limit} s")
    if expect_status and data:
        head, _, body = data.partition(b"\r\n\r\n")
        status = head.split(b" ")[1].decode()
        if status != expect_status:
            sys.exit(f"{name}: answered {status}, expected {expect_status}: {data[:300]!r}")
        if expect_status != "200":
            answer = json.loads(body)
            if not answer["error"].get("trace_id") or b"X-Trace-Id" not in head:
                sys.exit(f"{name}: the {status} has no trace id: {data[:300]!r}")
    print(f"{name}: closed after {elapsed:.1f} s ({len(data)} bytes answered)")

host = b"Host: 127.0.0.1\r\n"
exchange("500 KB of headers", b"GET /healthz HTTP/1.1\r\n" + host + b"X-Big: " + b"a" * 500_000 + b"\r\n\r\n", 1, "400")
exchange("a request line NIO cannot parse", b"GARBAGE\x01 / HTTP/1.1\r\n\r\n", 1, "400")
exchange("trickled headers", b"GET /healthz HTTP/1.1\r\n" + host, 2, "408", trickle=b"X-Slow: abcdefghij")
exchange("a trickled body", b"POST /v1/agent/runs HTTP/1.1\r\n" + host + b"Authorization: Bearer " + key + b"\r\nContent-Length: 100\r\n\r\n", 2, "408", trickle=b"{\"goal\": ")
exchange("an idle connection", b"", 3)
exchange("HTTP/1.0", b"GET /healthz HTTP/1.0\r\n\r\n", 0.5, "200")
exchange("HEAD", b"HEAD /healthz HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n", 0.5, "200")
PY
sleep 1
fds_after=$(ls "/proc/$serve_pid/fd" | wc -l)
[ "$fds_after" -le "$fds_before" ] || die "stack serve holds $fds_after descriptors after the connection checks, $fds_before before"
log "5, 6: parse errors 400 and closed, trickled headers and body 408 within 2 s, idle closed within 3 s, HTTP/1.0 closed; descriptors $fds_before -> $fds_after"

# 8: MCP tool arguments are bounded.
mcp_port="$(free_port)"
PHOENIX_COLLECTOR_ENDPOINT="http://127.0.0.1:$sink_port" "$bin/stack" mcp --http --port "$mcp_port" --index "$work/no-index.sqlite" \
  >"$work/mcp.out" 2>"$work/mcp.err" &
pids+=($!)
for _ in $(seq 1 120); do grep -q 'http://' "$work/mcp.out" 2>/dev/null && break; sleep 0.5; done
python3 -c 'import json; print(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "now", "arguments": {"timezone": "x" * 400_000}}}))' >"$work/mcp-call.json"
started=$(date +%s%N)
answer=$(curl -s "http://127.0.0.1:$mcp_port/mcp" -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
  --data-binary "@$work/mcp-call.json")
elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
grep -q 'isError":true' <<<"$answer" && grep -q "more than the 16384" <<<"$answer" \
  || die "a 400 KB MCP argument was not refused with its bound: $(head -c 400 <<<"$answer")"
log "8: a 400 KB MCP tool argument refused with its bound in $elapsed_ms ms"

log "stack serve held against each attack of issue 30 checked here"
