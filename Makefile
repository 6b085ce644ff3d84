# Two commands: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup db translations extract-messages browser lint bench clean

run: setup db
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL: $$TEST_DATABASE_URL"; \
		SINERGI_TEST_BACKEND=postgresql $(BIN)/python -m pytest $(PYTEST_ARGS); \
	fi

setup: $(VENV)/.installed translations

$(VENV)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $@

# Compiled catalogues are build output: made from the .po files on every setup.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d app/translations

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 -o app/translations/messages.pot --no-location --omit-header --sort-output .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --omit-header

# Migrate, then load the demo only when the database is empty: re-running keeps your data.
db: setup
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty

# Debian's Chromium for the browser tests; Playwright never downloads a browser of its own.
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Live-update latency with 200 polling clients against gunicorn (docs/live-updates.md); not a test.
bench: setup
	$(BIN)/python bench/live_updates.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache
