"""Shared set-up for the extraction tests: pipelines built once, on a private cache."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_ONTOLOGY = ROOT / "tests" / "fixtures" / "extract-ontology"
REAL_ONTOLOGY = ROOT / "ontology"
