#!/usr/bin/env bash
# Regenerates Sources/PhoenixAPI/Generated (the Phoenix REST client) with swift-openapi-generator.
#
#   scripts/generate-phoenix-api.sh            # from the saved document, Stack/OpenAPI/phoenix-openapi.json
#   scripts/generate-phoenix-api.sh save URL   # first saves the document a running Phoenix serves at URL/openapi.json
#
# The generator runs from its own small package (Stack/Tools/OpenAPIGenerate), so ordinary builds of Stack
# never compile it. Which operations are generated is listed in Stack/OpenAPI/openapi-generator-config.yaml.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

root="$(cd "$(dirname "$0")/.." && pwd)"
openapi_dir="$root/Stack/OpenAPI"
document="$openapi_dir/phoenix-openapi.json"
output="$root/Sources/PhoenixAPI/Generated"

if [ "${1:-}" = "save" ]; then
  url="${2:?usage: $0 save PHOENIX_URL}"
  curl -fsS "$url/openapi.json" -o "$document.download" || die "could not read $url/openapi.json"
  version="$(curl -fsSI "$url/healthz" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-phoenix-server-version"{print $2}')"
  # Pretty-printed with sorted keys, so a new Phoenix shows up as a readable diff.
  python3 - "$document.download" "$document" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    document = json.load(f)
with open(sys.argv[2], "w") as f:
    json.dump(document, f, indent=1, sort_keys=True)
    f.write("\n")
PY
  rm -f "$document.download"
  printf '%s\n' "${version:-unknown}" > "$openapi_dir/phoenix-version.txt"
  log "saved Phoenix ${version:-?}'s document to $document"
fi

# The copy handed to the generator is adjusted where Phoenix's (FastAPI's) document uses what the generator
# does not support (deprecated query parameters go too, see below): integer bounds written as floats (`"maximum": 9.223372036854776e+18`; they only
# validate, so they go), and nullable values written `anyOf: [X, {"type": "null"}]`, which the generator
# skips entirely: they become plain X, and a nullable property is no longer required (absent means null).
normalized="$(mktemp -d)/openapi.json"
python3 - "$document" "$normalized" <<'PY'
import json, sys

def is_null(schema):
    return isinstance(schema, dict) and schema.get("type") == "null"

def nullable(schema):
    return isinstance(schema, dict) and any(is_null(s) for s in schema.get("anyOf", []) + schema.get("oneOf", []))

def clean(node):
    if isinstance(node, dict):
        if node.get("type") == "integer":
            for key in ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum"):
                if isinstance(node.get(key), float):
                    del node[key]
        properties = node.get("properties")
        if isinstance(properties, dict) and isinstance(node.get("required"), list):
            node["required"] = [name for name in node["required"] if not nullable(properties.get(name))]
        for combinator in ("anyOf", "oneOf"):
            if isinstance(node.get(combinator), list) and any(is_null(s) for s in node[combinator]):
                rest = [s for s in node[combinator] if not is_null(s)]
                del node[combinator]
                if len(rest) == 1:
                    for key, value in rest[0].items():
                        node.setdefault(key, value)
                elif rest:
                    node[combinator] = rest
        for value in list(node.values()):
            clean(value)
    elif isinstance(node, list):
        for value in node:
            clean(value)

with open(sys.argv[1]) as f:
    document = json.load(f)
clean(document)
# Phoenix documents the experiment export as text/plain but answers application/json (an array of runs).
export_route = document["paths"].get("/v1/experiments/{experiment_id}/json", {}).get("get")
if export_route and "text/plain" in export_route["responses"]["200"].get("content", {}):
    export_route["responses"]["200"]["content"] = {"application/json": {"schema": {
        "type": "array", "items": {"type": "object", "additionalProperties": True}}}}
# Deprecated query parameters would make the generated client warn on every build; Stack does not use them.
for item in document["paths"].values():
    for operation in item.values():
        if isinstance(operation, dict) and isinstance(operation.get("parameters"), list):
            operation["parameters"] = [p for p in operation["parameters"] if not p.get("deprecated")]
with open(sys.argv[2], "w") as f:
    json.dump(document, f)
PY

mkdir -p "$output"
swift run --package-path "$root/Stack/Tools/OpenAPIGenerate" swift-openapi-generator generate \
  --config "$openapi_dir/openapi-generator-config.yaml" \
  --output-directory "$output" \
  "$normalized"
rm -rf "$(dirname "$normalized")"
# The generator writes `package import …`; compilers before 6.4 warn about each one a file does not use
# (its `@diagnose(UnusedImportAccess, as: ignored)` needs 6.4). Plain imports mean the same for this
# package-access code and build without warnings.
sed -i -E 's/^(@_spi\(Generated\) )?package import /\1import /' "$output"/*.swift
cat > "$output/PhoenixDocument.swift" <<SWIFT
#if Phoenix
// Written by scripts/generate-phoenix-api.sh, do not modify.

/// The Phoenix whose OpenAPI document the client in this module was generated from.
package enum PhoenixDocument {
    /// That Phoenix's version (its \`x-phoenix-server-version\` header when the document was saved).
    package static let serverVersion = "$(cat "$openapi_dir/phoenix-version.txt")"
}
#endif  // Phoenix
SWIFT
# The module is the root package's `PhoenixClient` product, behind its `Phoenix` trait: with the trait
# off (an adopter of OpenInference alone) every file compiles to nothing and swift-openapi-runtime is
# not resolved.
for file in "$output"/*.swift; do
  case "$file" in */PhoenixDocument.swift) continue ;; esac
  { printf '#if Phoenix\n'; cat "$file"; printf '#endif  // Phoenix\n'; } > "$file.wrapped" && mv "$file.wrapped" "$file"
done
log "generated $(ls "$output" | wc -l) files in $output"
