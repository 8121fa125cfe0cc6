# The two commands of the README, plus the benchmark. Everything else is set up by these.
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: run test bench install translations translations-update translations-init lint clean browser pdflibs screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations
	@mkdir -p instance

translations: $(STAMP)
	@if [ -d campaign/translations ]; then $(VENV)/bin/pybabel -q compile -d campaign/translations; fi

# Texts are written in Dutch; this refreshes the other catalogues after texts change. Sorted and without
# source locations, so that two branches adding texts rarely touch the same lines of a catalogue.
translations-update: $(STAMP)
	@mkdir -p campaign/translations
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o campaign/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -N -i campaign/translations/messages.pot -d campaign/translations

# A new interface language: make translations-init LOCALE=xx, translate, add it to LANGUAGES (campaign/config.py).
translations-init: $(STAMP)
	$(VENV)/bin/pybabel -q init -i campaign/translations/messages.pot -d campaign/translations -l $(LOCALE)

run: install
	$(FLASK) db upgrade
	$(FLASK) campaign seed
	$(FLASK) campaign demo
	$(PY) -m campaign.dev.stack

# The browser tests need Chromium, which pip cannot install: on a fresh Debian machine (as root) the
# test target installs Debian's package; elsewhere it says what is missing.
browser:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  else echo "the browser tests need Chromium: apt-get install chromium" >&2; exit 1; fi; }

# The report PDF (WeasyPrint) needs Pango; installed like Chromium where it is missing and we may.
# libfribidi0: Pillow's libraqm loads it to draw Arabic share cards right to left.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libfribidi0
pdflibs:
	@missing=""; for lib in $(PDF_LIBS); do dpkg -s $$lib >/dev/null 2>&1 || missing="$$missing $$lib"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing$$missing for the report PDF"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  elif command -v dpkg >/dev/null; then echo "the report PDF needs:$$missing (apt-get install)" >&2; exit 1; fi; fi

test: install browser pdflibs
	$(PY) -m pytest $(PYTEST_ARGS)

# The public pages at 390x844 and 1366x900 (and the petition in Arabic and Ukrainian) into
# docs/screenshots, from the same browser tests that check them with axe-core.
screenshots: install browser
	SCREENSHOTS_DIR=docs/screenshots $(PY) -m pytest -q tests/test_public_pages_browser.py tests/test_browser_languages.py

bench: install
	$(PY) -m bench $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check campaign workers tests bench
	$(VENV)/bin/ruff format --check campaign workers tests bench

clean:
	rm -rf $(VENV) instance/campaign.db instance/mail
