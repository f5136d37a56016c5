# Reintegrate: two commands set it up. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUNTIME := $(VENV)/.installed-runtime
HOST   ?= 127.0.0.1:8000

.PHONY: run test lint typecheck pytest test-pg e2e screenshots chromium install demo clean

install: $(STAMP)

# `make run` needs only what the application runs on; the test tools (the browser driver among them) come with
# `make test`, `make e2e` and `make install`.
$(RUNTIME): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import django, weasyprint, docxtpl" # fail loudly if the install did not complete
	touch $@

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt 2>&1 | grep -v "is ignored" || true
	$(BIN)/python -c "import django, pytest, ruff" # fail loudly if the install did not complete
	touch $@ $(RUNTIME)

run: $(RUNTIME)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py runserver $(HOST)

demo: $(RUNTIME)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

pytest: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -q -p no:cacheprovider

test: lint typecheck pytest

# The same suite against PostgreSQL (DATABASE_URL must point at a server; .ci/run provides one).
test-pg: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

# Browser journeys with axe-core on every page, in Debian's Chromium (installed here when missing; needs root).
# The pages are tested with exactly these fonts: Liberation Sans (metric-compatible with Arial, the stylesheet's
# first choice) and DejaVu (WeasyPrint's documents). Whatever else a machine has, the journeys see the same text.
CHROMIUM ?= /usr/bin/chromium
E2E_PACKAGES := chromium fonts-liberation fonts-dejavu-core
chromium:
	@missing=$$(for package in $(E2E_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" || echo $$package; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's packages for the browser journeys:" $$missing; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(E2E_PACKAGES); \
	fi

e2e: $(STAMP) chromium
	CHROMIUM=$(CHROMIUM) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -q -p no:cacheprovider e2e

# The README's pictures of the key pages, taken from the demo school in the browser.
screenshots: $(STAMP) chromium
	@command -v pdftoppm >/dev/null || apt-get install -y -q --no-install-recommends poppler-utils
	CHROMIUM=$(CHROMIUM) DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m e2e.screenshots

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-shm db.sqlite3-wal
