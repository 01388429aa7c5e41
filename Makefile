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
	@echo "    pip shows each download; its last step, 'Installing collected packages', unpacks torch and friends"
	@echo "    and prints nothing for 1-3 minutes: it is working."
	$(PY) -m pip install --progress-bar on -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	@echo "==> installing the assistant with its test tools into $(VENV) (first time: several minutes) ..."
	@echo "    pip shows each download; its last step, 'Installing collected packages', unpacks torch and friends"
	@echo "    and prints nothing for 1-3 minutes: it is working."
	$(PY) -m pip install --progress-bar on -e '.[test]'
	touch $@ $(VENV)/.installed-run

## make run: install, build or refresh the index, serve the assistant at http://127.0.0.1:7860
## (another port: `make run PORT=8080`, or ASSISTANT_PORT=8080 make run)
run: $(VENV)/.installed-run
	$(PY) -m assistant index
	$(PY) app.py $(if $(PORT),--port $(PORT))

## make test: install with test extras, lint, run the whole suite (browser tests included)
test: $(VENV)/.installed-test browser
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

index: $(VENV)/.installed-run
	$(PY) -m assistant index

# The browser tests drive Debian's chromium, and the proxy tests run real nginx in front of the app; install what
# is missing (root on CI and dev machines here).
browser:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || missing="$$missing nginx"; \
	[ -z "$$missing" ] || { \
	  echo "==> installing$$missing for the browser and nginx tests (apt-get, about a minute) ..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else sudo -n apt-get update -qq && sudo -n DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	} || echo "warning:$$missing could not be installed; those tests will be skipped (they fail when CI=true)"

clean-index:
	rm -rf .data/index*
