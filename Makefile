# Participa — `make run` abre el bot; `make test` corre todas las pruebas.
# Ambos preparan primero lo que falte (entornos, base de datos, modelo de Rasa).

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# pip on these machines warns about every missing local index folder; keep the log readable.
QUIET_PIP := sed -u "/is ignored: it is neither a file nor a directory/d"
PY311 := $(shell tools/find-python.sh 3.11 "la aplicación")
PY310 := $(shell tools/find-python.sh 3.10 "Rasa 3.6")
VENV := .venv
RASA_VENV := .venv-rasa
BIN := $(VENV)/bin
PARTICIPA := $(BIN)/participa
PYBABEL := $(BIN)/pybabel
LOCALE_DIR := bot/locale
LOCALES := es_MX en
# Compiled catalogs are build products (.gitignore): made from the .po files here, in setup.
MO_FILES := $(foreach l,$(LOCALES),$(LOCALE_DIR)/$(l)/LC_MESSAGES/messages.mo)

.PHONY: help setup run test lint test-only benchmarks clean i18n system-packages lock lock-upgrade

help:
	@echo "make run         prepara lo que falte y abre el bot (Telegram o terminal)"
	@echo "make test        prepara lo que falte y corre todas las pruebas"
	@echo "make setup       solo prepara: entornos, migraciones, modelo de Rasa"
	@echo "make lint        ruff, mypy y auditoría de dependencias (pip-audit)"
	@echo "make lock        rehace los archivos de bloqueo (requirements*.lock) tras cambiar dependencias"
	@echo "make i18n        extrae los textos, actualiza los catálogos (es_MX, en) y los compila"
	@echo "make benchmarks  mediciones de benchmarks/ (tardan varios minutos)"

# Both environments install exact versions with hashes from the lock files (`make lock` makes
# them from pyproject.toml and requirements-rasa.txt); the project itself goes in without deps.
$(VENV)/.installed: pyproject.toml requirements-dev.lock
	@test -n "$(PY311)" || exit 1
	test -x $(BIN)/python || $(PY311) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip 2>&1 | $(QUIET_PIP)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock 2>&1 | $(QUIET_PIP)
	$(BIN)/pip install --quiet --no-deps -e ".[dev]" 2>&1 | $(QUIET_PIP)
	touch $@

$(RASA_VENV)/.installed: requirements-rasa.lock
	@test -n "$(PY310)" || exit 1
	test -x $(RASA_VENV)/bin/python || $(PY310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install --quiet --require-hashes -r requirements-rasa.lock 2>&1 | $(QUIET_PIP)
	touch $@

# Lock files: requirements-dev.lock (.venv: the app and its dev tools), requirements.lock (the
# app image, the same versions without dev tools), requirements-rasa.lock (.venv-rasa and the
# rasa image). `make lock` adds what pyproject.toml / requirements-rasa.txt gained and keeps
# every other pin; `make lock-upgrade` moves everything to the newest allowed versions.
LOCK_TOOLS := var/lock-tools
PIP_COMPILE_ARGS := --quiet --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links

$(LOCK_TOOLS)-%/bin/pip-compile:
	test -x $(LOCK_TOOLS)-$*/bin/python || $(shell tools/find-python.sh $* "make lock") -m venv $(LOCK_TOOLS)-$*
	$(LOCK_TOOLS)-$*/bin/pip install --quiet "pip-tools==7.*" 2>&1 | $(QUIET_PIP)

lock: $(LOCK_TOOLS)-3.11/bin/pip-compile $(LOCK_TOOLS)-3.10/bin/pip-compile
	$(LOCK_TOOLS)-3.11/bin/pip-compile $(PIP_COMPILE_ARGS) $(LOCK_UPGRADE) --strip-extras --extra dev \
	  -o requirements-dev.lock pyproject.toml 2>&1 | $(QUIET_PIP)
	mkdir -p var && grep -E '^[A-Za-z0-9_.-]+==' requirements-dev.lock | sed 's/ \\$$//' > var/dev-pins.txt
	$(LOCK_TOOLS)-3.11/bin/pip-compile $(PIP_COMPILE_ARGS) $(LOCK_UPGRADE) --strip-extras \
	  --pip-args "-c var/dev-pins.txt" -o requirements.lock pyproject.toml 2>&1 | $(QUIET_PIP)
	$(LOCK_TOOLS)-3.10/bin/pip-compile $(PIP_COMPILE_ARGS) $(LOCK_UPGRADE) --strip-extras \
	  -o requirements-rasa.lock requirements-rasa.txt 2>&1 | $(QUIET_PIP)

lock-upgrade:
	$(MAKE) lock LOCK_UPGRADE=--upgrade

# docker-compose only validates docker-compose.yml in tests/test_deployment.py (no engine runs
# here); chromium runs the browser tests (tests/web/test_browser.py). Where they cannot be
# installed those tests are skipped (outside CI), so setup never fails for them.
system-packages:
	@command -v docker-compose >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get install -y -qq docker-compose >/dev/null 2>&1; } \
	  || echo "docker-compose no está: tests/test_deployment.py omite 'docker-compose config'"
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && apt-get install -y -qq chromium >/dev/null 2>&1; } \
	  || echo "chromium no está: se omiten las pruebas de navegador (tests/web/test_browser.py)"

$(LOCALE_DIR)/%/LC_MESSAGES/messages.mo: $(LOCALE_DIR)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(PYBABEL) -q compile -D messages -l $* -i $< -o $@

i18n: $(VENV)/.installed
	$(PYBABEL) -q extract -F babel.cfg -o $(LOCALE_DIR)/messages.pot --sort-by-file \
	  --project Participa --msgid-bugs-address "" --copyright-holder "" -c TRANSLATORS: .
	for l in $(LOCALES); do \
	  if [ -f $(LOCALE_DIR)/$$l/LC_MESSAGES/messages.po ]; then \
	    $(PYBABEL) -q update -D messages -l $$l -i $(LOCALE_DIR)/messages.pot -d $(LOCALE_DIR); \
	  else $(PYBABEL) -q init -D messages -l $$l -i $(LOCALE_DIR)/messages.pot -d $(LOCALE_DIR); fi; \
	done
	$(BIN)/python tools/i18n_source_catalog.py $(LOCALE_DIR)/es_MX/LC_MESSAGES/messages.po
	$(PYBABEL) compile -D messages -d $(LOCALE_DIR) --statistics

setup: $(VENV)/.installed $(RASA_VENV)/.installed $(MO_FILES) system-packages
	$(PARTICIPA) db upgrade
	$(PARTICIPA) procurement load --bundled
	$(PARTICIPA) content check
	$(PARTICIPA) nlu train

run: setup
	$(PARTICIPA) run

lint: $(VENV)/.installed
	$(BIN)/ruff check bot actions tests benchmarks tools/audit_dependencies.py
	$(BIN)/mypy
	$(BIN)/python tools/audit_dependencies.py
	@# Rasa 3.6 pins old libraries we cannot upgrade: its audit is a report, not a gate.
	@if [ -x $(RASA_VENV)/bin/python ]; then \
		$(BIN)/python tools/audit_dependencies.py --venv $(RASA_VENV) --report-only; fi

test-only:
	$(BIN)/pytest -q

test: setup lint test-only

benchmarks: setup
	$(BIN)/python benchmarks/nlu_accuracy.py
	$(BIN)/python benchmarks/understanding.py --slice a
	$(BIN)/python benchmarks/latency.py
	$(BIN)/python benchmarks/emergency_recall.py
	$(BIN)/python benchmarks/directory.py
	$(BIN)/python benchmarks/proposals_submit.py
	$(BIN)/python benchmarks/procurement.py
	$(BIN)/python benchmarks/telegram_throughput.py
	$(BIN)/python benchmarks/web_pages.py
	$(BIN)/python benchmarks/privacy.py
	$(BIN)/python benchmarks/broadcast.py
	$(BIN)/python benchmarks/clustering.py

clean:
	rm -rf $(VENV) $(RASA_VENV) models var .rasa
