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

# The main job on the bundled graph: validate it, run the headline query, export JSON-LD.
demo: $(VENV)/.installed
	@mkdir -p build
	@echo "== kgtool validate --summary   (kgtool validate lists every result)"
	@$(KGTOOL) validate --summary
	@echo "== kgtool query artemis-signatories"
	@$(KGTOOL) query artemis-signatories
	@echo "== kgtool export -f json-ld -o build/spacecoop.jsonld"
	@$(KGTOOL) export -f json-ld -o build/spacecoop.jsonld
	@$(KGTOOL) stats -f summary
	@echo "== kgtool plot: the four pictures into build/"
	@$(KGTOOL) plot network -o build/network.svg
	@$(KGTOOL) plot timeline -o build/timeline.svg
	@$(KGTOOL) plot map -o build/map.png
	@$(KGTOOL) plot launches-per-decade -o build/launches-per-decade.svg
	@$(KGTOOL) plot network --lang ar -o build/network.html
	@echo "== kgtool docs -o build/site"
	@$(KGTOOL) docs -o build/site
	@echo "== the graph on the web (SPARQL endpoint, named queries, entity pages, web app):"
	@echo "   $(KGTOOL) serve --port 8000    # then open http://127.0.0.1:8000/"

# Debian packages the tests use, installed when missing: strace (kill injection in ingest
# tests), chromium (browser tests of kgtool serve, the docs site and the pictures), a JRE for
# the HTML validator, DejaVu fonts (Arabic text in PNG pictures), Apache Jena (SHACL results
# compared with an independent engine) and Virtuoso 7 (the second triplestore of the
# --endpoint tests, tests/stores.py).
DEBIAN_PACKAGES := strace=strace chromium=chromium java=default-jre-headless \
	/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf=fonts-dejavu-core \
	/usr/share/java/jena-shacl.jar=libapache-jena-java virtuoso-t=virtuoso-opensource

test: $(VENV)/.installed
	scripts/debian-packages $(DEBIAN_PACKAGES)
	$(BIN)/ruff check kgtool tests benchmarks
	$(BIN)/lint-imports
	$(KGTOOL) fmt --check
	$(BIN)/python -m pytest -q
