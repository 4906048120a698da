# Two commands do everything on a fresh machine: `make demo` and `make test`.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
BIN := $(VENV)/bin
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
HRIS_SIMULATOR_PORT ?= 8025
# `make demo RALPH=1` also runs Ralph, the Open edX LRS, on this port and sends xAPI statements
# to it. Ralph lives in its own venv (its pins conflict with ours; requirements/ralph.txt).
RALPH ?=
RALPH_PORT ?= 8100
RALPH_VENV := var/ralph-venv
# The demo's settings read them: badges name the address the demo serves on.
export DEMO_HOST DEMO_PORT
PYTEST_ARGS ?=
# The tests `make test-mysql` runs: those marked db_server (pyproject.toml), whose behaviour
# depends on the database server. Narrow it here, e.g. MYSQL_MARKERS="db_server and not
# browser": a second -m in PYTEST_ARGS would replace this one, not add to it.
MYSQL_MARKERS ?= db_server
# Browser tests drive Debian's Chromium (never a browser downloaded by a test tool).
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Digital Bazaar's Data Integrity libraries, the independent verifier the Open Badges tests
# check our badges with (npm, pinned by its package-lock.json; run with Node 18 or later).
VERIFIER := tests/independent_verifier

# Python 3.12 is required (xblock-sdk 0.15 needs it): python3.12 on PATH, then pyenv's.
PYTHON312 := $(shell for p in python3.12 $$(ls -d /root/.pyenv/versions/3.12*/bin/python $$HOME/.pyenv/versions/3.12*/bin/python 2>/dev/null) python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

.PHONY: help demo test test-mysql test-mysql-all test-setup lint requirements upgrade compile-requirements extract_translations \
	compile_translations dummy_translations build_dummy_translations detect_changed_source_translations \
	check_translations validate_translations pull_translations bench clean fuzz verify-badge screenshots ralph

help:
	@echo "make demo        set everything up and run the workbench demo on http://$(DEMO_HOST):$(DEMO_PORT)/"
	@echo "                 (RALPH=1: also a local Ralph LRS receiving xAPI statements on port $(RALPH_PORT))"
	@echo "make ralph       install Ralph, the Open edX LRS, in $(RALPH_VENV) (the xAPI tests run it)"
	@echo "make test        set everything up and run the whole test suite on SQLite (plus ruff)"
	@echo "make test-mysql  the tests marked db_server against MariaDB/MySQL on 127.0.0.1:3306 (root, no password)"
	@echo "make test-mysql-all  the whole suite against MariaDB/MySQL"
	@echo "make test-openedx  openedx_tests/ inside an edx-platform tree (EDX_PLATFORM_ROOT; see README)"
	@echo "make test-platform-pins  the platform-sensitive tests at Open edX Verawood's pinned versions"
	@echo "make requirements  install the pinned requirements (requirements/test.txt) and the package"
	@echo "make upgrade     recompile requirements/*.txt from the .in files, newest versions allowed"
	@echo "make compile-requirements  recompile requirements/*.txt keeping today's pins"
	@echo "make verify-badge BADGE=<badge page URL>  check a published badge with an independent verifier"
	@echo "make fuzz        fuzz every block handler and API operation at length (FUZZ_EXAMPLES=1000 each)"
	@echo "make bench       benchmarks under gunicorn (see bench/README.md; CREDENTIAL_DB=mysql for MariaDB)"
	@echo "make extract_translations  write the English source catalogues (<package>/conf/locale/en)"
	@echo "make compile_translations  compile every catalogue present (.mo)"
	@echo "make dummy_translations  fake-accented catalogues (eo) of both packages; build_dummy_translations compiles them"
	@echo "make validate_translations  extract, fail if the committed source catalogues are stale, check dummy catalogues"
	@echo "make pull_translations  translations from openedx-translations (atlas; ATLAS_OPTIONS), compiled"
	@echo "make screenshots  the README's pictures (docs/screenshots/), taken by the browser tests"

$(BIN)/python:
	@if [ -z "$(PYTHON312)" ]; then \
		echo "Python 3.12 not found: install it (e.g. 'pyenv install 3.12') or put python3.12 on PATH." >&2; exit 1; fi
	$(PYTHON312) -m venv $(VENV)

TUTOR_PLUGIN := tutor-contrib-assessed-credentials

$(VENV)/.installed: $(BIN)/python requirements/test.txt requirements/base.txt setup.py $(TUTOR_PLUGIN)/pyproject.toml
	$(MAKE) requirements

$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "The browser tests need Debian's chromium at $(CHROMIUM); install it." >&2; exit 1; }
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(VERIFIER)/node_modules/.installed: $(VERIFIER)/package.json $(VERIFIER)/package-lock.json
	@command -v npm >/dev/null || { \
		command -v apt-get >/dev/null || { echo "The Open Badges tests need Node.js 18+ and npm; install them." >&2; exit 1; }; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	cd $(VERIFIER) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The demo's Ralph speaks plain http on loopback: the demo settings allow http only then.
ifneq ($(RALPH),)
export DEMO_LRS_HTTP := 1
endif

# Ralph in its own venv, from its own pinned requirements (make test-setup installs it too).
$(RALPH_VENV)/.installed: requirements/ralph.txt $(BIN)/python
	@if [ -z "$(PYTHON312)" ]; then echo "Python 3.12 not found (Ralph's venv needs it)." >&2; exit 1; fi
	$(PYTHON312) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/ralph.txt
	touch $@

ralph: $(RALPH_VENV)/.installed

demo: $(VENV)/.installed $(if $(RALPH),$(RALPH_VENV)/.installed)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --hris-url https://127.0.0.1:$(HRIS_SIMULATOR_PORT)/ \
		$(if $(RALPH),--lrs-url http://127.0.0.1:$(RALPH_PORT)/xAPI/)
	@echo
	@echo "  Demo running at http://$(DEMO_HOST):$(DEMO_PORT)/  (Ctrl-C stops it)"
	@echo "  Sign in as 'Lee Learner' (learner) to hand in evidence,"
	@echo "  then 'Switch user' to 'Sam Assessor' (course staff) to score it."
	@echo "  As Sam Assessor, 'Edit this unit (Studio view)' authors the unit and its rubric;"
	@echo "  'Ana Reviewer' is a second assessor (claim an attempt as one, the other sees it locked)."
	@echo "  Reports (http://$(DEMO_HOST):$(DEMO_PORT)/credential-app/reports/) show a few months of demo history."
	@echo "  Lee Learner already holds 'First Aid at Work': 'My credentials' links its public"
	@echo "  badge page (no sign-in), baked PNG/SVG downloads and the name-sharing choice."
	@echo
	@echo "  HRIS simulator (the employer's HR system) on https://127.0.0.1:$(HRIS_SIMULATOR_PORT)/"
	@echo "  (certificate from the demo CA in var/hris-simulator-tls/ca.pem):"
	@echo "  issued credentials arrive there signed; Django admin → Outbox messages shows each try."
	@if [ -n "$(RALPH)" ]; then echo; \
		echo "  Ralph LRS on http://127.0.0.1:$(RALPH_PORT)/xAPI/ (user demo-lms, password in var/ralph/demo-lrs-password):"; \
		echo "  xAPI statements of Lee's attempts and credentials arrive there (README: xAPI)."; fi
	@echo
	$(BIN)/python manage.py hris_simulator --port $(HRIS_SIMULATOR_PORT) \
		--trust-destination "Demo HR system (HRIS simulator)" --store var/hris_simulator.sqlite3 \
		--tls-cert var/hris-simulator-tls/server.pem --tls-key var/hris-simulator-tls/server.key & \
	simulator=$$!; lrs=; \
	if [ -n "$(RALPH)" ]; then $(BIN)/python manage.py ralph_lrs --port $(RALPH_PORT) & lrs=$$!; fi; \
	trap 'kill $$simulator $$lrs 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver --noreload $(DEMO_HOST):$(DEMO_PORT)

# Everything the test targets need (.ci/run makes it once, before running two passes at once).
test-setup: $(VENV)/.installed $(CHROMIUM) $(VERIFIER)/node_modules/.installed $(RALPH_VENV)/.installed

test: test-setup lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# MariaDB runs what depends on the database server (marker db_server); the other tests,
# browser tests included, behave the same on both backends and run in `make test`.
test-mysql: $(VENV)/.installed $(RALPH_VENV)/.installed
	CREDENTIAL_DB=mysql $(BIN)/python -m pytest -m "$(MYSQL_MARKERS)" $(PYTEST_ARGS)

test-mysql-all: test-setup
	CREDENTIAL_DB=mysql $(BIN)/python -m pytest $(PYTEST_ARGS)

# A published badge checked over HTTP by the independent verifier (Digital Bazaar's Data
# Integrity libraries, panva's jose): its JSON, PNG, SVG and JWT downloads, the issuer's
# did:web document and the status list, as a relying party fetches them.
verify-badge: $(VERIFIER)/node_modules/.installed
	@if [ -z "$(BADGE)" ]; then echo "Give the public badge page: make verify-badge BADGE=http://$(DEMO_HOST):$(DEMO_PORT)/credential-app/badges/<uuid>/" >&2; exit 2; fi
	node $(VERIFIER)/check-badge.mjs "$(BADGE)"

# The handlers' and the REST API's fuzzing, at length (make test runs 25 inputs per handler
# and role, 10 per API operation and role).
FUZZ_EXAMPLES ?= 1000
fuzz: $(VENV)/.installed
	CREDENTIAL_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/xblock/test_fuzz_handlers.py \
		tests/rest/test_fuzz_api.py $(PYTEST_ARGS)

# The README's pictures: tests/test_screenshots.py loads the demo's data, checks each page
# in Chromium and saves it at 1280 x 800 (256 colours, optimised) in docs/screenshots/.
screenshots: test-setup
	CREDENTIAL_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/test_screenshots.py -q

# ruff, then the import rules of .importlinter (layers, the XBlock's boundary, no circles).
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# cookiecutter-xblock's meanings: `make requirements` installs the pinned files,
# `make upgrade` compiles them from the .in files (newest versions the .in files and
# requirements/constraints.txt allow); `make compile-requirements` compiles them keeping
# today's pins (after editing an .in file).
requirements: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . -e $(TUTOR_PLUGIN)
	touch $(VENV)/.installed

PIP_COMPILE = cd requirements && CUSTOM_COMPILE_COMMAND="make upgrade" ../$(BIN)/pip-compile -q \
	--strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS)

compile-requirements upgrade: $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements/pip-tools.txt
	$(PIP_COMPILE) -o pip-tools.txt pip-tools.in
	$(PIP_COMPILE) -o base.txt base.in
	$(PIP_COMPILE) -o test.txt test.in
	$(PIP_COMPILE) -o ralph.txt ralph.in

upgrade: PIP_COMPILE_ARGS = --upgrade

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# ---- Translations (OEP-58) -----------------------------------------------------------------
# Each package keeps its edx-i18n-tools settings (config.yaml) and English source catalogues in
# <package>/conf/locale/, where openedx-translations collects them; translations come back from
# openedx-translations with atlas. edx-i18n-tools calls django-admin: the venv's when there is
# one, else the one on PATH (openedx-translations' workflow runs extract_translations without it).
I18N_PACKAGES := credential_xblock credential_app
I18N_TARGETS := extract_translations compile_translations dummy_translations \
	detect_changed_source_translations check_translations pull_translations
$(I18N_TARGETS): export PATH := $(abspath $(BIN)):$(PATH)
in_each_package = for package in $(I18N_PACKAGES); do (cd $$package && $(1)) || exit 1; done

extract_translations:
	$(call in_each_package,i18n_tool extract --no-segment)

compile_translations:
	$(call in_each_package,i18n_tool generate)

dummy_translations:
	$(call in_each_package,i18n_tool dummy)

build_dummy_translations: dummy_translations compile_translations

# Fails when a source catalogue in the working tree differs from the committed one.
detect_changed_source_translations:
	$(call in_each_package,i18n_tool changed)

check_translations:
	$(call in_each_package,i18n_tool validate)

validate_translations: extract_translations detect_changed_source_translations build_dummy_translations check_translations

# The translations of both packages from openedx-translations (ATLAS_OPTIONS, e.g.
# "--filter=fr_CA,de_DE" or "--revision=release/ulmo"), compiled.
ATLAS_OPTIONS ?=
pull_translations:
	atlas pull --expand-glob $(ATLAS_OPTIONS) \
		$(foreach package,$(I18N_PACKAGES),'translations/*/$(package)/conf/locale:$(package)/conf/locale')
	$(MAKE) compile_translations

clean:
	rm -rf $(VENV) var build dist *.egg-info .pytest_cache .coverage $(VERIFIER)/node_modules

# The tests that depend on packages shared with Open edX, at the versions the targeted release
# (Verawood) pins: requirements/platform/verawood.txt, in .venv-platform (tools/test-platform-pins).
.PHONY: test-platform-pins print-python312
test-platform-pins:
	tools/test-platform-pins $(PYTEST_ARGS)

print-python312:
	@echo $(PYTHON312)

# The plugin inside an edx-platform tree: EDX_PLATFORM_ROOT names it (tools/openedx/check-platform
# says how to get one). Prepares its venv once (tools/openedx/prepare-platform), then runs
# openedx_tests/ under the LMS's and Studio's test settings; prints how long each part took.
.PHONY: test-openedx
test-openedx:
	tools/openedx/run-tests $(OPENEDX_PYTEST_ARGS)
