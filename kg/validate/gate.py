"""The per-document SHACL gate: a document graph is written only if it conforms.

Two engines give the same results (``tests/test_validate.py``): the default
runs the shapes compiled to one SPARQL query on an in-memory pyoxigraph store
holding just the document (a few ms); ``pyshacl`` runs pySHACL itself (the
reference, ~60 ms a document here). Both see the document with the ontology's
class hierarchy beside it, so ``sh:class arcon:Agent`` accepts a ``Police`` unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal as Lit

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH

from kg.rdf.mapping import DocumentGraph
from kg.rdf.tbox import Tbox
from kg.store.embedded import to_rdflib
from kg.validate.compiled import Check, compile_shapes, document_query
from kg.validate.report import Violation
from kg.validate.shapes import hierarchy_graph, load_shapes

Engine = Lit["sparql", "pyshacl"]


@dataclass(frozen=True)
class Gate:
    """The shapes, loaded and compiled once per run."""

    shapes: Graph
    hierarchy: Graph
    checks: tuple[Check, ...]
    queries: tuple[str, ...]  # one per check: many small queries beat one large UNION in pyoxigraph


def load_gate(tbox: Tbox, shapes_folder: Path | None = None) -> Gate:
    shapes = load_shapes(tbox, shapes_folder)
    checks = tuple(compile_shapes(shapes, tbox))
    return Gate(shapes=shapes, hierarchy=hierarchy_graph(tbox), checks=checks,
                queries=tuple(document_query(c) for c in checks))


def check_document(gate: Gate, doc: DocumentGraph, engine: Engine = "sparql") -> list[Violation]:
    """Every violation in one document graph (empty: it may be written)."""
    if engine == "pyshacl":
        return check_with_pyshacl(gate, doc.graph, doc.triples)
    store = ox.Store()
    store.load(doc.ntriples(), ox.RdfFormat.N_TRIPLES)
    out = []
    for check, query in zip(gate.checks, gate.queries):
        for row in store.query(query):
            value = row["value"]
            out.append(Violation(
                graph=doc.graph, focus=to_rdflib(row["this"]), path=check.path,
                value=to_rdflib(value) if value is not None else None, shape=check.shape,
                component=check.component, severity=check.severity, message=check.message))
    return sorted(out, key=Violation.key)


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


__all__ = ["Engine", "Gate", "check_document", "check_with_pyshacl", "conforms", "load_gate"]
