# Two commands do all the set-up on a fresh machine:
#   make run    clean the real example (../shared/fixtures/doubled_article.txt)
#   make test   run the test suite
PYTHON ?= python3
VENV ?= .venv
FIXTURE ?= ../shared/fixtures/doubled_article.txt
BIN := $(VENV)/bin

.PHONY: run test lint bench docs clean-venv

# `make run` needs only the package itself; the tests need the test extras (Spark, pyarrow, ...).
$(BIN)/.installed-core: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(BIN)/.installed: $(BIN)/.installed-core
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/.installed-core
	mkdir -p out
	$(BIN)/textdedup clean $(FIXTURE) --report out/report.json

test: $(BIN)/.installed
	$(BIN)/python -m pytest -q

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

$(BIN)/.installed-docs: $(BIN)/.installed-core
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

# The docs site into site/, warnings as errors (strict: true in mkdocs.yml).
docs: $(BIN)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: $(BIN)/.installed-dev
	$(BIN)/python benchmarks/run.py

clean-venv:
	rm -rf $(VENV)
