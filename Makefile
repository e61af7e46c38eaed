# Two commands: `make run` serves the demo, `make test` runs every check. Only Python 3.11+ and make needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DJANGO_SETTINGS_MODULE=community.settings.dev

.PHONY: run test install install-dev lint migrate seed demo-logins screenshots clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	@echo "Preparing the database (a minute on the first run)..."
	@$(DEV) $(PY) manage.py migrate --noinput -v 0
	@$(DEV) $(PY) manage.py seed_demo
	@$(DEV) $(PY) manage.py demo_logins
	@# Daphne's runserver for development: it reloads on code changes and serves static files from the app
	@# folders (dev settings have no WhiteNoise). Production serves with Uvicorn, chosen by the chat bench
	@# (docs/PERFORMANCE.md, "Chat"; deploy/README.md).
	@$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

demo-logins: install
	@$(DEV) $(PY) manage.py demo_logins

lint: install-dev
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=community.settings.test $(PY) manage.py makemigrations --check --dry-run

# The browser half needs Debian's Chromium (`apt-get install chromium`); without it those tests are skipped
# with that hint (REQUIRE_BROWSER=1 makes them fail instead, as in CI).
test: lint
	$(PY) -m pytest -m "not browser"
	$(PY) -m pytest -m browser -p no:asyncio

# Browser runs write screenshots to test-artifacts/ (ignored); this refreshes the README's copies on request.
screenshots: install-dev
	$(PY) -m pytest -m browser -p no:asyncio -q
	mkdir -p docs/screenshots
	cp test-artifacts/screenshots/*.png docs/screenshots/

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
