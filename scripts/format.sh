#!/usr/bin/env bash
# `make format` formats every Swift source in place with the toolchain's swift-format and the
# repository's .swift-format; `scripts/format.sh check` (a `make test` phase) fails on any finding.
# The generated Phoenix client (Sources/PhoenixAPI/Generated) is left as the generator writes it.
#
# Two rules the anchors enable are off in .swift-format (JSON takes no comments, so the reasons are here):
#   ReplaceForEachWithForLoop: swift-distributed-tracing's SpanAttributes is not a Sequence; its
#     forEach is the only way to walk a span's attributes.
#   OnlyOneTrailingClosureArgument: the MCP and metrics helpers take a closure argument (what to do
#     when abandoned, how to read a result) beside the operation written as a trailing closure.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

paths=(Package.swift Stack/Package.swift Benchmarks/Package.swift Tests Stack/Sources Stack/Tests Stack/Tools Stack/Examples
  Stack/Benchmarks Benchmarks/Sources Benchmarks/Benchmarks)
for module in Sources/*/; do
  [ "$module" = Sources/PhoenixAPI/ ] && continue
  paths+=("${module%/}")
done

case "${1:-fix}" in
  fix) swift format format --in-place --parallel --recursive "${paths[@]}" ;;
  check)
    swift format lint --strict --parallel --recursive "${paths[@]}" 2>"${TMPDIR:-/tmp}/swift-format-lint.$$" || {
      head -40 "${TMPDIR:-/tmp}/swift-format-lint.$$" >&2
      log "$(wc -l <"${TMPDIR:-/tmp}/swift-format-lint.$$") findings; run 'make format' and commit the result"
      rm -f "${TMPDIR:-/tmp}/swift-format-lint.$$"
      exit 1
    }
    rm -f "${TMPDIR:-/tmp}/swift-format-lint.$$"
    log "swift format lint: clean"
    ;;
  *) die "usage: scripts/format.sh [fix|check]" ;;
esac
