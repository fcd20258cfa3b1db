"""The shapes every document graph must satisfy: ``shapes/*.ttl`` plus those generated from the ontology."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kg.rdf.tbox import Tbox
from kg.resources import shapes_dir
from kg.validate.generated import generated_shapes


def load_shapes(tbox: Tbox, folder: Path | None = None) -> Graph:
    """Parse every shape file and add the generated shapes; a broken file is named in the error."""
    folder = Path(folder) if folder else shapes_dir()
    files = sorted(folder.glob("*.ttl"))
    if not files:
        raise FileNotFoundError(f"no SHACL shape files (*.ttl) in {folder}")
    shapes = generated_shapes(tbox)
    for path in files:
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise ValueError(f"{path}: cannot parse the shapes: {exc}") from exc
    return shapes


def hierarchy_graph(tbox: Tbox) -> Graph:
    """``rdfs:subClassOf`` from every class to each of its ancestors: what ``sh:class`` needs beside a document."""
    g = Graph()
    for cls, ancestors in tbox.superclasses.items():
        for ancestor in ancestors:
            if ancestor != cls:
                g.add((URIRef(cls), RDFS.subClassOf, URIRef(ancestor)))
    return g
