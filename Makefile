# The two commands a newcomer needs: `make run` and `make test`.
# Everything is installed into ./.venv from the project's own files.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run example test bench bench-analytics bench-photos load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: the clinic app on SQLite with the demo clinics, at http://127.0.0.1:8000/
run: $(STAMP)
	$(BIN)/scleropath serve --demo

## example: plan the bundled example assessment and explain every answer
example: $(STAMP)
	$(BIN)/scleropath plan --example --format text

## test: lint, type-check and run the whole test suite
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy --no-incremental
	$(BIN)/pytest -q

## bench: the engine benchmark (docs/performance.md)
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

## bench-analytics: the analytics on a generated chain (1% of full scale unless ARGS says otherwise)
bench-analytics: $(STAMP)
	$(BIN)/python benchmarks/bench_analytics.py --db sqlite:var/bench/scleropath.sqlite3 $(or $(ARGS),--scale 0.01)

## bench-photos: measured clearance against the truth on synthetic photo pairs (docs/photos.md)
bench-photos: $(STAMP)
	$(BIN)/python benchmarks/bench_photos.py $(ARGS)

## load: 20 staff for 60 s against the app on a fresh demo database (ARGS="--db postgres://..." for PostgreSQL)
load: $(STAMP)
	$(BIN)/python benchmarks/load_test.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
