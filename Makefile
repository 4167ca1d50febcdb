# Social Tech Atlas — `make run` serves the atlas, `make test` runs every test.
# Both create or refresh the virtual environment in .venv by themselves.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LOCK   := requirements.lock
PORT   ?= 8501
REPLICAS ?= 2
CLUSTER_PORT ?= 8080

.PHONY: run test assets data bench load oidc cluster cluster-load lint js-lint lock clean screenshots docs docs-serve messages

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

# Static checks: ruff (lint and format), mypy, and the JavaScript and CSS (js-lint); part of `make test`.
lint: $(STAMP) js-lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The atlas's own JavaScript and CSS (static/atlas): `node --check`, then ESLint and Stylelint at the
# versions package-lock.json locks. Without node (or npm) it says so and checks less, except in CI.
js-lint:
	@if ! command -v node >/dev/null 2>&1; then \
		echo "js-lint: node is not installed: the JavaScript is not checked"; test -z "$$CI"; \
	elif ! command -v npm >/dev/null 2>&1; then \
		for f in static/atlas/*.js static/atlas/*.mjs tests/js/*.js; do node --check "$$f" || exit 1; done; \
		echo "js-lint: npm is not installed: only node --check ran (no ESLint, no Stylelint)"; test -z "$$CI"; \
	else \
		set -e; for f in static/atlas/*.js static/atlas/*.mjs tests/js/*.js; do node --check "$$f"; done; \
		$(MAKE) --no-print-directory node_modules/.package-lock.json; \
		echo "eslint, stylelint"; node_modules/.bin/eslint --max-warnings 0; \
		node_modules/.bin/stylelint --max-warnings 0 'static/atlas/**/*.css' 'static/contribute/**/*.css' 'static/web/**/*.css'; \
	fi

# Leaflet, its plugins and the linters from the npm registry, as package-lock.json locks them.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Leaflet and its plugins copied from node_modules into static/vendor (git-ignored).
# Optional for `make run` (without npm the map loads them from public CDNs).
static/vendor/.fetched: atlas/assets.py node_modules/.package-lock.json | $(STAMP)
	$(BIN)/python -m atlas.assets
	@touch $@

assets: static/vendor/.fetched

run: $(STAMP)
	-@$(MAKE) --no-print-directory assets
	$(BIN)/streamlit run app.py --server.port $(PORT)

# The tests on TEST_WORKERS processes (pytest-xdist; the browser tests share one: docs/develop/index.md).
TEST_WORKERS ?= auto
test: $(STAMP)
	-@$(MAKE) --no-print-directory assets
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory docs
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

# The translation catalogues in step with the code: the message keys extracted (as `pybabel extract -F
# babel.cfg` does), atlas/locales/atlas.pot rewritten, every atlas/locales/<lang>/LC_MESSAGES/atlas.po
# updated: new keys added untranslated, unused ones dropped (docs/develop/translations.md).
messages: $(STAMP)
	$(BIN)/python -m atlas.i18n_tools update

# The documentation site (docs/, mkdocs.yml): built strictly (a broken link fails) into build/site/.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

# The documentation with live reload at http://127.0.0.1:8000.
docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Regenerate the bundled coordinates with the project's own geocoder (offline gazetteer + cache).
data: $(STAMP)
	$(BIN)/atlas geocode data/organisations.csv --offline --force
	$(BIN)/atlas geocode data/odc.csv --offline --force
	$(BIN)/python -m atlas.articles.geocode_places
	$(BIN)/atlas validate

bench: $(STAMP)
	$(BIN)/python -m bench

# The README's and docs' screenshots (docs/screenshots/), from the running app on the bundled data, offline.
screenshots: $(STAMP)
	@$(MAKE) --no-print-directory assets
	$(BIN)/python -m bench.screenshots

# 20 concurrent visitors against a local app for 60 s (loopback only); see docs/operate/performance.md.
load: $(STAMP)
	$(BIN)/python -m bench.load --sessions 20 --seconds 60

# A local OpenID Connect provider (127.0.0.1:9400, users "moderator" and "visitor") to try the
# Moderate page; once it answers it prints the .streamlit/secrets.toml to write, for an app at
# http://localhost:8501. OIDC_ARGS='--port 0 --app-port 8502' for other ports (--help lists them).
# For trials only: see docs/use/moderate.md.
oidc: $(STAMP)
	$(BIN)/python -m bench.oidc $(OIDC_ARGS)

# The deployment's topology on this machine (docs/operate/deployment.md): a throwaway PostgreSQL,
# $(REPLICAS) replicas of the app and Debian's nginx in front, configured from deploy/nginx/, at
# http://127.0.0.1:$(CLUSTER_PORT); Ctrl-C (or CLUSTER_SECONDS=N) stops everything it started.
cluster: $(STAMP)
	@$(MAKE) --no-print-directory assets
	$(BIN)/python -m bench.cluster --replicas $(REPLICAS) --port $(CLUSTER_PORT) \
		$(if $(CLUSTER_SECONDS),--seconds $(CLUSTER_SECONDS))

# 20 visitors through nginx for 60 s with 1, 2 and 4 replicas, in one run (docs/operate/deployment.md).
cluster-load: $(STAMP)
	@$(MAKE) --no-print-directory assets
	$(BIN)/python -m bench.cluster_load --replicas 1,2,4 --sessions 20 --seconds 60

clean:
	rm -rf $(VENV) static/vendor static/generated node_modules .pytest_cache .hypothesis
