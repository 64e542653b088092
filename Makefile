# The two commands of the README's quick start:
#   make lab    set everything up, then open the lessons in JupyterLab
#   make test   set everything up, then run the whole test suite
# Everything is installed into .venv/ in this folder; nothing outside it is changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.framelab-installed
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
PYTEST_ARGS ?=
# axe-core for the browser tests (tests/browser.py), from npm, pinned by its lock file;
# installed when npm is on PATH (.ci/run installs Debian's npm), else those checks skip.
NPM := $(shell command -v npm 2>/dev/null)
AXE_STAMP := tests/browser/node_modules/.framelab-installed

.PHONY: lab test setup clean

# PATH: so that `framelab` works in the Lab's own terminals (File > New > Terminal)
lab: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/lessons $(ROOT_FLAG) $(LAB_ARGS)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# the students' kit (framelab student-kit) has no tests/, so nothing of axe-core to install
AXE_LOCK := $(wildcard tests/browser/package-lock.json)

setup: $(STAMP) $(if $(and $(NPM),$(AXE_LOCK)),$(AXE_STAMP))
ifeq ($(NPM),)
	@echo "npm not found: axe-core is not installed, and the browser tests' accessibility checks will skip."
endif

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "framelab needs Python 3.10 or newer; $(PYTHON) is older." >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
		{ rm -rf $(VENV); echo "Could not make a virtual environment. On Debian or Ubuntu: sudo apt install python3-venv" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

$(AXE_STAMP): tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund
	@touch $(AXE_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache tests/browser/node_modules
