# Two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# There is no secret key in the repository. The demo says it is one (SERVICEHALL_DEMO=1) and the settings
# then generate a key once and keep it in var/secret_key; the other targets run as the demo only when
# neither DJANGO_SECRET_KEY nor DATABASE_URL is set (a fresh clone), never on a configured server.
DEMO_ENV := $(if $(DJANGO_SECRET_KEY)$(DATABASE_URL),,SERVICEHALL_DEMO=1)

.PHONY: demo test setup venv assets system-deps pg-server lint migrations-check pytest run worker

# The virtualenv and node_modules are rebuilt only when their requirement files change, so a second
# `make demo` starts in seconds.
$(BIN)/python:
	@$(PY) -c "import ensurepip" 2>/dev/null || { \
	  echo "Python's venv module is missing: installing python3-venv"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# Front-end libraries (htmx, Tabler, ECharts) from npm, collected as static files, never committed.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

setup: venv assets
	mkdir -p var
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v0

# Runs the product with its demo data on SQLite: migrate, seed, then the ASGI server and the worker.
demo: setup
	SERVICEHALL_DEMO=1 $(BIN)/python manage.py migrate --noinput -v0
	SERVICEHALL_DEMO=1 $(BIN)/python manage.py seed_demo
	SERVICEHALL_DEMO=1 $(BIN)/python manage.py run_demo --host $(HOST) --port $(PORT)

# The server and the worker on their own (after `make demo` once, or on any DATABASE_URL).
run: setup
	$(DEMO_ENV) $(BIN)/python -m uvicorn servicehall.asgi:application --host $(HOST) --port $(PORT)

worker: venv
	$(DEMO_ENV) $(BIN)/python manage.py run_worker

# Debian packages the tests need (browser, CJK fonts, PostgreSQL 15), installed only when missing.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	[ -x /usr/bin/espeak-ng ] || missing="$$missing espeak-ng"; \
	ldconfig -p | grep -q "libGL.so.1 " || missing="$$missing libgl1 libglib2.0-0"; \
	ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$$missing postgresql-15"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

lint:
	$(BIN)/ruff check servicehall

migrations-check:
	DJANGO_SETTINGS_MODULE=servicehall.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

pytest:
	scripts/with_postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

# PostgreSQL server binaries only (scripts/with_postgres.sh needs them).
pg-server:
	@ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || { \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null; }

test: system-deps setup lint migrations-check pytest
