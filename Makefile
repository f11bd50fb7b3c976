# Two commands matter: `make run` (the product with its demo) and `make test`.
SHELL := /bin/bash
PYTHON := $(shell scripts/find-python)
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export DJANGO_SETTINGS_MODULE := tillsammans.settings
# Local runs and tests use the built-in development key; production sets SECRET_KEY.
export ALLOW_DEV_SECRET := true

.PHONY: run test test-postgres test-concurrency test-served test-e2e lint format messages check-messages bench clean

$(UV):
	"$(PYTHON)" -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python "$(PYTHON)"
	touch $@

run: $(VENV)/.synced
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo --if-empty
	@echo
	@echo "  Demo: two-factor login is switched off for coordinators in this demo (MFA_REQUIRED_FOR_COORDINATORS=false)."
	@echo "  Open http://127.0.0.1:8000 and log in with one of the accounts above."
	@echo "  A background worker and the scheduler run beside the server and stop with it."
	@echo
	trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	DEBUG=true $(PY) manage.py worker --no-reload --queue-name '*' & \
	DEBUG=true $(PY) manage.py scheduler & \
	DEBUG=true MFA_REQUIRED_FOR_COORDINATORS=false $(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.synced
	$(PY) -m pytest -q -n auto --durations=30

test-postgres: $(VENV)/.synced
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest -q -n auto --durations=30 \
	  -m 'not e2e and not concurrency and not postgresql and not served and not portable'

test-concurrency: $(VENV)/.synced
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest -q -m "concurrency or postgresql"

test-served: $(VENV)/.synced
	$(PY) -m pytest -q -m served -p no:randomly

test-e2e: $(VENV)/.synced
	$(PY) -m pytest -q -n auto -m e2e

lint: $(VENV)/.synced
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy

format: $(VENV)/.synced
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(VENV)/.synced
	$(PY) manage.py makemessages -l sv -l uk -l ar --no-obsolete --no-location --ignore=.venv --ignore=.tools --ignore=benchmarks --ignore=var --ignore=tests --ignore=docs
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools

check-messages: $(VENV)/.synced
	scripts/check-messages

bench: $(VENV)/.synced
	$(PY) benchmarks/reception.py

clean:
	rm -rf .tools $(VENV) var
