# The README's two set-up commands: `make demo` and `make test`.
# Each works on a fresh machine that has only python3, pip and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
KGTOOL := $(BIN)/kgtool

.PHONY: demo test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installed (editable) with the test extra; redone when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	@$(KGTOOL) stats

test: $(VENV)/.installed
	$(BIN)/ruff check kgtool tests benchmarks
	$(BIN)/python -m pytest -q
