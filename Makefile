# Two commands a newcomer needs (see README):
#   make run   — install into .venv, build the demo site on SQLite, serve http://127.0.0.1:8000/
#   make test  — install dev tools into .venv, lint, check migrations, run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

# Links in staff e-mails point at the server this starts, unless set otherwise.
WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_initial_data --host $(HOST) --port $(PORT)
	WAGTAILADMIN_BASE_URL=$(WAGTAILADMIN_BASE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install-dev
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

test: lint check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
