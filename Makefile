# Casework: the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app casework
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: help setup migrate demo run web scheduler test test-pg test-slow test-browser browser-deps bench bench-deps fuzz lint vendor clean

help:
	@echo "make run           set up, migrate, load demo data, start web app + scheduler"
	@echo "make test          set up and run the test suite (SQLite by default)"
	@echo "make test-pg       the same suite against PostgreSQL (CASEWORK_TEST_DATABASE_URL)"
	@echo "make test-browser  browser journeys in Chromium with axe-core"
	@echo "make test-slow     multi-process reliability tests (durability, lost updates, restarts)"
	@echo "make fuzz          the hypothesis abuse tests with thousands of examples per endpoint"
	@echo "make bench         performance benchmarks on the national-10y profile (prints figures; not tests)"
	@echo "make lint          ruff, mypy and import-linter"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

migrate: setup
	@$(FLASK) db upgrade

demo: migrate
	@$(FLASK) demo load --profile small --seed 1 --if-empty

run: demo
	@bash scripts/run.sh

web: setup
	@$(FLASK) run --port $${PORT:-5000}

scheduler: setup
	@$(FLASK) alerts scheduler

# Two pytest-xdist workers by default (CASEWORK_TEST_WORKERS=0 runs in one process).
WORKERS := -n $${CASEWORK_TEST_WORKERS:-2}

test: setup
	@$(PY) -m pytest -q $(WORKERS) -m "not browser and not slow" tests/unit tests/integration

test-pg: setup
	@CASEWORK_TEST_DATABASE_URL=$${CASEWORK_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} \
		$(PY) -m pytest -q $(WORKERS) -m "not browser and not slow" tests/unit tests/integration

# Multi-process tests; CASEWORK_TEST_DATABASE_URL picks PostgreSQL as for test-pg.
test-slow: setup
	@$(PY) -m pytest -q -m "slow and not browser" tests/unit tests/integration

fuzz: setup
	@CASEWORK_FUZZ_EXAMPLES=$${CASEWORK_FUZZ_EXAMPLES:-3000} \
		$(PY) -m pytest -q -m fuzz tests/unit tests/integration

# Debian's Chromium (never `playwright install`, which downloads browsers); sudo when not root.
browser-deps:
	@test -x /usr/bin/chromium || { SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

test-browser: setup browser-deps
	@$(PY) -m pytest -q -m browser --durations=5 tests/browser

# wrk (Debian) drives the HTTP benchmarks; Flask-Admin is the benchmark-only peer.
bench-deps: setup
	@command -v wrk >/dev/null || { SUDO=$$(test "$$(id -u)" -eq 0 || echo sudo); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }
	@$(PY) -c "import flask_admin" 2>/dev/null || \
		$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test,bench]"

# BENCH_ARGS passes options through, e.g. make bench BENCH_ARGS="--quick --db sqlite".
bench: bench-deps
	@mkdir -p bench-results
	@$(PY) -m tests.perf $(BENCH_ARGS)

lint: setup
	@$(VENV)/bin/ruff check casework tests migrations
	@$(VENV)/bin/mypy
	@$(VENV)/bin/lint-imports
	@$(VENV)/bin/bandit -q -r casework -ll

vendor:
	@bash scripts/vendor-frontend.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
