"""Where rejected documents go: their graph and a readable report, one pair of files per document.

``<folder>/<doc-key>.nt`` is the graph that failed (N-Triples, as it would have
been written), ``<doc-key>.txt`` the report in words (source, document id, and
for each violation: shape, focus node, value, message), ``<doc-key>.ttl`` the
same report as a SHACL ``sh:ValidationReport``. A document that later passes has
its quarantine files removed.
"""

from __future__ import annotations

import os
from pathlib import Path

from kg.rdf import iris
from kg.rdf.mapping import DocumentGraph
from kg.validate.report import Violation, format_text, report_graph


def default_quarantine(store_location: str) -> Path:
    """``$ARCON_QUARANTINE``, else a ``quarantine`` folder beside the store folder (./data/quarantine)."""
    override = os.environ.get("ARCON_QUARANTINE")
    if override:
        return Path(override)
    return Path(store_location).resolve().parent / "quarantine"


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)  # never a half-written report


def quarantine(folder: Path, doc: DocumentGraph, source: str, violations: list[Violation]) -> Path:
    """Write the rejected graph and its report; return the report's path."""
    folder.mkdir(parents=True, exist_ok=True)
    key = iris.doc_key(doc.doc_id)
    header = (f"document {doc.doc_id}\nsource   {source or '-'}\ngraph    <{doc.graph}>\n"
              f"rejected by the SHACL gate: {len(violations)} results\n\n")
    _write(folder / f"{key}.nt", doc.ntriples())
    _write(folder / f"{key}.ttl", report_graph(violations).serialize(format="turtle").encode("utf-8"))
    report = folder / f"{key}.txt"
    _write(report, (header + format_text(violations)).encode("utf-8"))
    return report


def release(folder: Path, doc_id: str) -> None:
    """Forget an earlier rejection of a document that now passes."""
    key = iris.doc_key(doc_id)
    for suffix in (".nt", ".ttl", ".txt"):
        (folder / f"{key}{suffix}").unlink(missing_ok=True)
