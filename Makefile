# Two entry points that work on a fresh machine with python3 and make:
#   make run   set up .venv, build the graph of the bundled samples into output/
#   make test  set up .venv, lint, then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install run test lint format bench bench-nlp clean virtuoso browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/kg build --out output

lint: install
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/ruff format --check kg tests benchmarks

test: lint virtuoso browser
	$(BIN)/pytest

# The triplestore tests/test_push.py starts (on its own ports and database, in a temporary
# folder) to push the graph into: Debian's Virtuoso, installed when missing if we may
# (root with apt-get, as in CI); otherwise those tests skip, saying why.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtuoso-opensource-7; \
	  else \
	    echo "virtuoso-t not found: the kg push tests will skip (apt-get install virtuoso-opensource-7)"; \
	  fi; }

# The browser tests of graph.html (tests/test_view_browser.py) drive Debian's chromium with
# Playwright; Playwright's own browser download is not used. Needs root where it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -q && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else \
	    echo "chromium not found: the browser tests will skip here (apt-get install chromium)"; \
	  fi; }

format: install
	$(BIN)/ruff format kg tests benchmarks
	$(BIN)/ruff check --fix kg tests benchmarks

# make bench BENCH_ARGS="--articles 1000"   (default: 1,000 and 10,000 articles; long)
bench: install
	$(BIN)/python benchmarks/bench_build.py $(BENCH_ARGS)

bench-nlp: install
	$(BIN)/python benchmarks/bench_nlp.py

clean:
	rm -rf $(VENV) output/graph.ttl output/graph.html output/view.html output/graph.oxigraph output/.kg-build output/.kg-cache
