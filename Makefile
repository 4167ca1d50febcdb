# Social Tech Atlas — `make run` serves the atlas, `make test` runs every test.
# Both create or refresh the virtual environment in .venv by themselves.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
PORT   ?= 8501

.PHONY: run test assets data bench load lint lock clean

# Installs the exact versions of requirements.lock (pyproject.toml keeps the allowed ranges).
$(STAMP): pyproject.toml $(LOCK)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test]'
	@touch $(STAMP)

# Refresh the lock after changing dependencies in pyproject.toml (`make lock UPGRADE=1` moves every
# pin to the newest release the ranges allow).
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet 'pip-tools>=7.4'
	$(BIN)/pip-compile --quiet --extra test --strip-extras --no-emit-index-url --no-emit-find-links \
		$(if $(UPGRADE),--upgrade) --output-file $(LOCK) pyproject.toml

# Static checks: ruff (lint and format) and mypy; part of `make test`.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Leaflet and its plugins from the npm registry into static/vendor (git-ignored).
# Optional for `make run` (without npm the map loads them from public CDNs).
static/vendor/.fetched: atlas/assets.py | $(STAMP)
	$(BIN)/python -m atlas.assets
	@touch $@

assets: static/vendor/.fetched

run: $(STAMP)
	-@$(MAKE) --no-print-directory assets
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: $(STAMP)
	-@$(MAKE) --no-print-directory assets
	@$(MAKE) --no-print-directory lint
	$(BIN)/python -m pytest

# Regenerate the bundled coordinates with the project's own geocoder (offline gazetteer + cache).
data: $(STAMP)
	$(BIN)/atlas geocode data/organisations.csv --offline --force
	$(BIN)/atlas geocode data/odc.csv --offline --force
	$(BIN)/python -m atlas.articles.geocode_places
	$(BIN)/atlas validate

bench: $(STAMP)
	$(BIN)/python -m bench

# 20 concurrent visitors against a local app for 60 s (loopback only); see README "Many visitors".
load: $(STAMP)
	$(BIN)/python -m bench.load --sessions 20 --seconds 60

clean:
	rm -rf $(VENV) static/vendor .pytest_cache .hypothesis
