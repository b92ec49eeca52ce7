# DutyLaw: `make run` starts the product with demo data; `make test` runs every check.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-clock lint bench bench-intake bench-roster bench-deadlines venv messages clean

run:
	@bash scripts/run.sh

test: $(STAMP)
	@bash scripts/test.sh

test-clock: $(STAMP)
	@bash scripts/test_clock.sh

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

bench: bench-intake bench-roster bench-deadlines

bench-intake: $(STAMP)
	$(BIN)/python bench/intake.py

bench-roster: $(STAMP)
	$(BIN)/python bench/roster.py

bench-deadlines: $(STAMP)
	$(BIN)/python bench/deadlines.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=.run
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf .run .pytest_cache
