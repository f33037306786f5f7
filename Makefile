# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(TSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(STAMP)

# Builds the seeds index once (incremental: a re-run is a no-op), then opens the REPL.
# With stdin not a terminal, the REPL reads one query per line and prints plain results.
# The demo has its own index inside the checkout (git-ignored): the user's default index
# ($BAHTH_INDEX, ~/.local/share/bahth/index) is never read or written.
DEMO_INDEX := .demo-index
demo: $(STAMP)
	@$(BIN)/bahth index seeds -q --index $(DEMO_INDEX)
	@$(BIN)/bahth repl --index $(DEMO_INDEX)

test: $(TSTAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .demo-index
