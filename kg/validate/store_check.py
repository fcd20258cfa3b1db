"""Validate a whole store: the compiled checks run inside the store, per named graph.

Each check judges every graph by itself (``GRAPH ?g``), as the gate judged each
document, so a store check and a re-run of the gate on every document agree
(``tests/test_validate.py``); it also covers the reference graph (ISO codes).
Shapes and class hierarchy come from the ontology files now, so an ontology
edit that makes stored data invalid is reported before anything is re-ingested.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.store.base import Store
from kg.validate.compiled import store_query
from kg.validate.gate import Gate
from kg.validate.report import Violation


def check_store(gate: Gate, store: Store, on_check: Callable[[int, int], None] | None = None) -> list[Violation]:
    out: list[Violation] = []
    for number, check in enumerate(gate.checks, 1):
        for row in store.query(store_query(check)).rows():
            out.append(Violation(
                graph=str(row["g"]), focus=row["this"], path=check.path, value=row.get("value"),
                shape=check.shape, component=check.component, severity=check.severity, message=check.message))
        if on_check:
            on_check(number, len(gate.checks))
    return sorted(out, key=lambda v: (v.graph, v.key()))
