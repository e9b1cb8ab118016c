# Mockroom: `make dev` runs the app, `make test` runs the whole suite. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: dev test install migrate content demo serve worker beat lint bench check-deploy clean \
	frontend frontend-e2e frontend-test api-types

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The browser app (frontend/): installed from the lock file, built into frontend/dist, which
# Django serves from / (config/spa.py).
NPM ?= npm
frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	touch $@

frontend: frontend/node_modules/.installed
	cd frontend && $(NPM) run build

# The same app with the hooks the end-to-end tests read (window.__mockroomBoard), built into
# frontend/dist-e2e, which only tests/e2e serves. `make frontend` fails if its build has them.
frontend-e2e: frontend/node_modules/.installed
	cd frontend && $(NPM) run build:e2e

frontend-test: frontend/node_modules/.installed
	cd frontend && $(NPM) test -- --run

# Regenerate the API client's types after changing the API (needs the Python environment).
api-types: install frontend/node_modules/.installed
	cd frontend && $(NPM) run gen:api

migrate: install
	$(PY) manage.py migrate --noinput

content: migrate
	$(PY) manage.py load_content

demo: content
	$(PY) manage.py create_demo_users

dev: export DJANGO_DEBUG ?= 1
dev: demo frontend
	@echo "Mockroom on http://$(HOST):$(PORT)/  (API docs: http://$(HOST):$(PORT)/api/docs/)"
	$(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --no-proxy-headers

# Against PostgreSQL + Redis: a Celery worker building reports and matching practice partners.
worker: install
	$(VENV)/bin/celery -A config worker --loglevel INFO --concurrency 2

# Against Redis, exactly one: queues peer practice's minute job (slots, expiry, reminders).
beat: install
	$(VENV)/bin/celery -A config beat --loglevel INFO --schedule .celerybeat-schedule

# Unit tests of the front end, then pytest (whose e2e tests drive Chromium on the e2e build).
test: install frontend frontend-e2e frontend-test
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: install
	$(PY) -m bench

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache frontend/node_modules frontend/dist frontend/dist-e2e
