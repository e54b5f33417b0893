# frontierwatch — two commands set up everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FW := $(VENV)/bin/frontierwatch
DEMO_STORE ?= fw-demo
STAMP := $(VENV)/.installed

.PHONY: venv system-deps demo test bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the product needs (PDF rendering, CJK fonts, a browser for page tests); installed only when missing.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-zenhei poppler-utils chromium
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

demo: venv system-deps
	$(FW) ingest data/demo --store $(DEMO_STORE)
	$(FW) status --store $(DEMO_STORE)

test: venv system-deps
	@$(PY) -m pytest; rc=$$?; \
	if [ $$rc = 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; exit $$rc

bench: venv
	$(PY) bench/ingest.py

clean:
	rm -rf $(VENV) $(DEMO_STORE) .pytest_cache
