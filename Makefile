# Two commands: `make run` and `make test`. Everything else is what they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup db translations extract-messages browser lint bench bench-live audit clean

run: setup db
	$(FLASK) run --host $(HOST) --port $(PORT)

# The browser tests always run: `browser` has just made sure Chromium is there, so a skipped
# browser test would only hide a failure (SINERGI_REQUIRE_BROWSER, see tests/conftest.py).
# One test: make test PYTEST_ARGS="tests/browser -k invitation". See docs/testing.md.
# Two pytest-xdist workers (the machines have 2 cores); each has its own database copy.
TEST_WORKERS ?= 2
test: setup browser
	SINERGI_REQUIRE_BROWSER=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL: $$TEST_DATABASE_URL"; \
		SINERGI_REQUIRE_BROWSER=1 SINERGI_TEST_BACKEND=postgresql $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); \
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

# English msgids from app/ and templates/ into messages.pot, then merged into every catalogue.
# The pot carries no header, line numbers or creation date, so its diff shows only real changes;
# the .po files keep their own headers (Language, Plural-Forms), and strings that disappear stay
# there as obsolete `#~` entries until someone deletes them. gettext/_/ngettext are default keywords.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --add-comments=TRANSLATORS: \
		-o app/translations/messages.pot --no-location --omit-header --sort-output .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-pot-creation-date

# Migrate, then load the demo only when the database is empty: re-running keeps your data.
db: setup
	$(FLASK) db upgrade
	$(FLASK) demo --if-empty

# Debian's Chromium for the browser tests; Playwright never downloads a browser of its own.
# The tests launch /usr/bin/chromium by that path, so that is what is checked.
browser:
	@test -x /usr/bin/chromium || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Live-update latency with 200 polling clients against gunicorn (docs/live-updates.md); not a test.
bench-live: setup
	$(BIN)/python bench/live_updates.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache

# Benchmarks (not tests): issue 7's measurements in one run (bench/README.md), report under
# bench/results/. Fast mode: make bench BENCH_ARGS=--quick. PostgreSQL (127.0.0.1:5432) and Redis
# (127.0.0.1:6379) are used when reachable.
bench: setup
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Static checks that need no database: the dependency audit (below) for now.
lint: audit

# Known vulnerabilities in the pinned dependencies (needs the PyPI JSON API or OSV to be reachable).
audit: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-audit.txt
	$(BIN)/python tools/audit.py
