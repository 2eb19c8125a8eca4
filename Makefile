# Two commands do all set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# Where the SQLite file and uploads live (settings.py reads the same ITA_VAR_DIR); make creates it,
# since SQLite cannot create the folder of its database file.
VAR_DIR := $(or $(ITA_VAR_DIR),var)
PORT ?= 8000

.PHONY: install run test lint migrations-check pytest bench bench-smoke soak clean

$(STAMP): pyproject.toml
	bash .ci/system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: install
	mkdir -p $(VAR_DIR)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py createcachetable
	DEBUG=1 $(BIN)/python manage.py load_portal_data
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

migrations-check: install
	mkdir -p $(VAR_DIR)
	DJANGO_SETTINGS_MODULE=ita_portal.settings_test $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install
	$(BIN)/pytest

test: lint migrations-check pytest

# Benchmarks (bench/, README "Benchmarks"): separate databases, never var/db.sqlite3.
bench: install
	$(BIN)/python -m bench

bench-smoke: install
	$(BIN)/python -m bench --smoke

soak: install
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) var
