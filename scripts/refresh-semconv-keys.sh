#!/usr/bin/env bash
# Saves the attribute keys of openinference-semantic-conventions (the version pinned below) to
# Tests/OpenInferenceTests/Resources/semconv-keys.txt, which the library's SemanticConventionKeysTests
# check SemanticConventions.allKeys against. With --check (a phase of `make test`), writes nothing and
# fails, with the difference, when the saved list is not what the installed package defines.
# The package is installed once into a venv under $STACK_CACHE_DIR (~/.cache/stack).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

version=0.1.42
venv="$STACK_CACHE_DIR/semconv-venv"
saved=Tests/OpenInferenceTests/Resources/semconv-keys.txt

ensure_venv "$venv" "openinference-semantic-conventions==$version"
current="$("$venv/bin/python" scripts/semconv_keys.py)" || die "could not list the keys of openinference-semantic-conventions $version"

case "${1:-}" in
  --check)
    if ! diff -u "$saved" <(printf '%s\n' "$current") >&2; then
      die "$saved differs from openinference-semantic-conventions $version (above: - saved, + package); run scripts/refresh-semconv-keys.sh, then define each new key in Sources/OpenInference/SemanticConventions.swift and list it in SemanticConventions.allKeys"
    fi
    log "$saved matches openinference-semantic-conventions $version ($(grep -vc '^#' "$saved") keys)"
    ;;
  "")
    printf '%s\n' "$current" > "$saved"
    log "wrote $saved ($(grep -vc '^#' "$saved") keys of openinference-semantic-conventions $version)"
    ;;
  *)
    die "unknown argument $1; use no argument to rewrite $saved, or --check to compare it with the package"
    ;;
esac
