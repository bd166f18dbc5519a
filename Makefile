# The two commands of the README: `make run` and `make test`.  Both install what they need,
# and running them again does nothing more than needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 5000
DEMO_DB ?= var/demo.sqlite

.PHONY: run test install install-test system-deps demo lint fmt bench messages screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The app alone for `make run`; the test tools (pytest, playwright, ruff, mypy) for the rest.
$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

# Debian packages the test suite uses as independent checkers (pandoc reads our DOCX).
system-deps:
	@./scripts/system-deps.sh

demo: install
	$(BIN)/drafter --db $(DEMO_DB) demo --force

run: demo
	$(BIN)/drafter --db $(DEMO_DB) serve --host $(HOST) --port $(PORT)

# axe-core, the accessibility checker the browser tests run (npm, installed locally: no CDN).
AXE_VERSION := 4.14.1
AXE := var/node/node_modules/axe-core/axe.min.js
$(AXE): | system-deps
	npm install --prefix var/node --no-audit --no-fund --silent axe-core@$(AXE_VERSION)

test: install-test system-deps $(AXE)
	$(BIN)/python -m pytest

# Refresh the README's pictures in docs/screenshots/ (the tests write to var/screenshots/).
screenshots: install-test system-deps
	DRAFTER_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/test_browser.py tests/test_exports.py::test_demo_consolidated_picture tests/test_exports.py::test_the_demo_summary_prints_on_few_pages tests/test_letters.py

lint: install-test
	$(BIN)/ruff check drafter tests bench scripts
	$(BIN)/ruff format --check drafter tests bench scripts
	$(BIN)/mypy drafter

fmt: install-test
	$(BIN)/ruff format drafter tests bench scripts
	$(BIN)/ruff check --fix drafter tests bench scripts

bench: install-test
	$(BIN)/python bench/import_bench.py

# After changing texts in templates or code: refresh the catalogue, then translate the new
# entries in drafter/translations/vi/LC_MESSAGES/messages.po (a test fails until you do).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -o drafter/translations/messages.pot --no-location --omit-header -k _ -k gettext -k N_ .
	$(BIN)/pybabel update -i drafter/translations/messages.pot -d drafter/translations -l vi --no-fuzzy-matching

clean:
	rm -rf $(VENV) var *.egg-info .pytest_cache .hypothesis
