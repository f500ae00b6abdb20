# Front door. `make site` and `make test` are the two commands a new user needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := tests/browser/node_modules/.installed

.PHONY: setup site test validate compute serve bench lock clean

# The virtual environment is rebuilt only when the lock file or the package metadata change.
# Every dependency is pinned with the hashes of its files: a tampered or unpinned package
# fails here (--require-hashes), not in the site. The project itself is installed apart,
# editable and without dependencies (it is this folder, not a download).
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Only the virtual environment (CI runs `portal validate` and `portal diff` before the tests).
setup: $(STAMP)

site: $(STAMP)
	$(BIN)/portal build

validate: $(STAMP)
	$(BIN)/portal validate

compute: $(STAMP)
	$(BIN)/portal compute

# Preview at http://127.0.0.1:8000: an edit to the data, definitions or site_src/ is
# validated and only the pages it changes are rebuilt (mkdocs serve --dirty).
serve: $(STAMP)
	$(BIN)/portal serve

# axe-core for the accessibility tests, from the npm registry (needs node and npm).
$(NODE_STAMP): tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest

# National-scale benchmark (synthetic data; about 15 minutes on 2 cores at 10, 40 and 170 satkers): prints a table.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Recompile exact pins, with the hashes of every file each release has on PyPI (all
# platforms), after editing requirements.in.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-header --no-emit-index-url --no-emit-find-links --allow-unsafe --output-file requirements.lock requirements.in

clean:
	rm -rf $(VENV) site build .pytest_cache
