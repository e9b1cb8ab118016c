# Mockroom: `make dev` runs the app, `make test` runs the whole suite. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: dev test install migrate content demo serve worker lint bench check-deploy clean \
	frontend frontend-test api-types

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
	$(VENV)/bin/uvicorn config.asgi:application --host $(HOST) --port $(PORT)

# Against PostgreSQL + Redis: a Celery worker building reports.
worker: install
	$(VENV)/bin/celery -A config worker --loglevel INFO --concurrency 2

# Unit tests of the front end, then pytest (whose e2e tests drive Chromium on the built app).
test: install frontend frontend-test
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .

bench: install
	$(PY) -m bench

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')} \
	$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache frontend/node_modules frontend/dist
