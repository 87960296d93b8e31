# Two commands: `make run` (validate the catalog, import Sentry as drafts) and `make test`.
# `make fuzz` is the long fuzz run (FUZZ_EXAMPLES inputs over every entry point; see tests/fuzzkit.py).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test fuzz mutate lint format docs bench clean
FUZZ_EXAMPLES ?= 100000

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,hub,mcp]'
	touch $(STAMP)

# The demo's draft store lives in the project (build/, ignored by git) and starts empty, so
# the first import creates the drafts and the second reports `unchanged`; the user's own store
# (~/.local/share/hubtool) is never touched.
DEMO_STORE := build/demo/store.sqlite3

run: $(STAMP)
	$(BIN)/hubtool validate
	rm -f $(DEMO_STORE) $(DEMO_STORE)-journal $(DEMO_STORE)-wal $(DEMO_STORE)-shm
	mkdir -p $(dir $(DEMO_STORE))
	HUBTOOL_STORE=$(DEMO_STORE) $(BIN)/hubtool import sentry
	HUBTOOL_STORE=$(DEMO_STORE) $(BIN)/hubtool import sentry
	HUBTOOL_STORE=$(DEMO_STORE) $(BIN)/hubtool drafts list
	$(BIN)/hubtool hub build --db build/demo/hub.db

test: $(STAMP)
	@# tests/hub/test_browser.py checks the Hub page in Debian's chromium (skipped without it)
	command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || \
		(apt-get update -qq && apt-get install -y -qq chromium) || true
	$(BIN)/ruff check hubtool tests bench tools action
	$(BIN)/ruff format --check hubtool tests bench tools action
	$(BIN)/python -m pytest

fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_REPORT=.hypothesis/fuzz-report.json \
		$(BIN)/python -m pytest -p no:cacheprovider tests/fuzz tests/security/test_faults.py

lint: $(STAMP)
	$(BIN)/ruff check hubtool tests bench tools action

format: $(STAMP)
	$(BIN)/ruff format hubtool tests bench tools action
	$(BIN)/ruff check --fix hubtool tests bench tools action

docs: $(STAMP)
	$(BIN)/hubtool rules --format markdown > docs/RULES.md
	$(BIN)/hubtool kinds --format markdown > docs/CHANGES.md

bench: $(STAMP)
	$(BIN)/python bench/bench_validate.py
	$(BIN)/python bench/bench_diff.py
	$(BIN)/python bench/bench_upstream.py
	$(BIN)/python bench/bench_catalog.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache

# Mutation testing (mutmut 3, one worker, one module at a time, under nice): kill rate per module.
# MODULES="hubtool/diff/gate.py" narrows it; docs/MUTATION.md lists the equivalent survivors.
mutate: $(STAMP)
	$(BIN)/python tools/mutate.py --fresh $(MODULES)
