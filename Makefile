# Two commands for a fresh machine (see README):
#   make demo   set up .venv and run the main job on the embedded store
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test venv browser lock clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock package.json package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==26.3"
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	# Query page (issue 5): YASGUI from npm into the package, never committed, never from a CDN.
	npm ci --no-audit --no-fund --ignore-scripts --silent
	mkdir -p kg/api/static/vendor/yasgui
	cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css kg/api/static/vendor/yasgui/
	touch $(STAMP)

demo: venv
	$(BIN)/arcon ontology check
	$(BIN)/arcon ontology docs --out build/ontology-docs
	# knowledge graph: build from the bundled corpus into the default store (./data/store), check it
	$(BIN)/arcon ingest examples/corpus
	$(BIN)/arcon validate
	$(BIN)/arcon store stats
	# serve it (Ctrl-C stops it): query page, SPARQL endpoint, named queries, linked data
	$(BIN)/arcon serve --store data/store --host $(DEMO_HOST) --port $(DEMO_PORT)

test: venv browser
	$(BIN)/python -m pytest

# The query-page test drives Debian's chromium (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install chromium' (Debian), then make test again" >&2; exit 1; \
	  fi; }

# Re-pin every dependency (runtime, model, tests) from a throw-away venv.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet --upgrade "pip==26.3"
	build/lock-venv/bin/pip install --quiet ".[model,test]"
	build/lock-venv/bin/pip freeze --exclude arcon-kg | sort -f > requirements.lock

clean:
	rm -rf $(VENV) build dist
