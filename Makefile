# The newcomer's path: `make verify` and `make test` each set up .venv by themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: verify test test-slow test-all bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

verify: $(STAMP)
	$(BIN)/verify all

# The fast suite (property-based and mutation tests included, in their small variants), then the library.
test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"
	$(BIN)/verify all --no-cache

# The slow variants: the full mutation sweep, larger property runs, interrupt and timeout tests. CI runs them.
test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow

test-all: test test-slow

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .verify_cache .pytest_cache
