# The two set-up commands of README.md: `make demo` and `make test`.
# Both create ./.venv on first use and install the package with its dependencies into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-output
DEMO_CUSTOMERS ?= 2000

.PHONY: demo test lint bench docs clean browser lock

# constraints.txt pins every package to the version the tests pass with (`make lock` refreshes it).
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Resolve the newest versions pyproject.toml allows in a scratch environment and pin them.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	{ head -n 2 constraints.txt; .lock-venv/bin/python -m pip freeze --exclude-editable; } \
		> constraints.new && mv constraints.new constraints.txt
	rm -rf .lock-venv

demo: $(STAMP)
	$(BIN)/kundenwert demo --out $(DEMO_DIR) --customers $(DEMO_CUSTOMERS)
	@[ -n "$(NO_SERVE)" ] || $(BIN)/kundenwert serve --db $(DEMO_DIR)/kundenwert.duckdb --demo-user

# The browser tests drive Debian's chromium; it is installed here when missing (as root).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } || \
		echo "no chromium: the browser tests will be skipped"

# The lint checks run first: a type error or an unformatted file fails the build like a test.
test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m mypy src/kundenwert
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/python -m mypy src/kundenwert

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

docs: $(STAMP)
	$(BIN)/python -m kundenwert.docs

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .ruff_cache
