"""The ingest loop: skip what is current, extract, map, gate, write; idempotent and crash-safe.

Everything streams: documents are read, extracted, mapped and gated as they
come, so memory stays flat however many documents a run has.

Two ways to write, both leaving each document all there or absent after a
crash (even ``kill -9``):

* **first build** (the store holds no document graph yet): every accepted
  graph goes to ``Store.rebuild``, which the embedded store bulk-loads into a
  fresh folder and swaps in when the run is complete. A crash loses the run,
  never the store; it is several times faster than transactions.
* **update** (the store already has documents): each batch of accepted
  documents is one transaction (``Store.replace_graphs``), and each document
  graph carries its build key (``<graph> arcon:contentHash``) inside the same
  transaction, so a crashed run is resumed by running it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Protocol

from kg.extract.types import Extraction
from kg.ingest.ontology_graphs import ontology_graphs, stored_ontology_hash, sync_ontology
from kg.ingest.quarantine import quarantine, release
from kg.namespaces import ARCON
from kg.rdf import iris
from kg.rdf.mapping import DocumentGraph, build_key, map_extraction
from kg.rdf.tbox import Tbox
from kg.sources.document import Document
from kg.sources.errors import SourceError
from kg.store.base import Store
from kg.validate.gate import Engine, Gate, check_documents, conforms


class Extractor(Protocol):
    """What ingest needs from an extractor: the run it stands for, and extractions for documents."""

    @property
    def run(self) -> str: ...

    def extract(self, documents: Iterable[Document]) -> Iterator[Extraction]: ...


@dataclass
class IngestStats:
    """Running counts, shown by the progress bar and the summary."""

    seen: int = 0
    unchanged: int = 0
    accepted: int = 0  # passed the gate
    written: int = 0  # in the store (a first build writes everything at the end)
    rejected: int = 0
    unreadable: int = 0
    claims: int = 0  # in the accepted documents
    first_build: bool = False
    ontology_updated: bool = False
    started: float = field(default_factory=time.perf_counter)
    gate_ms: list[float] = field(default_factory=list)  # per document (a batch's time shared by its documents)
    reports: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started


Progress = Callable[[IngestStats], None]
Batch = dict[str, bytes]  # graph IRI -> N-Triples of accepted documents


def stored_keys(store: Store) -> dict[str, str]:
    """Build key of every document graph in the store (one query)."""
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
    batch_size: int = 64,
    engine: Engine = "sparql",
    force: bool = False,
    progress: Progress | None = None,
) -> IngestStats:
    """Bring the store up to date with ``items``; see the module docstring for the guarantees."""
    stats = IngestStats()
    current = stored_keys(store)
    own = {iris.ontology_graph(), iris.reference_graph()}
    stats.first_build = not current and set(store.graphs()) <= own
    documents = _to_build(items, {} if force else current, extractor.run, tbox.hash, stats, progress)
    batches = _accepted(extractor.extract(documents), tbox, gate, engine, batch_size, quarantine_dir, stats, progress)
    # Nothing is written before the first batch is ready (the ontology graphs included),
    # so a run that fails while reading or extracting its first batch leaves the store untouched.
    first = next(batches, None)
    batches = chain([first] if first else [], batches)
    if stats.first_build:
        stats.ontology_updated = stored_ontology_hash(store) != tbox.hash
        store.rebuild(chain([ontology_graphs(tbox)], batches))
        stats.written = stats.accepted
    else:
        stats.ontology_updated = sync_ontology(store, tbox)
        for graphs in batches:
            store.replace_graphs(graphs)
            stats.written += len(graphs)
    if progress:
        progress(stats)
    return stats


def _to_build(items: Iterable[Document | SourceError], current: dict[str, str], run: str, ontology_hash: str,
              stats: IngestStats, progress: Progress | None) -> Iterator[Document]:
    """The documents whose graph is missing or out of date; counts the rest."""
    for item in items:
        stats.seen += 1
        if isinstance(item, SourceError):
            stats.unreadable += 1
            stats.errors.append(str(item))
            continue
        if current.get(iris.document_graph(item.id)) == build_key(item.content_hash, run, ontology_hash):
            stats.unchanged += 1
            if progress and stats.unchanged % 500 == 0:
                progress(stats)
            continue
        yield item


def _accepted(extractions: Iterable[Extraction], tbox: Tbox, gate: Gate, engine: Engine, batch_size: int,
              quarantine_dir: Path, stats: IngestStats, progress: Progress | None) -> Iterator[Batch]:
    """Batches of graphs that passed the gate; rejected ones go to quarantine."""
    mapped: list[tuple[DocumentGraph, str]] = []
    for extraction in extractions:
        mapped.append((map_extraction(extraction, tbox), extraction.document.source))
        if len(mapped) == batch_size:
            yield from _gated(mapped, gate, engine, quarantine_dir, stats, progress)
            mapped = []
    yield from _gated(mapped, gate, engine, quarantine_dir, stats, progress)


def _gated(mapped: list[tuple[DocumentGraph, str]], gate: Gate, engine: Engine, quarantine_dir: Path,
           stats: IngestStats, progress: Progress | None) -> Iterator[Batch]:
    """The accepted graphs of one batch (at most one item); the gate judges the batch in one go."""
    if not mapped:
        return
    started = time.perf_counter()
    verdicts = check_documents(gate, [graph for graph, _ in mapped], engine)
    share = (time.perf_counter() - started) * 1000 / len(mapped)
    accepted: Batch = {}
    for (graph, source), violations in zip(mapped, verdicts):
        stats.gate_ms.append(share)
        if conforms(violations):
            accepted[graph.graph] = graph.ntriples()
            stats.accepted += 1
            stats.claims += graph.claims
            release(quarantine_dir, graph.doc_id)
        else:
            stats.rejected += 1
            stats.reports.append(quarantine(quarantine_dir, graph, source, violations))
    if accepted:
        yield accepted
    if progress:
        progress(stats)


__all__ = ["Extractor", "IngestStats", "ingest", "stored_keys"]
