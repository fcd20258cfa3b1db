"""The per-document SHACL gate: a document graph is written only if it conforms.

Two engines give the same results (``tests/test_validate.py``): the default
runs the shapes compiled to SPARQL on an in-memory pyoxigraph store holding a
batch of documents, each in its own named graph and judged on its own (one
query per constraint for the whole batch, ~1 ms a document); ``pyshacl`` runs
pySHACL itself on each document (the reference, ~80 ms a document here). Both
see the ontology's class hierarchy, so ``sh:class arcon:Agent`` accepts a
``Police`` unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as Lit

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH

from kg.rdf.mapping import DocumentGraph
from kg.rdf.tbox import Tbox
from kg.store.embedded import to_rdflib
from kg.validate.compiled import Check, compile_shapes
from kg.validate.report import Violation
from kg.validate.shapes import hierarchy_graph, load_shapes

Engine = Lit["sparql", "pyshacl"]


@dataclass(frozen=True)
class Gate:
    """The shapes, loaded and compiled once per run."""

    shapes: Graph
    hierarchy: Graph
    checks: tuple[Check, ...]  # one query each: many small queries beat one large UNION in pyoxigraph


def load_gate(tbox: Tbox, shapes_folder: Path | None = None) -> Gate:
    shapes = load_shapes(tbox, shapes_folder)
    checks = tuple(compile_shapes(shapes, tbox))
    return Gate(shapes=shapes, hierarchy=hierarchy_graph(tbox), checks=checks)


def check_document(gate: Gate, doc: DocumentGraph, engine: Engine = "sparql") -> list[Violation]:
    """Every violation in one document graph (empty: it may be written)."""
    return check_documents(gate, [doc], engine)[0]


def check_documents(gate: Gate, docs: Sequence[DocumentGraph], engine: Engine = "sparql") -> list[list[Violation]]:
    """The violations of each document, in order; each document is judged on its own graph only."""
    if engine == "pyshacl":
        return [check_with_pyshacl(gate, doc.graph, doc.triples) for doc in docs]
    store = ox.Store()
    store.load(b"".join(doc.nquads() for doc in docs), ox.RdfFormat.N_QUADS)
    found: dict[str, list[Violation]] = {doc.graph: [] for doc in docs}
    for check in gate.checks:
        for row in store.query(check.query):
            value = row["value"]
            found[row["g"].value].append(Violation(
                graph=row["g"].value, focus=to_rdflib(row["this"]), path=check.path,
                value=to_rdflib(value) if value is not None else None, shape=check.shape,
                component=check.component, severity=check.severity, message=check.message))
    return [sorted(found[doc.graph], key=Violation.key) for doc in docs]


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


__all__ = ["Engine", "Gate", "check_document", "check_documents", "check_with_pyshacl", "conforms", "load_gate"]
