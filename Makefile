# Debrief: `make run` serves the app with its worker; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
ASSETS := app/static/.built

.PHONY: run test install assets lint format clean

run: install assets
	@echo "==> Migrating the database"
	@$(BIN)/debrief db upgrade
	@$(BIN)/debrief demo --if-empty
	@$(BIN)/debrief serve --host 127.0.0.1 --port 5000

test: install assets
	@echo "==> ruff check"
	@$(BIN)/ruff check .
	@echo "==> pytest"
	@$(BIN)/pytest

install: $(INSTALLED)

$(BIN)/python:
	@echo "==> Creating $(VENV)"
	@python3 -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	@echo "==> Installing Python packages (first run takes a few minutes)"
	@$(BIN)/python -m pip install --upgrade --progress-bar off pip
	@$(BIN)/python -m pip install --progress-bar off -e '.[dev]'
	@touch $(INSTALLED)

assets: $(ASSETS)

$(ASSETS):
	@mkdir -p app/static
	@touch $(ASSETS)

lint:
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

format:
	@$(BIN)/ruff check --fix .
	@$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules app/static/build $(ASSETS)
