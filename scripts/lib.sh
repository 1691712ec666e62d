# Shared helpers for the project's scripts. Source it; do not run it.
# Everything installed lives under STACK_CACHE_DIR (outside the clone) so repeated runs reuse it.
STACK_CACHE_DIR="${STACK_CACHE_DIR:-$HOME/.cache/stack}"
mkdir -p "$STACK_CACHE_DIR"

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Prints a free TCP port on 127.0.0.1 (asks the kernel for one).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Succeeds when TCP port $1 on 127.0.0.1 is free to listen on.
port_free() {
  python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.close()' "$1" 2>/dev/null
}

# Creates (once) a venv at $1 and installs the pip requirements given after it.
# A marker file records what was installed, so a finished venv is reused without asking pip again.
ensure_venv() {
  local venv="$1"; shift
  local marker="$venv/.stack-installed"
  local want="$*"
  if [ -f "$marker" ] && [ "$(cat "$marker")" = "$want" ]; then
    return 0
  fi
  log "installing $want into $venv (first run only)"
  python3 -m venv "$venv" || die "could not create a venv at $venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" || die "pip install $want failed"
  printf '%s' "$want" > "$marker"
}

# Starts StackBench's scripted OpenAI-compatible model in the background ($1: the StackBench binary,
# $2: a file for the URL it prints) and waits for it; sets model_pid and model_url.
start_fake_model() {
  "$1" fake-model >"$2" &
  model_pid=$!
  for _ in $(seq 1 60); do [ -s "$2" ] && break; sleep 0.5; done
  model_url="$(head -n 1 "$2")"
  wait_http "$model_url/models" 30 "$model_pid" || die "the scripted model did not start"
}

# Whether PID is a live process. `kill -0` alone also finds a zombie: a process killed but not yet
# reaped by its parent (in a container whose init does not reap, it stays one).
alive() {
  local pid="$1" stat
  kill -0 "$pid" 2>/dev/null || return 1
  [ -r "/proc/$pid/stat" ] || return 0
  stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [ "${stat%% *}" != Z ]
}

# Waits until URL answers HTTP (any status below 500) or the timeout (seconds) passes.
wait_http() {
  local url="$1" timeout="${2:-120}" pid="${3:-}"
  local deadline=$(( $(date +%s) + timeout ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    if [ -n "$pid" ] && ! alive "$pid"; then
      return 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url" 2>/dev/null || true)
    if [ -n "$code" ] && [ "$code" != "000" ] && [ "$code" -lt 500 ]; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# Installs the Debian packages named that are not installed yet, as root. A new machine's package
# lists are empty until `apt-get update` runs, so they are refreshed once, when something is missing
# and the lists hold nothing or the install cannot find a package, then the install is tried again.
ensure_debian_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "${missing[*]} missing; install as root: apt-get update && apt-get install -y ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! compgen -G '/var/lib/apt/lists/*_Packages' >/dev/null; then
    apt-get update -qq >&2 || die "apt-get update failed: the package lists could not be refreshed"
  fi
  if ! apt-get install -y -qq "${missing[@]}" >&2; then
    log "refreshing the package lists and trying again"
    apt-get update -qq >&2 || die "apt-get update failed: the package lists could not be refreshed"
    apt-get install -y -qq "${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
  fi
}

# Runs a command as a named phase of a longer run and appends "NAME SECONDS ok|failed" to the file in
# $PHASE_LOG (when set), so the run can close with how long each phase took; returns its status.
phase() {
  local name="$1"; shift
  local start=$SECONDS status=0
  log "phase $name"
  "$@" || status=$?
  if [ -n "${PHASE_LOG:-}" ]; then
    printf '%s %s %s\n' "$name" "$(( SECONDS - start ))" "$([ "$status" = 0 ] && echo ok || echo failed)" >>"$PHASE_LOG"
  fi
  return "$status"
}

# Prints the phases recorded in $PHASE_LOG as a table, with the total.
print_phases() {
  [ -s "${PHASE_LOG:-}" ] || return 0
  printf '\nphase timings:\n' >&2
  awk '{ printf "  %-22s %5d s  %s\n", $1, $2, $3; total += $2 } END { printf "  %-22s %5d s\n", "total", total }' "$PHASE_LOG" >&2
}

# Stops the processes whose pids are in the caller's `pids` array, exactly those: TERM to all, then for
# each up to 10 s to exit before KILL, and waits for it (no zombie is left).
stop_pids() {
  local p
  for p in "${pids[@]}"; do if kill -0 "$p" 2>/dev/null; then kill -TERM "$p"; fi; done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$p" 2>/dev/null; then kill -KILL "$p"; fi
    wait "$p" 2>/dev/null || true
  done
}
