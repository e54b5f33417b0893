# frontierwatch — two commands set up everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FW := $(VENV)/bin/frontierwatch
DEMO_STORE ?= fw-demo
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: venv system-deps demo test bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,spark]'
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the product needs (PDF rendering, CJK fonts, a browser for page tests, Java 17 for the spark
# engine's tests); installed only when missing.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-zenhei poppler-utils chromium \
	openjdk-17-jre-headless
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

# The main job on the bundled demo corpus: ingest; topic map, signals, forecast and directions as of the end of 2019;
# a backtest on the same corpus (the skill every forecast is published with); two catalog editions (zh + en, every
# format, with what changed); then serve the web app.
DEMO_OUT := $(DEMO_STORE)/editions
DEMO_AS_OF := 2019-12-31
demo: venv system-deps
	$(FW) ingest data/demo --store $(DEMO_STORE)
	$(FW) status --store $(DEMO_STORE)
	$(FW) build --as-of $(DEMO_AS_OF) --store $(DEMO_STORE)
	$(FW) topics --as-of $(DEMO_AS_OF) --top 15 --sort forecast --store $(DEMO_STORE)
	$(FW) backtest --cutoffs 2015,2016 --horizon 3 --json $(DEMO_OUT)/backtest.json --report $(DEMO_OUT)/backtest.html --store $(DEMO_STORE)
	$(FW) catalog --edition 2018H2 --lang en --format json --out $(DEMO_OUT)/catalog-2018H2.en.json --store $(DEMO_STORE)
	for lang in zh en; do for fmt in html pdf xlsx json md; do \
	  $(FW) catalog --edition 2019H2 --lang $$lang --format $$fmt --out $(DEMO_OUT)/catalog-2019H2.$$lang.$$fmt --store $(DEMO_STORE) || exit 1; \
	done; done
	@echo "catalog editions and the backtest report are in $(DEMO_OUT)/"
	$(FW) serve --store $(DEMO_STORE) --host 127.0.0.1 --port $(PORT)

test: venv system-deps
	@$(PY) -m pytest; rc=$$?; \
	if [ $$rc = 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; exit $$rc

bench: venv
	$(PY) bench/ingest.py
	$(PY) bench/topics.py
	$(PY) bench/multilingual.py
	$(PY) bench/match_eval.py --store $(DEMO_STORE)
	$(PY) bench/directions_eval.py
	$(PY) bench/web_load.py

clean:
	rm -rf $(VENV) $(DEMO_STORE) .pytest_cache
