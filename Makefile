# Two commands, both idempotent on a fresh clone:  `make run`  and  `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: run test index lint browser clean-index

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Stamps: reinstall only when pyproject.toml changes.
# Not quiet: the first install downloads torch and friends for several minutes; pip names each package and shows
# its download progress as it goes.
$(VENV)/.installed-run: pyproject.toml | $(PY)
	@echo "==> installing the assistant and its dependencies into $(VENV) (first time: several minutes) ..."
	$(PY) -m pip install --progress-bar on -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	@echo "==> installing the assistant with its test tools into $(VENV) (first time: several minutes) ..."
	$(PY) -m pip install --progress-bar on -e '.[test]'
	touch $@ $(VENV)/.installed-run

## make run: install, build or refresh the index, serve the assistant at http://127.0.0.1:7860
run: $(VENV)/.installed-run
	$(PY) -m assistant index
	$(PY) app.py

## make test: install with test extras, lint, run the whole suite (browser tests included)
test: $(VENV)/.installed-test browser
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

index: $(VENV)/.installed-run
	$(PY) -m assistant index

# The browser tests drive Debian's chromium; install it when missing (root on CI and dev machines here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo -n apt-get update -qq && sudo -n DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; \
	} || echo "warning: chromium could not be installed; browser tests will be skipped (they fail when CI=true)"

clean-index:
	rm -rf .data/index*
