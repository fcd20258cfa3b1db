"""Validate a whole store: every document graph as the gate judged it, the shared graphs, and the entities graph's upkeep.

* **Document graphs** are read back in batches and run through the gate,
  each with the context it implies (kg.rdf.entities.context_triples), so a
  store check and the gate agree on every document (``tests/test_validate.py``).
* **The other graphs** (ontology, reference data, entities graph, anything
  written through the Graph Store) are checked by the same compiled shapes,
  each graph on its own: ISO codes in the reference data, a label on every
  agent and place in the entities graph.
* **The entities graph** must be what the stored mentions imply
  (kg.ingest.entities): a description missing or left over (say, after a raw
  SPARQL update of a document graph) is reported with the triple concerned.

Shapes and class hierarchy come from the ontology files now, so an ontology
edit that makes stored data invalid is reported before anything is re-ingested.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from rdflib import URIRef
from rdflib.namespace import SH

from kg.ingest.entities import derived_entities, stored_entities
from kg.rdf import iris
from kg.rdf.tbox import Tbox
from kg.store.base import Store
from kg.validate.gate import Gate, check_nquads
from kg.validate.report import Violation

BATCH = 64
ARCONSH = "https://w3id.org/arcon/shapes#"
Progress = Callable[[int, int], None]


def _graph_nquads(store: Store, graph: str) -> bytes:
    """One stored graph as N-Quads (the store writes N-Triples one statement a line, ending " .")."""
    out = io.BytesIO()
    store.dump(out, "application/n-triples", graph)
    return out.getvalue().replace(b" .\n", f" <{graph}> .\n".encode())


def _documents(gate: Gate, store: Store, graphs: list[str]) -> list[Violation]:
    """The gate over stored documents, each with its context, as ingest ran it."""
    data = b"".join(_graph_nquads(store, g) for g in graphs)
    return [v for found in check_nquads(gate, data).values() for v in found]


def _shared_graphs(gate: Gate, store: Store, graphs: list[str]) -> list[Violation]:
    """The compiled checks over the graphs that are no document, each judged on its own."""
    data = b"".join(_graph_nquads(store, g) for g in graphs)
    return [v for found in check_nquads(gate, data, documents=False).values() for v in found] if data else []


def entities_in_step(store: Store, tbox: Tbox) -> list[Violation]:
    """Differences between the stored entities graph and the one the stored mentions imply."""
    stored, derived = set(stored_entities(store)), set(derived_entities(store, tbox))
    graph = iris.entities_graph()
    shape = URIRef(ARCONSH + "EntitiesInStep")
    out = []
    for triples, message in (
        (derived - stored, "missing from the entities graph: the stored articles' mentions imply it "
                           "(run `arcon store refresh-entities`)"),
        (stored - derived, "in the entities graph, but no stored article's mentions imply it "
                           "(run `arcon store refresh-entities`)"),
    ):
        for s, p, o in sorted(triples):
            out.append(Violation(graph=graph, focus=s, path=p, value=o, shape=shape,
                                 component=SH.SPARQLConstraintComponent, severity=SH.Violation, message=message))
    return out


def check_store(gate: Gate, store: Store, tbox: Tbox, on_batch: Progress | None = None) -> list[Violation]:
    prefix = iris.document_graph_prefix()
    graphs = store.graphs()
    documents = [g for g in graphs if g.startswith(prefix)]
    out = _shared_graphs(gate, store, [g for g in graphs if not g.startswith(prefix)])
    out += entities_in_step(store, tbox)
    for start in range(0, len(documents), BATCH):
        out += _documents(gate, store, documents[start:start + BATCH])
        if on_batch:
            on_batch(min(start + BATCH, len(documents)), len(documents))
    return sorted(out, key=lambda v: (v.graph, v.key()))
