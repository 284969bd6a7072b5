# Luoshi: `make run` serves the app on http://127.0.0.1:8000; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test install install-frontend frontend chromium wrk lint openapi api-client bench bench-compare clean

help:
	@echo "make run    install, migrate, load demo data (empty database only), serve on http://$(HOST):$(PORT)"
	@echo "make test   install and run every test (SQLite + PostgreSQL, frontend unit, browser e2e)"
	@echo "make bench  generate the benchmark dataset and measure the hot endpoints"
	@echo "make bench-compare REF=<commit>  this checkout against REF, side by side on that dataset"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python backend/requirements.lock backend/pyproject.toml
	$(BIN)/pip install -q uv==$(UV_VERSION)
	$(UV) pip sync -q --python $(BIN)/python backend/requirements.lock
	$(UV) pip install -q --python $(BIN)/python --no-deps -e backend
	touch $@

install: $(VENV)/.installed

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

install-frontend: frontend/node_modules/.installed

frontend: install-frontend
	cd frontend && npm run build

# Debian's Chromium for the browser tests, with CJK fonts so screenshots show Chinese.
chromium:
	@(command -v chromium >/dev/null && fc-list :lang=zh | grep -q .) || \
		(apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

run: install frontend
	$(BIN)/luoshi migrate
	$(BIN)/luoshi load-demo
	LUOSHI_RUN_SCHEDULER=true $(BIN)/luoshi serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check backend tests migrations

test: install install-frontend chromium
	$(BIN)/ruff check backend tests migrations
	$(BIN)/pytest
	cd frontend && npm run check:api && npm test
	cd frontend && npm run e2e

openapi: install
	$(BIN)/luoshi export-openapi

api-client: openapi install-frontend
	cd frontend && npm run gen:api

wrk:
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)

bench: install wrk
	cd backend && ../$(BIN)/python -m bench.run $(BENCH_ARGS)

# This checkout against REF (a commit), served in turn from the database `make bench` built.
bench-compare: install wrk
	@test -n "$(REF)" || (echo "usage: make bench-compare REF=<commit> [BENCH_ARGS='--db sqlite --rounds 3']"; exit 2)
	cd backend && ../$(BIN)/python -m bench.compare $(REF) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist data
