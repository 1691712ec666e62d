#!/usr/bin/env bash
# `make docs`: builds the DocC documentation of every product of the root package, with all its traits
# on, and fails on any DocC warning (an unresolved symbol link, a malformed catalog).
#
#   scripts/docs.sh [OUTPUT]    # OUTPUT: where the .doccarchive folders go (default: .build/docs)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

out="${1:-.build/docs}"
build=".build/docs-build"
docc="$(command -v docc || true)"
[ -n "$docc" ] || docc="$(dirname "$(readlink -f "$(command -v swift)")")/docc"
[ -x "$docc" ] || die "docc is not next to swift ($docc); install a Swift toolchain that ships it"
modules="OpenInference OpenInferenceTesting OpenInferenceURLSession OpenInferenceOpenAPI OpenInferenceAsyncHTTPClient OpenInferenceTelemetry PhoenixClient OpenInferenceMCP"

mkdir -p "$build"
# The test modules' graphs cannot be extracted (SwiftPM 6.3 reports it and exits non-zero); each product's
# graph is checked below instead.
swift package --scratch-path "$build" --enable-all-traits dump-symbol-graph --minimum-access-level public --emit-extension-block-symbols >"$build/dump.log" 2>&1 || true
graphs="$(sed -n 's/^Files written to //p' "$build/dump.log" | tail -1)"
[ -d "$graphs" ] || { tail -30 "$build/dump.log" >&2; die "could not extract the symbol graphs (log: $build/dump.log)"; }
mkdir -p "$out"
failed=""
for module in $modules; do
  catalog="Sources/$module/$module.docc"
  [ -d "$catalog" ] || die "$module has no DocC catalog at $catalog"
  only="$build/graphs-$module"
  rm -rf "$only" && mkdir -p "$only"
  cp "$graphs/$module".symbols.json "$graphs/$module"@*.symbols.json "$only"/ 2>/dev/null || true
  [ -s "$only/$module.symbols.json" ] || die "no symbol graph for $module in $graphs"
  "$docc" convert "$catalog" --fallback-display-name "$module" --fallback-bundle-identifier "org.openinference.$module" \
    --additional-symbol-graph-dir "$only" --output-path "$out/$module.doccarchive" --warnings-as-errors \
    >"$build/docc-$module.log" 2>&1 || { cat "$build/docc-$module.log" >&2; failed="$failed $module"; continue; }
  log "$module: $(find "$out/$module.doccarchive/data/documentation" -name '*.json' | wc -l | tr -d ' ') pages, no warning"
done
[ -z "$failed" ] || die "DocC reports the problems above in:$failed"
