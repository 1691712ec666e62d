.PHONY: test demo bench load soak soak-cluster build generate docs format clean-cache

## Builds, starts a private Phoenix, runs unit and integration tests, checks the quick start's trace.
test:
	bash scripts/test.sh

## Starts Phoenix if needed and sends a traced run to it.
demo:
	bash scripts/demo.sh

## Release-built tracing benchmarks beside Python's OpenTelemetry SDK (see docs/performance.md).
bench:
	bash scripts/bench.sh

## wrk at saturation against stack serve (traced, untraced) and the scripted model alone, then ten
## minutes of RSS under load (about 16 minutes after the release build; see docs/reliability.md "Under full load").
load:
	bash scripts/load.sh

## Drives stack serve with concurrent agent runs while Phoenix records every trace (see docs/reliability.md).
soak:
	bash scripts/soak.sh

## REPLICAS stack serve processes behind nginx, paced load, Phoenix on SQLite then PostgreSQL 15
## (about 11 minutes after the release build; see docs/reliability.md "Replicas").
soak-cluster:
	bash scripts/soak-cluster.sh

## Regenerates the Phoenix REST client (Sources/PhoenixAPI) from Stack/OpenAPI/phoenix-openapi.json.
## `scripts/generate-phoenix-api.sh save URL` first saves the document a newer Phoenix serves.
generate:
	bash scripts/generate-phoenix-api.sh

## DocC documentation of every product (all traits on) into .build/docs; fails on any DocC warning.
docs:
	bash scripts/docs.sh

## Formats every Swift source with swift-format and .swift-format (make test fails on any finding).
format:
	bash scripts/format.sh

build:
	swift build && swift build --package-path Stack

## Removes the cached Phoenix and model venvs (they are reinstalled on next use).
clean-cache:
	rm -rf "$${STACK_CACHE_DIR:-$$HOME/.cache/stack}"
