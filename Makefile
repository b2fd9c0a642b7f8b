# The README's two commands: `make run` and `make test`.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
DB ?= izde.db
DEMO_PERSONS ?= 2000

.PHONY: all deps build run test bench format clean web

all: build

deps:
	@bash scripts/install-deps

# Optimised program at build/izde.
build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target izde
	@cp build/release/src/cli/izde build/izde

# The web UI (docs/web.md): web/dist, served by `izde serve`. npm ci runs only when the lock
# file is newer than node_modules; the build only when a source changed.
WEB_SRCS := $(shell find web/src web/public web/index.html web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)
web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	@cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@
web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRCS)
	@cd web && npm run --silent build
web: web/dist/index.html

# Creates ./izde.db with demo data on first run, then starts the server (docs/server.md).
run: build web
	@if [ ! -f "$(DB)" ]; then \
	  build/izde --db "$(DB)" init && \
	  build/izde --db "$(DB)" demo --persons $(DEMO_PERSONS) --seed 1; \
	fi
	@build/izde --db "$(DB)" serve

# The whole test suite: sanitizers on, warnings are errors.
test: deps web
	@cmake --preset ci >/dev/null
	@cmake --build --preset ci -j $(JOBS)
	@ctest --preset ci -j $(JOBS)

bench: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)
	@bash bench/run-all

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	rm -rf build
