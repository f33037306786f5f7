# The two commands a new user runs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test

.PHONY: demo test clean opensearch opensearch-stop opensearch-plugin

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

test: $(TSTAMP) opensearch-plugin
	$(BIN)/python -m pytest -q

# --- OpenSearch (opensearch/): the analysis plugin and a local 3-node cluster --------------------
# The plugin's rule tables and its JUnit cases are generated from the Python analysis tables;
# Maven builds the plugin zip and runs the JUnit tests. Skipped with a message without a JDK.
OS_PLUGIN  := opensearch/plugin
OS_ZIP     := $(OS_PLUGIN)/target/bahth-analysis-0.1.0.zip
OS_TABLES  := $(OS_PLUGIN)/target/generated-resources/bahth-tables.json
OS_CASES   := $(OS_PLUGIN)/target/generated-test-resources/bahth-cases.json
OS_INPUTS  := $(wildcard index/analysis/*.py index/analysis/*.txt opensearch/fixtures/* seeds/*) opensearch/parity_cases.py

$(OS_TABLES) $(OS_CASES) &: $(OS_INPUTS) | $(STAMP)
	$(BIN)/python -m bahth.index.analysis.export --plugin-tables $(OS_TABLES)
	$(BIN)/python opensearch/parity_cases.py --out $(OS_CASES)

$(OS_ZIP): $(OS_TABLES) $(OS_CASES) $(OS_PLUGIN)/pom.xml $(shell find $(OS_PLUGIN)/src -type f 2>/dev/null)
	@if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then \
		echo "opensearch-plugin: SKIPPED: needs a JDK 17 and Maven (apt-get install openjdk-17-jdk-headless maven)"; \
	else \
		rm -rf $(OS_PLUGIN)/target/surefire-reports; \
		mkdir -p $(OS_PLUGIN)/target; \
		mvn -B -ntp -f $(OS_PLUGIN)/pom.xml package > $(OS_PLUGIN)/target/build.log 2>&1 \
			|| { tail -60 $(OS_PLUGIN)/target/build.log; exit 1; }; \
		cat $(OS_PLUGIN)/target/surefire-reports/*.txt | grep "Tests run" | sed 's/^/JUnit: /'; \
	fi

opensearch-plugin: $(OS_ZIP)

# Starts the local cluster (3 nodes on 127.0.0.1, data under .opensearch/); the URL is the last line.
opensearch: $(OS_ZIP)
	@$(PYTHON) opensearch/cluster.py start

opensearch-stop:
	@$(PYTHON) opensearch/cluster.py stop

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis $(OS_PLUGIN)/target .demo-index
