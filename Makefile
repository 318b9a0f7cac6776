# trygghetsbot — two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-future check lint types locales locales-missing compile bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

compile: $(STAMP)
	$(BIN)/python -m bot.catalogs compile

## Start the bot: Telegram when BOT_TOKEN is set, otherwise a local terminal chat.
run: compile
	$(BIN)/python -m bot

## Everything CI checks: lint, types, catalogs, tests.
test: check compile
	PTB_TIMEDELTA=true $(BIN)/python -m pytest -q

## The same tests with the system clock 400 days ahead: no test may depend on today's date.
## Needs faketime (Debian package `faketime`; .ci/run installs it).
test-future: compile
	PTB_TIMEDELTA=true faketime -f +400d $(BIN)/python -m pytest -q -p no:cacheprovider

check: lint types
	$(BIN)/python -m bot.catalogs check

lint: $(STAMP)
	$(BIN)/ruff check bot handlers storage devkit tests benchmarks
	$(BIN)/ruff format --check --quiet bot handlers storage devkit tests benchmarks

types: $(STAMP)
	$(BIN)/mypy

## Extract strings and update the catalogs (then translate the new English entries).
locales: $(STAMP)
	$(BIN)/python -m bot.catalogs update

locales-missing: $(STAMP)
	$(BIN)/python -m bot.catalogs missing

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
