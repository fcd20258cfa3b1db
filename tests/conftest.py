"""Shared fixtures: the graph build is tested against the real ontology in ``ontology/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_fixtures import ROOT


def ontology_folder() -> Path:
    """The repository's ontology (tests that need a small or broken one copy and edit it)."""
    return ROOT / "ontology"


@pytest.fixture(scope="session")
def tbox():
    from kg.rdf.tbox import load_tbox

    return load_tbox(ontology_folder())


@pytest.fixture()
def ontology_env(monkeypatch):
    """Point ARCON_ONTOLOGY_DIR at the ontology under test (for CLI runs and subprocesses)."""
    monkeypatch.setenv("ARCON_ONTOLOGY_DIR", str(ontology_folder()))
    return ontology_folder()


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory) -> Path:
    """The sample corpus (examples/corpus, 120 articles) built once per session by the real `arcon ingest`.

    spaCy extraction, the gate and the store, in a subprocess as a user runs it
    (~20 s). Tests read it; a test that writes takes a copy.
    """
    import os
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("corpus-kg")
    store = folder / "store"
    env = {**os.environ, "ARCON_ONTOLOGY_DIR": str(ontology_folder())}
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", "ingest", str(ROOT / "examples" / "corpus"), "--store", str(store),
         "--quarantine", str(folder / "quarantine"), "--quiet"],
        env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "written 120" in result.stdout, result.stdout
    return store
