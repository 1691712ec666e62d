#!/usr/bin/env bash
# Saves what the reference Python packages define, for the library's tests to check against:
# - Tests/OpenInferenceTests/Resources/semconv-keys.txt: every attribute key of
#   openinference-semantic-conventions (SemanticConventionKeysTests: each is in SemanticConventions.allKeys);
# - Tests/OpenInferenceTests/Resources/masking-cases.json: what openinference-instrumentation's
#   TraceConfig.mask does with each of ~1000 pairs of trace configuration and attribute
#   (MaskingReferenceTests: the Swift TraceConfig does the same).
# With --check (a phase of `make test`), writes nothing and fails, with the difference, when a saved file
# is not what the installed packages give. The packages are installed once into a venv under
# $STACK_CACHE_DIR (~/.cache/stack).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

semconv=0.1.42
instrumentation=0.1.72
venv="$STACK_CACHE_DIR/openinference-reference-venv"
resources=Tests/OpenInferenceTests/Resources

ensure_venv "$venv" "openinference-semantic-conventions==$semconv" "openinference-instrumentation==$instrumentation"
keys="$("$venv/bin/python" scripts/reference/semconv_keys.py)" \
  || die "could not list the keys of openinference-semantic-conventions $semconv"
cases="$("$venv/bin/python" scripts/reference/masking_cases.py)" \
  || die "could not run openinference-instrumentation $instrumentation's TraceConfig.mask on the masking cases"

case "${1:-}" in
  --check)
    status=0
    if ! diff -u "$resources/semconv-keys.txt" <(printf '%s\n' "$keys") >&2; then
      log "$resources/semconv-keys.txt differs from openinference-semantic-conventions $semconv (above: - saved, + package); run scripts/refresh-semconv-keys.sh, then define each new key in Sources/OpenInference/SemanticConventions.swift and list it in SemanticConventions.allKeys"
      status=1
    fi
    if ! diff -u "$resources/masking-cases.json" <(printf '%s\n' "$cases") >&2; then
      log "$resources/masking-cases.json differs from what openinference-instrumentation $instrumentation's TraceConfig.mask gives (above: - saved, + reference); run scripts/refresh-semconv-keys.sh, then make TraceConfig.mask agree (swift test --filter MaskingReference)"
      status=1
    fi
    [ "$status" = 0 ] || die "the saved reference files are out of date"
    log "saved reference files match: $(grep -vc '^#' "$resources/semconv-keys.txt") keys of openinference-semantic-conventions $semconv, $(grep -c '"key"' "$resources/masking-cases.json") masking cases of openinference-instrumentation $instrumentation"
    ;;
  "")
    printf '%s\n' "$keys" > "$resources/semconv-keys.txt"
    printf '%s\n' "$cases" > "$resources/masking-cases.json"
    log "wrote $resources/semconv-keys.txt ($(grep -vc '^#' "$resources/semconv-keys.txt") keys) and $resources/masking-cases.json ($(grep -c '"key"' "$resources/masking-cases.json") cases)"
    ;;
  *)
    die "unknown argument $1; use no argument to rewrite the saved reference files, or --check to compare them with the packages"
    ;;
esac
