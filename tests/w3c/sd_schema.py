"""Check a service description against the SD vocabulary (SHACL shapes beside this file)."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

SHAPES = Path(__file__).with_name("sd-shapes.ttl")


def check_service_description(g: Graph) -> list[str]:
    """Problems found (empty when the description conforms)."""
    from pyshacl import validate

    conforms, report, text = validate(g, shacl_graph=Graph().parse(SHAPES), inference="none")
    if conforms:
        return []
    return [line.strip() for line in text.splitlines() if line.strip().startswith("Message:")] or [text]
