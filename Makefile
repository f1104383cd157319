# 创优 · the two commands (`make run`, `make test`) and the helpers around them.
#
#   make run               install, migrate, load the demo, start the task worker, serve :8000
#   make test              the whole suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL)
#   make e2e               only the browser tests
#   make lint              ruff check, ruff format --check, mypy, the import layers (lint-imports)
#   make migrations-check  fail when a model change has no migration
#   make openapi           rewrite src/chuangyou/api/openapi.json from the live API
#   make bench             run every bench/bench_*.py
#
# Variables: PYTHON (python3.11), PYTEST_WORKERS (2; 0 runs in one process), PYTEST_ARGS (extra).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Rewritten whenever pyproject.toml is newer, so dependencies are installed again only when they change.
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
# loadgroup keeps the concurrency tests (one xdist group, see conftest.py) off each other's connections.
XDIST := $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadgroup,)

.PHONY: help install run test e2e lint migrations-check openapi bench messages browser

help:
	@sed -n '2,12p' Makefile | sed 's/^# \{0,1\}//'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "创优 needs Python 3.11, and $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(STAMP)

# Compiles locale/*/LC_MESSAGES/django.po when gettext is there; with no .po files yet there is nothing to do.
messages: $(STAMP)
	@scripts/compile-messages.sh

browser:
	@scripts/ensure-browser.sh

run: $(STAMP) messages
	@scripts/run-demo.sh

test: browser $(STAMP) messages
	$(BIN)/pytest $(XDIST) $(PYTEST_ARGS)

e2e: browser $(STAMP) messages
	$(BIN)/pytest $(XDIST) -m e2e $(PYTEST_ARGS)

# mypy's django plugin imports the settings, which want a SECRET_KEY unless DEBUG is on.
# All three run even when one fails, so one run lists every problem.
lint: $(STAMP)
	@rc=0; \
	echo "ruff check ."; $(BIN)/ruff check . || rc=1; \
	echo "ruff format --check ."; $(BIN)/ruff format --check . || rc=1; \
	echo "mypy src"; DEBUG=1 $(BIN)/mypy src || rc=1; \
	echo "lint-imports (the layers in pyproject.toml)"; $(BIN)/lint-imports --no-logo || rc=1; \
	exit $$rc

migrations-check: $(STAMP)
	DEBUG=1 $(BIN)/chuangyou makemigrations --check --dry-run

# The same text the snapshot test compares (chuangyou.api.schema): sorted keys, two-space indent, UTF-8.
openapi: $(STAMP)
	DEBUG=1 DJANGO_SETTINGS_MODULE=chuangyou.settings $(BIN)/python -c 'import django; django.setup(); from chuangyou.api.schema import write_snapshot; print("wrote", write_snapshot())'

# Scripts that import the settings need DEBUG=1 (or a SECRET_KEY); the HTTP bench sets its own.
bench: $(STAMP)
	@for script in bench/bench_*.py; do \
		echo "== $$script"; \
		DEBUG=$${DEBUG:-1} $(BIN)/python "$$script"; \
	done
