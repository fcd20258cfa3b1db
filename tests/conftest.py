"""Shared fixtures: the ontology the graph build is tested against."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_fixtures import FIXTURE_ONTOLOGY, ROOT


def ontology_folder() -> Path:
    """The real ontology when the repository has it, else the small stand-in under tests/fixtures."""
    real = ROOT / "ontology"
    return real if (real / "arcon.ttl").is_file() else FIXTURE_ONTOLOGY


@pytest.fixture(scope="session")
def tbox():
    from kg.rdf.tbox import load_tbox

    return load_tbox(ontology_folder())


@pytest.fixture()
def ontology_env(monkeypatch):
    """Point ARCON_ONTOLOGY_DIR at the ontology under test (for CLI runs and subprocesses)."""
    monkeypatch.setenv("ARCON_ONTOLOGY_DIR", str(ontology_folder()))
    return ontology_folder()
