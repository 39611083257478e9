# Every target sets up what it needs: a fresh clone needs only python3, node and npm.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
D1_LOCAL := tests/integration/d1_local

.PHONY: help test test-unit test-integration test-reliability lint typecheck demo d1-local bench bench-quick clean

help:
	@echo "make demo          import example conversations into ./d1store.db, list and show them"
	@echo "make test          the whole test suite (starts the local D1 engine itself)"
	@echo "make lint          ruff"
	@echo "make typecheck     mypy --strict"
	@echo "make d1-local      a local D1 endpoint (workerd) on 127.0.0.1:8787 for your own development"
	@echo "make bench         benchmarks -> bench/RESULTS.md (bench-quick: smaller sizes)"
	@echo "make test-reliability  the fault-injection suite at full size"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(D1_LOCAL)/node_modules/.package-lock.json: $(D1_LOCAL)/package-lock.json
	cd $(D1_LOCAL) && npm ci --no-audit --no-fund --loglevel=error

test: $(STAMP) $(D1_LOCAL)/node_modules/.package-lock.json
	$(BIN)/python -m pytest -n 2 --dist loadgroup

test-unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

test-integration: $(STAMP) $(D1_LOCAL)/node_modules/.package-lock.json
	$(BIN)/python -m pytest tests/integration

test-reliability: $(STAMP) $(D1_LOCAL)/node_modules/.package-lock.json
	D1STORE_RELIABILITY_SCALE=full $(BIN)/python -m pytest -m reliability -s tests/integration

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict

demo: $(STAMP)
	$(BIN)/d1store --db d1store.db init
	$(BIN)/d1store --db d1store.db import examples/conversations/*
	$(BIN)/d1store --db d1store.db threads --limit 10
	$(BIN)/d1store --db d1store.db show demo-weather-agent --last 10
	$(BIN)/d1store --db d1store.db stats

d1-local: $(STAMP) $(D1_LOCAL)/node_modules/.package-lock.json
	$(BIN)/python $(D1_LOCAL)/engine.py --port 8787 --state .d1-local

# openai-agents is a baseline to compare with, not a dependency: installed for the benchmark only.
bench: $(STAMP) $(D1_LOCAL)/node_modules/.package-lock.json
	$(BIN)/python -c "import agents" 2>/dev/null || $(BIN)/python -m pip install --quiet openai-agents
	$(BIN)/python -m bench

bench-quick: $(STAMP) $(D1_LOCAL)/node_modules/.package-lock.json
	$(BIN)/python -c "import agents" 2>/dev/null || $(BIN)/python -m pip install --quiet openai-agents
	$(BIN)/python -m bench --quick

clean:
	rm -rf $(VENV) $(D1_LOCAL)/node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
