# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-apps test-sqlite test-postgres lint audit translations install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The map kit (mapkit/, the hackkit-maps package) first: the hub depends on it. Building it
# fetches the Leaflet plugins no Python package ships from the npm registry, checksum-verified
# (mapkit/hatch_build.py; not committed). Re-installs only when the dependencies change.
KIT := mapkit/pyproject.toml mapkit/hatch_build.py mapkit/src/hackkit_maps/package.json
$(VENV)/.installed: pyproject.toml $(KIT) | $(BIN)/python
	$(BIN)/pip install --quiet -e ./mapkit
	$(BIN)/pip install --quiet -e '.[postgres,server]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[postgres,server,dev]'
	touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

# Compiled catalogues are build output, not committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d hackkit/translations -f --statistics 2>&1 | tail -n 1

run: install
	$(BIN)/hackkit setup
	@echo "hackkit is serving on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(BIN)/hackkit run --host $(HOST) --port $(PORT) --with-threads

# The whole suite on SQLite, then again on PostgreSQL (skipped with a reason if none runs),
# then each sample app's own tests, from inside its folder as a team would run them.
test: install-dev
	$(BIN)/pytest -n 2 --dist loadfile
	HACKKIT_TEST_DB=postgresql $(BIN)/pytest -n 2 --dist loadfile
	$(MAKE) --no-print-directory test-apps

# Each app's tests use the kit's pytest plugin. They run against the newest folium the kit
# allows (the one installed) and again against the oldest (FOLIUM_OLDEST, the lower bound in
# mapkit/pyproject.toml; mapkit/tests checks they agree), put first on PYTHONPATH from build/.
FOLIUM_OLDEST := 0.15.0
FOLIUM_OLDEST_DIR := build/folium-$(FOLIUM_OLDEST)
$(FOLIUM_OLDEST_DIR)/.installed: | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps --target $(FOLIUM_OLDEST_DIR) folium==$(FOLIUM_OLDEST)
	touch $@

# The kit's own tests run first, in a pytest of their own (their browser fixture is the kit's).
test-apps: install-dev $(FOLIUM_OLDEST_DIR)/.installed
	@echo "== mapkit (the kit's own tests)"
	@cd mapkit && $(CURDIR)/$(BIN)/pytest -q -p no:cacheprovider
	@for folium in "" $(CURDIR)/$(FOLIUM_OLDEST_DIR); do \
	  version=$$(PYTHONPATH=$$folium $(BIN)/python -c 'import folium; print(folium.__version__)'); \
	  for app in sample_apps/*/; do \
	    echo "== $$app (folium $$version)"; \
	    (cd $$app && PYTHONPATH=$$folium $(CURDIR)/$(BIN)/pytest -q -p no:cacheprovider) || exit 1; \
	  done; \
	done

lint: install-dev
	$(BIN)/ruff check hackkit tests datasets benchmarks sample_apps mapkit
	$(BIN)/ruff format --check hackkit tests datasets benchmarks sample_apps mapkit
	$(MAKE) --no-print-directory audit

# Known vulnerabilities in the installed packages, against PyPI's advisory data (needs the
# network). A vulnerable package fails the audit: pin a fixed release in pyproject.toml, or
# while no fix exists add `--ignore-vuln ID` to AUDIT_IGNORE with a comment why. hackkit itself
# (editable, not on PyPI) is left out.
# A package PyPI cannot be asked about is listed but does not fail the audit by default: the
# machines CI runs on reach PyPI through a mirror that sometimes answers 404 to per-release
# lookups, which says nothing about the package. `make audit AUDIT_STRICT=--strict` makes
# every lookup count (use it where pypi.org is reached directly).
AUDIT_IGNORE :=
AUDIT_STRICT ?=
audit: install-dev
	@$(BIN)/pip freeze --exclude-editable > $(VENV)/audit-requirements.txt
	@for try in 1 2 3; do \
	  $(BIN)/pip-audit -r $(VENV)/audit-requirements.txt --no-deps --disable-pip $(AUDIT_STRICT) \
	    --progress-spinner off $(AUDIT_IGNORE) && exit 0; \
	  echo "audit: try $$try of 3 failed"; sleep 5; \
	done; exit 1

# Refresh the catalogues after changing user-facing text.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o hackkit/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i hackkit/translations/messages.pot -d hackkit/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) build *.egg-info mapkit/src/hackkit_maps/npm_modules
