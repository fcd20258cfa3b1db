# Two commands for a fresh machine (see README):
#   make demo   set up .venv and run the main job on the embedded store
#   make test   set up .venv and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test venv lock clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==26.3"
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: venv
	$(BIN)/arcon ontology check
	$(BIN)/arcon ontology docs --out build/ontology-docs
	# knowledge graph: build from the bundled corpus into the default store (./data/store), check it
	$(BIN)/arcon ingest examples/corpus
	$(BIN)/arcon validate
	$(BIN)/arcon store stats

test: venv
	$(BIN)/python -m pytest

# Re-pin every dependency (runtime, model, tests) from a throw-away venv.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet --upgrade "pip==26.3"
	build/lock-venv/bin/pip install --quiet ".[model,test]"
	build/lock-venv/bin/pip freeze --exclude arcon-kg | sort -f > requirements.lock

clean:
	rm -rf $(VENV) build dist
