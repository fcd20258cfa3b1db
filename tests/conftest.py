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
