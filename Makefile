# Two commands do all the set-up on a fresh Debian machine: `make demo` and `make test`.
# Each target is idempotent and safe to rerun.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
export DAGSTER_HOME ?= $(CURDIR)/.transport_etl/dagster_home

.PHONY: demo test dev setup install db tools lint clean bench bench-hostile browser ui-screenshots web serve map-screenshot

demo: setup ## generate demo data, materialise every asset through Dagster, print a summary
	$(BIN)/python -m demo

test: setup browser web ## lint, then the whole test suite against a real PostGIS (and the browser, Celery, standby tests)
	$(BIN)/ruff check transport_etl assets demo tests bench scripts
	$(BIN)/python -m pytest

DEMO_CATALOG := $(CURDIR)/demo_data/sources.yaml

dev: setup ## Dagster UI on http://localhost:3000 (webserver + daemon) via workspace.yaml, on the demo catalog
	@mkdir -p $(DAGSTER_HOME)
	@# the demo's catalog is written with its data; generate it (without loading) if `make demo` has not run
	@test -n "$$TRANSPORT_ETL_CATALOG" || test -f $(DEMO_CATALOG) || \
	  $(BIN)/python -c 'from pathlib import Path; from demo.generate import generate_all; generate_all(Path("demo_data"))'
	TRANSPORT_ETL_CATALOG=$${TRANSPORT_ETL_CATALOG:-$(DEMO_CATALOG)} TRANSPORT_ETL_DATABASE_URL=$$($(BIN)/transport-etl db url) \
	  $(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

setup: install db tools

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "installing python3-venv (Debian) …"; apt-get update -qq && apt-get install -y -qq python3-venv; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

db: install ## find or create the PostGIS database (installs PostGIS if missing), apply migrations
	$(BIN)/transport-etl db setup

tools: ## GDAL command-line tools (ogrinfo, as GIS staff's tools see the layers) and socat (Celery workers' namespaces); best effort
	@command -v ogrinfo >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing gdal-bin (Debian) …"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdal-bin >/dev/null; \
	else echo "note: ogrinfo missing; install gdal-bin to run the GDAL layer test"; fi; }
	@command -v socat >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing socat (Debian) …"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null; \
	else echo "note: socat missing; the Celery test then runs its workers without network namespaces"; fi; }

browser: ## headless Chromium (Debian package) for the UI screenshot test; best effort
	@command -v chromium >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium (Debian) …"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: chromium missing; install it (apt-get install chromium) to run the UI screenshot test"; fi; }

ui-screenshots: setup browser ## screenshots of the demo's Dagster UI into ui_screenshots/ (asset graph, a source, automation)
	$(BIN)/python scripts/ui_screenshots.py --out ui_screenshots

web: ## the web map (web/dist): nodejs/npm from Debian if missing, `npm ci` when node_modules is missing, then the build
	@command -v npm >/dev/null 2>&1 || { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing nodejs and npm (Debian) …"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	else echo "npm missing: install nodejs and npm to build the web map"; exit 1; fi; }
	@test -f web/node_modules/maplibre-gl/package.json || (cd web && npm ci --no-audit --no-fund --loglevel=error)
	@cd web && npm run -s build

HOST ?= 127.0.0.1
PORT ?= 8000
serve: setup web ## OGC API - Features and Tiles of the gis layers and the web map on http://$(HOST):$(PORT)/map/
	$(BIN)/transport-etl serve --host $(HOST) --port $(PORT)

map-screenshot: setup browser web ## docs/img/map.png for the README: the demo's map with the I/13 closure clicked
	$(BIN)/python scripts/map_screenshot.py --out docs/img/map.png

lint: install
	$(BIN)/ruff check transport_etl assets demo tests bench scripts

bench: setup
	$(BIN)/python bench/gtfs_load.py

bench-hostile: setup ## a 300 MB single-line member is refused in bounded memory (issue 13)
	$(BIN)/python bench/hostile_line.py

clean:
	rm -rf demo_data .transport_etl/dagster_home
