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
BENCH_ARGS ?=
MUTATION_ARGS ?=

# Stamps: setup redoes a step only when its input file changes.
VENV_STAMP := $(VENV)/.requirements-installed
NODE_STAMP := node_modules/.package-lock-installed
MUTATION_STAMP := $(VENV)/.mutation-requirements-installed

.PHONY: help setup chromium build serve test bench mutation clean distclean

help: ## List the targets
	@echo "Usage: make TARGET [PORT=8000] [BASE=/] [PYTEST_ARGS=...]"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

setup: $(VENV_STAMP) $(NODE_STAMP) chromium ## Install the Python venv, node_modules and Chromium (skips what is current)

$(VENV_STAMP): requirements.txt
	@[[ -x $(BIN)/python ]] || { echo "Creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(NODE_STAMP): package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20 or newer" >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

chromium: ## Find (or install) Chromium for the browser tests
	@path="$$(bash scripts/ensure-chromium)"; echo "Chromium: $$path"

build: $(VENV_STAMP) $(NODE_STAMP) ## Build the site into site/ (mkdocs --strict)
	$(BIN)/mkdocs build --strict

serve: build ## Build, then serve site/ at http://127.0.0.1:8000/ (PORT=, BASE=/gbt27922/)
	$(BIN)/python scripts/serve.py site --host $(HOST) --port $(PORT) --base $(BASE)

# pytest exits 5 when it collects no test: that is reported, not treated as a failure.
test: setup ## Run every test (pytest; PYTEST_ARGS passes options)
	@CHROMIUM="$$(bash scripts/ensure-chromium)"; export CHROMIUM; \
	status=0; $(BIN)/pytest $(PYTEST_ARGS) || status=$$?; \
	if [[ $$status -eq 5 ]]; then echo "pytest collected no tests"; status=0; fi; \
	exit $$status

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

distclean: clean ## Also remove the venv and node_modules
	rm -rf $(VENV) node_modules
