# Crosswalk — the two commands of the README, plus the ones developers use.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_PASSWORD ?= crosswalk-demo
DEMO_TOTP_SECRET ?= JBSWY3DPEHPK3PXP
export DEMO_PASSWORD DEMO_TOTP_SECRET

.PHONY: run test bench lint format translations messages venv deps dev-deps backup restore

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

venv: $(PY)

$(VENV)/.deps: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

translations: $(VENV)/.deps
	$(VENV)/bin/pybabel compile --domain=django --directory=locale --statistics 2>&1 | tail -n 2

# Re-extract message catalogues (needs GNU gettext; developers only).
messages: $(VENV)/.deps
	$(PY) manage.py makemessages --locale fr --ignore ".venv/*" --ignore "bench/*" --ignore "tests/*" --no-obsolete
	$(PY) manage.py makemessages --locale fr --domain djangojs --ignore ".venv/*" --ignore "staticfiles/*"

run: $(VENV)/.deps translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Crosswalk on http://127.0.0.1:$(PORT)"
	@echo "  Demo accounts (resident@, startup@, utility@, realestate@, official@, moderator@, admin@ example.org)"
	@echo "  password: $(DEMO_PASSWORD)"
	@echo "  two-factor secret of official@, moderator@ and admin@ (any authenticator app): $(DEMO_TOTP_SECRET)"
	@echo ""
	@if [ -n "$$REDIS_URL" ]; then \
		trap 'kill 0' EXIT INT TERM; \
		$(VENV)/bin/celery -A config worker --loglevel INFO -Q celery,scoring,notifications --concurrency 2 & \
		$(VENV)/bin/celery -A config beat --loglevel INFO --schedule $(VENV)/celerybeat-schedule & \
		$(PY) manage.py runserver 127.0.0.1:$(PORT); \
	else \
		$(PY) manage.py runserver 127.0.0.1:$(PORT); \
	fi

test: $(VENV)/.dev-deps translations
	FAST_PASSWORD_HASHER=1 $(PY) -m pytest -n $${PYTEST_WORKERS:-2} --dist loadgroup $(PYTEST_ARGS)

bench: $(VENV)/.dev-deps
	$(PY) bench/run_all.py

# The database (pg_dump, custom format) and MEDIA_ROOT into BACKUP_DIR/<timestamp>/.
backup: $(VENV)/.deps
	$(PY) manage.py backup_site --dir "$${BACKUP_DIR:-backups}"

# make restore BACKUP=backups/<timestamp>  (stop the web and the workers first)
restore: $(VENV)/.deps
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<timestamp>"; exit 2; }
	$(PY) manage.py restore_site "$(BACKUP)"

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev-deps
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
