"""The per-document SHACL gate: a document graph is written only if it conforms.

Two engines give the same results (``tests/test_validate.py``): the default
runs the shapes compiled to SPARQL on an in-memory pyoxigraph store holding a
batch of documents, each in its own named graph and judged on its own (one
query per constraint for the whole batch, ~1 ms a document); ``pyshacl`` runs
pySHACL itself on each document (the reference, ~80 ms a document here). Both
see the ontology's class hierarchy, so ``sh:class arcon:Agent`` accepts a
``Police`` unit.

A document graph holds no entity descriptions (they live once in the entities
graph and the reference data); each document is judged together with the
descriptions it implies (its *context*, kg.rdf.entities.context_triples), so
"a claim's subject has a type and a label" and the relations' domains and
ranges are checked on what this document says. pySHACL gets the context from
that Python function; the compiled engine computes it in SPARQL inside its
store (:data:`CONTEXT_UPDATE`), which spares turning stored graphs into Python
values in ``arcon validate``. The tests check both give the same results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as Lit

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDFS, SH

from kg.namespaces import ARCON
from kg.rdf.entities import context_triples, curated_description
from kg.rdf.mapping import DocumentGraph
from kg.rdf.ntriples import nquads
from kg.rdf.tbox import Tbox
from kg.store.embedded import to_rdflib
from kg.validate.compiled import Check, compile_shapes
from kg.validate.report import Violation
from kg.validate.shapes import hierarchy_graph, load_shapes

Engine = Lit["sparql", "pyshacl"]


#: Where the compiled engine keeps the curated descriptions while it computes contexts.
CURATED_GRAPH = "urn:arcon:gate:curated"
_ARCON, _RDFS = str(ARCON), str(RDFS)
#: kg.rdf.entities.context_triples in SPARQL, for every graph of the gate's store at once.
CONTEXT_UPDATE = f"""
INSERT {{ GRAPH ?g {{ ?e a ?t }} }} WHERE {{
  GRAPH ?g {{ ?x ?p ?e FILTER(?p IN (<{_ARCON}mentionOf>, <{_ARCON}subject>, <{_ARCON}object>, <{_ARCON}place>)) }}
  GRAPH <{CURATED_GRAPH}> {{ ?e a ?t }} }} ;
INSERT {{ GRAPH ?g {{ ?e <{_RDFS}label> ?l }} }} WHERE {{
  GRAPH ?g {{ ?x ?p ?e FILTER(?p IN (<{_ARCON}mentionOf>, <{_ARCON}subject>, <{_ARCON}object>, <{_ARCON}place>)) }}
  GRAPH <{CURATED_GRAPH}> {{ ?e <{_RDFS}label> ?l }} }} ;
INSERT {{ GRAPH ?g {{ ?e a ?c }} }} WHERE {{
  GRAPH ?g {{ ?m <{_ARCON}mentionOf> ?e ; <{_ARCON}mentionClass> ?c }}
  FILTER NOT EXISTS {{ GRAPH <{CURATED_GRAPH}> {{ ?e a ?curated }} }} }} ;
INSERT {{ GRAPH ?g {{ ?e <{_RDFS}label> ?n }} }} WHERE {{
  GRAPH ?g {{ ?m <{_ARCON}mentionOf> ?e ; <{_ARCON}mentionName> ?n }}
  FILTER NOT EXISTS {{ GRAPH <{CURATED_GRAPH}> {{ ?e a ?curated }} }} }} ;
DROP GRAPH <{CURATED_GRAPH}>
"""


@dataclass(frozen=True)
class Gate:
    """The shapes, loaded and compiled once per run, and what the context of a document is made from."""

    shapes: Graph
    hierarchy: Graph
    checks: tuple[Check, ...]  # one query each: many small queries beat one large UNION in pyoxigraph
    tbox: Tbox
    curated: bytes  # N-Quads: the curated descriptions, in CURATED_GRAPH


def load_gate(tbox: Tbox, shapes_folder: Path | None = None) -> Gate:
    shapes = load_shapes(tbox, shapes_folder)
    checks = tuple(compile_shapes(shapes, tbox))
    curated = sorted(t for known in tbox.individuals.values() for t in curated_description(known))
    return Gate(shapes=shapes, hierarchy=hierarchy_graph(tbox), checks=checks, tbox=tbox,
                curated=nquads(curated, CURATED_GRAPH))


def check_document(gate: Gate, doc: DocumentGraph, engine: Engine = "sparql") -> list[Violation]:
    """Every violation in one document graph (empty: it may be written)."""
    return check_documents(gate, [doc], engine)[0]


def check_documents(gate: Gate, docs: Sequence[DocumentGraph], engine: Engine = "sparql") -> list[list[Violation]]:
    """The violations of each document, in order; each document is judged on its own graph only."""
    if engine == "pyshacl":
        return [check_with_pyshacl(gate, doc.graph, (*doc.triples, *context_triples(doc.triples, gate.tbox)))
                for doc in docs]
    found = check_nquads(gate, b"".join(doc.nquads() for doc in docs))
    return [sorted(found.get(doc.graph, []), key=Violation.key) for doc in docs]


def check_nquads(gate: Gate, data: bytes, *, documents: bool = True) -> dict[str, list[Violation]]:
    """The compiled checks over N-Quads, each graph judged on its own: the violations by graph.

    With ``documents``, each graph is first given its context (the gate's view
    of a document graph); without, graphs are judged as they are (the
    reference data, the entities graph).
    """
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_QUADS)
    if documents:
        store.load(gate.curated, ox.RdfFormat.N_QUADS)
        store.update(CONTEXT_UPDATE)
    found: dict[str, list[Violation]] = {}
    for check in gate.checks:
        for row in store.query(check.query):
            value = row["value"]
            found.setdefault(row["g"].value, []).append(Violation(
                graph=row["g"].value, focus=to_rdflib(row["this"]), path=check.path,
                value=to_rdflib(value) if value is not None else None, shape=check.shape,
                component=check.component, severity=check.severity, message=check.message))
    return found


def check_with_pyshacl(gate: Gate, graph: str, triples) -> list[Violation]:
    """The reference engine: pySHACL over the document plus the class hierarchy."""
    import pyshacl

    data = Graph()
    for t in triples:
        data.add(t)
    data += gate.hierarchy
    _, report, _ = pyshacl.validate(data, shacl_graph=gate.shapes, advanced=True, inference="none",
                                    allow_warnings=True)
    out = []
    for result in report.subjects(SH.resultSeverity, None):
        message = report.value(result, SH.resultMessage)
        out.append(Violation(
            graph=graph,
            focus=report.value(result, SH.focusNode),
            path=report.value(result, SH.resultPath),
            value=report.value(result, SH.value),
            shape=report.value(result, SH.sourceShape),
            component=report.value(result, SH.sourceConstraintComponent),
            severity=report.value(result, SH.resultSeverity),
            message=str(message) if message is not None else "",
        ))
    return sorted(out, key=Violation.key)


def conforms(violations: list[Violation]) -> bool:
    """Only violations block a document; warnings and infos are reported."""
    return not any(v.severity == SH.Violation for v in violations)


__all__ = ["Engine", "Gate", "check_document", "check_documents", "check_nquads", "check_with_pyshacl", "conforms", "load_gate"]
