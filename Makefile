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

# Re-installs only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres,server]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[postgres,server,dev]'
	touch $@

# Leaflet plugins no Python package ships come from the npm registry (not committed).
MAP_ASSETS := hackkit/maps/node_modules/.installed
$(MAP_ASSETS): hackkit/maps/package.json
	npm install --prefix hackkit/maps --no-package-lock --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed translations $(MAP_ASSETS)
install-dev: $(VENV)/.installed-dev translations $(MAP_ASSETS)

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

# HACKKIT_NPM_MODULES: the apps use the hub's copy of the map plugins instead of fetching their own.
test-apps: install-dev
	@for app in sample_apps/*/; do \
	  echo "== $$app"; \
	  (cd $$app && HACKKIT_NPM_MODULES=$(CURDIR)/hackkit/maps/node_modules $(CURDIR)/$(BIN)/pytest -q -p no:cacheprovider) || exit 1; \
	done

lint: install-dev
	$(BIN)/ruff check hackkit tests datasets benchmarks sample_apps
	$(BIN)/ruff format --check hackkit tests datasets benchmarks sample_apps
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
	rm -rf $(VENV) build *.egg-info hackkit/maps/node_modules
