# Incident Ledger: the commands the README promises. Every target bootstraps .venv/ first.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock 2>/dev/null | sha256sum | cut -c1-16)

.PHONY: install run test bench lint format lock clean

install: $(STAMP)

$(STAMP): requirements.lock
	@set -e; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  py="$$(scripts/find-python.sh)"; \
	  echo "Creating $(VENV) with $$py"; \
	  rm -rf $(VENV); "$$py" -m venv $(VENV); \
	fi; \
	$(PY) -m pip install --isolated --quiet --disable-pip-version-check --require-hashes -r requirements.lock; \
	rm -f $(VENV)/.installed-*; touch $@; \
	echo "Dependencies installed into $(VENV)."

run: install
	$(PY) scripts/run.py

test: install
	@scripts/test.sh $(ARGS)

bench: install
	$(PY) bench/run.py $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-resolve the lock file after editing pyproject.toml (needs network access to PyPI).
lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 --generate-hashes -o requirements.lock -q

clean:
	rm -rf $(VENV) var/*.sqlite3* var/broker
