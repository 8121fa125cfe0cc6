# The two commands of the README, plus the benchmark. Everything else is set up by these.
VENV   ?= .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: run test bench install translations translations-update lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations
	@mkdir -p instance

translations: $(STAMP)
	@if [ -d campaign/translations ]; then $(VENV)/bin/pybabel -q compile -d campaign/translations; fi

# Texts are written in Dutch; this refreshes the English catalogue after texts change.
translations-update: $(STAMP)
	@mkdir -p campaign/translations
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o campaign/translations/messages.pot .
	@if [ -f campaign/translations/en/LC_MESSAGES/messages.po ]; then \
	  $(VENV)/bin/pybabel -q update -N -i campaign/translations/messages.pot -d campaign/translations -l en; \
	else $(VENV)/bin/pybabel -q init -i campaign/translations/messages.pot -d campaign/translations -l en; fi

run: install
	$(FLASK) db upgrade
	$(FLASK) campaign seed
	$(FLASK) campaign demo
	$(PY) -m campaign.dev.stack

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m bench $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check campaign workers tests bench
	$(VENV)/bin/ruff format --check campaign workers tests bench

clean:
	rm -rf $(VENV) instance/campaign.db instance/mail
