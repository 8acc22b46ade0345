# The two commands of the quick start. Both create .venv and install what is missing; a second run only
# re-installs when pyproject.toml changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/kommunalcampus serve --demo

# The federation test's Node toolchain (Apollo Gateway, composition): reinstalled when its lock file changes.
FEDERATION := tests/federation
NODE_STAMP := $(FEDERATION)/node_modules/.package-lock.json

$(NODE_STAMP): $(FEDERATION)/package-lock.json
	npm ci --no-audit --no-fund --prefix $(FEDERATION)
	@touch $@

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check .

# Benchmarks (figures in BENCHMARKS.md): the benchmark-only extra (scipy for the MILP baseline) on top of dev.
BENCH_STAMP := $(VENV)/.bench-installed

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	@touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.bench_search
	$(BIN)/python -m benchmarks.bench_api
	$(BIN)/python -m benchmarks.bench_ingest
	$(BIN)/python -m benchmarks.bench_match
	$(BIN)/python -m benchmarks.bench_kernel --output benchmarks/RESULTS_kernel.md

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) .kc-data .pytest_cache tests/federation/node_modules
