"""The ingest loop: skip what is current, extract, map, gate, write in atomic batches.

Crash safety comes from the store: each batch of accepted documents is one
transaction, and each document graph carries its build key
(``<graph> arcon:contentHash``) inside the same transaction, so after a crash a
document is either fully there with its key, or absent and ingested again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kg.extract.types import Extraction
from kg.namespaces import ARCON
from kg.rdf import iris
from kg.rdf.mapping import build_key, map_extraction
from kg.rdf.tbox import Tbox
from kg.sources.document import Document
from kg.sources.errors import SourceError
from kg.store.base import Store
from kg.validate.gate import Engine, Gate, check_document, conforms
from kg.ingest.ontology_graphs import sync_ontology
from kg.ingest.quarantine import quarantine, release


class Extractor(Protocol):
    """What ingest needs from an extractor: the run it stands for, and extractions for documents."""

    @property
    def run(self) -> str: ...

    def extract(self, documents: Iterable[Document]) -> Iterator[Extraction]: ...


@dataclass
class IngestStats:
    """Running counts, shown by the progress bar and the summary."""

    total: int = 0
    seen: int = 0
    unchanged: int = 0
    written: int = 0
    rejected: int = 0
    unreadable: int = 0
    claims: int = 0
    ontology_updated: bool = False
    started: float = field(default_factory=time.perf_counter)
    gate_ms: list[float] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


def stored_keys(store: Store) -> dict[str, str]:
    """Build key of every document graph in the store."""
    prefix = iris.base() + "graph/doc/"
    rows = store.query(f"SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?g <{ARCON.contentHash}> ?h }} }}").rows()
    return {str(r["g"]): str(r["h"]) for r in rows if str(r["g"]).startswith(prefix)}


def ingest(
    items: Iterable[Document | SourceError],
    extractor: Extractor,
    store: Store,
    tbox: Tbox,
    gate: Gate,
    quarantine_dir: Path,
    *,
    total: int = 0,
    batch_size: int = 32,
    engine: Engine = "sparql",
    force: bool = False,
    progress: Callable[[IngestStats], None] | None = None,
) -> IngestStats:
    """Bring the store up to date with ``items``; see the module docstring for the guarantees."""
    stats = IngestStats(total=total)
    current = {} if force else stored_keys(store)
    pending: list[Document] = []
    synced = False

    def before_write() -> None:
        # The ontology graphs are brought up to date just before the first write, so a
        # run that fails while extracting its first batch leaves the store untouched.
        nonlocal synced
        if not synced:
            stats.ontology_updated = sync_ontology(store, tbox)
            synced = True

    def flush() -> None:
        if pending:
            _process(pending, extractor, store, tbox, gate, quarantine_dir, engine, stats, before_write)
            pending.clear()
        if progress:
            progress(stats)

    for item in items:
        stats.seen += 1
        if isinstance(item, SourceError):
            stats.unreadable += 1
            stats.errors.append(str(item))
            continue
        key = build_key(item.content_hash, extractor.run, tbox.hash)
        if current.get(iris.document_graph(item.id)) == key:
            stats.unchanged += 1
            if progress and stats.unchanged % 500 == 0:
                progress(stats)
            continue
        pending.append(item)
        if len(pending) >= batch_size:
            flush()
    flush()
    before_write()
    return stats


def _process(
    docs: list[Document], extractor: Extractor, store: Store, tbox: Tbox, gate: Gate,
    quarantine_dir: Path, engine: Engine, stats: IngestStats, before_write: Callable[[], None],
) -> None:
    accepted: dict[str, bytes] = {}
    claims = 0
    sources = {d.id: d.source for d in docs}
    for extraction in extractor.extract(docs):
        graph = map_extraction(extraction, tbox)
        started = time.perf_counter()
        violations = check_document(gate, graph, engine)
        stats.gate_ms.append((time.perf_counter() - started) * 1000)
        if conforms(violations):
            accepted[graph.graph] = graph.ntriples()
            claims += graph.claims
            release(quarantine_dir, graph.doc_id)
        else:
            stats.rejected += 1
            stats.reports.append(quarantine(quarantine_dir, graph, sources.get(graph.doc_id, ""), violations))
    before_write()
    if accepted:
        store.replace_graphs(accepted)
        stats.written += len(accepted)
        stats.claims += claims


__all__ = ["Extractor", "IngestStats", "ingest", "stored_keys"]
