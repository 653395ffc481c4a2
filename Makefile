# Build, serve and test the site. `make help` lists the targets.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
BASE ?= /
PYTEST_ARGS ?=
PYODIDE_PYTEST_ARGS ?=
BENCH_ARGS ?=
MUTATION_ARGS ?=

# Stamps: setup redoes a step only when its input file changes.
VENV_STAMP := $(VENV)/.requirements-installed
NODE_STAMP := node_modules/.package-lock-installed
# Wheels for Python 3.14 run inside Pyodide: build (pyodide-build, pyodide-lock), test (pytest...).
WHEELS := .cache/wheels
WHEEL_STAMPS := $(WHEELS)/build/.downloaded $(WHEELS)/test/.downloaded
TOOLS := $(VENV_STAMP) $(NODE_STAMP) $(WHEEL_STAMPS)
MUTATION_STAMP := $(VENV)/.mutation-requirements-installed

.PHONY: help setup chromium engine build serve test test-pyodide bench mutation clean distclean

help: ## List the targets
	@echo "Usage: make TARGET [PORT=8000] [BASE=/] [PYTEST_ARGS=...]"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-13s %s\n", $$1, $$2}'

setup: $(TOOLS) chromium ## Install the Python venv, node_modules, the Pyodide wheels and Chromium (skips what is current)

$(VENV_STAMP): requirements.txt
	@[[ -x $(BIN)/python ]] || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20 or newer" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

$(WHEELS)/%/.downloaded: requirements-pyodide-%.txt | $(VENV_STAMP)
	rm -rf $(WHEELS)/$*
	$(BIN)/python -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
		--only-binary=:all: --python-version 3.14 --implementation py --platform any \
		-r $< -d $(WHEELS)/$*
	@touch $@

chromium: ## Find (or install) Chromium for the browser tests
	@path="$$(bash scripts/ensure-chromium)"; echo "Chromium: $$path"

engine: $(TOOLS) ## Build the scoring package's wheel for Pyodide and its lockfile; print their folder
	@$(BIN)/python scripts/build_engine.py

build: $(TOOLS) ## Build the site into site/ (mkdocs --strict)
	$(BIN)/mkdocs build --strict

serve: build ## Build, then serve site/ at http://127.0.0.1:8000/ (PORT=, BASE=/gbt27922/)
	$(BIN)/python scripts/serve.py site --host $(HOST) --port $(PORT) --base $(BASE)

# Both suites run, whatever the first gives; either failing fails the target.
# pytest exits 5 when it collects no test: that is reported, not treated as a failure.
test: setup ## Run every test: test-pyodide, then pytest (PYTEST_ARGS passes options)
	@status=0; $(MAKE) test-pyodide || status=$$?; \
	CHROMIUM="$$(bash scripts/ensure-chromium)"; export CHROMIUM; \
	pytest_status=0; $(BIN)/pytest $(PYTEST_ARGS) || pytest_status=$$?; \
	if [[ $$pytest_status -eq 5 ]]; then echo "pytest collected no tests"; pytest_status=0; fi; \
	if [[ $$status -ne 0 ]]; then echo "The tests inside Pyodide failed (make test-pyodide)." >&2; fi; \
	exit $$(( status || pytest_status ))

test-pyodide: $(TOOLS) ## Run tests/test_*.py inside Pyodide under Node, on the site's wheel (PYODIDE_PYTEST_ARGS)
	@engine="$$($(BIN)/python scripts/build_engine.py)"; \
	node scripts/pyodide-python.mjs --lock "$$engine/pyodide-lock-test.json" tests/pyodide/suite.py $(PYODIDE_PYTEST_ARGS)

bench: build ## Time start-up and responsiveness against bare Pyodide; print a table (BENCH_ARGS=...)
	@CHROMIUM="$$(bash scripts/ensure-chromium)"; export CHROMIUM; \
	$(BIN)/python scripts/bench.py --site site $(BENCH_ARGS)

# The mutation tool is installed into the venv on first use only: `make test` does not need it.
$(MUTATION_STAMP): requirements-mutation.txt $(VENV_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-mutation.txt
	@touch $@

mutation: $(MUTATION_STAMP) ## Mutation-test calculator/'s rules; print each module's score and every survivor (MUTATION_ARGS=...)
	$(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

clean: ## Remove the built site and test caches
	rm -rf site .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o \
		-name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean ## Also remove the venv, node_modules and the cached wheels and engine
	rm -rf $(VENV) node_modules .cache
