# Two commands do all set-up on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app cop
HOST ?= 127.0.0.1
PORT ?= 5000
# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

.PHONY: bench run reset test install install-dev translations db content lint format extract-messages update-messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

# The Nu HTML Checker (vnu.jar, run with Java) for tests/test_html_validity.py; optional locally.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the HTML validity test will be skipped"; fi

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations node_modules/.package-lock.json

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d cop/translations

db: install
	$(FLASK) db upgrade

content: db
	@if $(FLASK) --help 2>/dev/null | grep -q '^  guide'; then $(FLASK) guide import; fi
	$(FLASK) places import

run: content
	@echo
	@echo "Wijkengids runs on http://$(HOST):$(PORT)"
	@echo "A new install has no accounts. Create the first administrator in another terminal with:"
	@echo "  $(FLASK) user create you@example.nl --name 'Your Name' --role admin"
	@echo
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: install
	$(BIN)/python tools/bench.py $(BENCH_ARGS)

extract-messages: install
	$(BIN)/pybabel extract --ignore-dirs ".* __pycache__ node_modules instance" --no-location --sort-output -F babel.cfg -k _l -k lazy_gettext -o messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -i messages.pot -d cop/translations

# Start over: the database, the secret key and the development mail go; the next `make run` makes them anew.
reset:
	rm -rf instance

clean:
	rm -rf $(VENV) node_modules .pytest_cache .ruff_cache messages.pot
