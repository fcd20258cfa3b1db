"""The default store: pyoxigraph on RocksDB in a folder on disk.

Every write is one pyoxigraph transaction, so a crash leaves each graph either
as it was or as it was meant to become; a first build (``rebuild``) instead
bulk-loads a fresh folder and swaps it in whole (``kg.store.swap``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.store import swap
from kg.store.base import Dataset, QueryForm, QuerySyntaxError, StoreError, StoreStats
from kg.store.sparql_text import has_dataset_clause

DEFAULT_LOCATION = "data/store"
# A first build hands this much N-Quads text to each bulk load: bigger chunks
# make fewer, larger sorted files; chunks of 32–128 MB load within the noise of
# one bulk load of everything (12,000 documents, 640 MB) and keep memory flat.
BULK_CHUNK_BYTES = 64 * 2**20
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def default_location() -> str:
    """``$ARCON_STORE`` when set, else ``./data/store``."""
    return os.environ.get("ARCON_STORE") or DEFAULT_LOCATION


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Identifier:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # a simple literal, as rdflib writes it
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported RDF term {term!r}")


def to_oxigraph(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


def _rdf_format(media_type: str) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise StoreError(f"unsupported RDF media type {media_type!r}")
    return fmt


def _ntriples_to_nquads(data: bytes, graph: str) -> bytes | None:
    """Put every statement of an N-Triples document into ``graph``, or None when that is not safe by text.

    A statement ends its line with " ." (N-Triples has no multi-line
    statements); blank and comment lines pass through. Any other line (a
    trailing comment, say) returns None and the caller parses properly.
    """
    name = f" <{graph}> .".encode()
    if data.endswith(b" .\n") and data.count(b"\n") == data.count(b" .\n"):
        # Every line ends with " ." (as kg.rdf.ntriples writes it): a raw line break cannot
        # occur inside a term, so one replace at C speed names the graph on every line.
        return data.replace(b" .\n", name + b"\n")
    out = []
    for line in data.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(b"#"):
            continue
        if not stripped.endswith(b".") or stripped.startswith(b"@"):
            return None
        out.append(stripped[:-1].rstrip() + name)
    out.append(b"")
    return b"\n".join(out)


def _as_graph_blocks(quads: list[ox.Quad]) -> str:
    """``GRAPH <g> { triples }`` blocks for an INSERT DATA, one per graph, in input order."""
    blocks: dict[str, list[str]] = {}
    for q in quads:
        blocks.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return "\n".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in blocks.items())


def _bulk_load(target: ox.Store, chunk: list[tuple[str, bytes]]) -> None:
    """Bulk-load (graph, N-Quads) pairs; a syntax error names the graph it is in."""
    if not chunk:
        return
    try:
        target.bulk_load(b"".join(data for _, data in chunk), ox.RdfFormat.N_QUADS)
    except SyntaxError as exc:
        for graph, data in chunk:
            try:
                for _ in ox.parse(data, ox.RdfFormat.N_QUADS):
                    pass
            except SyntaxError as culprit:
                raise QuerySyntaxError(f"malformed N-Triples for graph <{graph}>: {culprit}") from exc
        raise QuerySyntaxError(f"malformed N-Triples: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"bulk load failed: {exc}") from exc


class EmbeddedResult:
    """A pyoxigraph query answer behind the `QueryResult` protocol."""

    def __init__(self, raw: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, form: QueryForm):
        self._raw = raw
        self.form: QueryForm = form
        self.variables = [v.value for v in raw.variables] if isinstance(raw, ox.QuerySolutions) else []

    def rows(self) -> Iterator[dict[str, Identifier]]:
        if not isinstance(self._raw, ox.QuerySolutions):
            raise StoreError(f"a {self.form} query has no rows")
        names = self.variables
        for solution in self._raw:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)
            yield row

    def boolean(self) -> bool:
        if not isinstance(self._raw, ox.QueryBoolean):
            raise StoreError(f"a {self.form} query has no boolean answer")
        return bool(self._raw)

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        if not isinstance(self._raw, ox.QueryTriples):
            raise StoreError(f"a {self.form} query has no triples")
        for t in self._raw:
            yield to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)

    def write(self, out: BinaryIO, media_type: str) -> None:
        if isinstance(self._raw, ox.QueryTriples):
            self._raw.serialize(out, _rdf_format(media_type))
            return
        fmt = ox.QueryResultsFormat.from_media_type(media_type)
        if fmt is None:
            raise StoreError(f"unsupported result media type {media_type!r}")
        self._raw.serialize(out, fmt)


def _query_form(raw: object, sparql: str) -> QueryForm:
    if isinstance(raw, ox.QuerySolutions):
        return "SELECT"
    if isinstance(raw, ox.QueryBoolean):
        return "ASK"
    # CONSTRUCT and DESCRIBE both give triples; tell them apart for the protocol layer.
    from kg.store.sparql_text import query_form

    return "DESCRIBE" if query_form(sparql) == "DESCRIBE" else "CONSTRUCT"


class EmbeddedStore:
    """`Store` over a pyoxigraph store in a folder (created on first use)."""

    def __init__(self, location: str | os.PathLike[str], *, read_only: bool = False):
        self.location = str(location)
        self._read_only = read_only
        try:
            swap.recover(self.location)
            if read_only:
                self._store = ox.Store.read_only(self.location)
            else:
                Path(self.location).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(self.location)
        except OSError as exc:
            raise StoreError(f"cannot open store at {self.location}: {exc}") from exc

    # -- writes -----------------------------------------------------------------
    def replace_graph(self, graph: str | None, data: bytes, media_type: str = "application/n-triples") -> None:
        triples = self._parse(data, media_type, graph)
        body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
        if graph is None:  # the store's own default graph
            self._update(f"CLEAR SILENT DEFAULT ;\nINSERT DATA {{\n{body}\n}}")
            return
        iri = ox.NamedNode(graph)  # validates: the IRI cannot break out of <…>
        self._update(f"DROP SILENT GRAPH {iri} ;\nINSERT DATA {{ GRAPH {iri} {{\n{body}\n}} }}")

    def replace_graphs(self, graphs: Mapping[str, bytes], media_type: str = "application/n-triples") -> None:
        existing = [g for g in graphs if self._store.contains_named_graph(ox.NamedNode(g))]
        # `load` renames blank nodes; data with blank nodes (the ontology's) takes the
        # parse-and-extend path, which keeps their (canonical) labels.
        fast = not existing and media_type == "application/n-triples" and not any(b"_:" in d for d in graphs.values())
        converted = [_ntriples_to_nquads(data, graph) for graph, data in graphs.items()] if fast else [None]
        if all(part is not None for part in converted):
            # New graphs only (the common case in a first ingest): one `load`, which is one
            # transaction, parsing in Rust; N-Triples become N-Quads by naming the graph on each line.
            nquads = b"".join(converted)  # type: ignore[arg-type]
            try:
                self._store.load(nquads, ox.RdfFormat.N_QUADS)
            except SyntaxError as exc:
                raise QuerySyntaxError(f"malformed {media_type}: {exc}") from exc
            except OSError as exc:
                raise StoreError(f"cannot write to {self.location}: {exc}") from exc
            return
        quads: list[ox.Quad] = []
        for graph, data in graphs.items():
            target = ox.NamedNode(graph)
            quads += (ox.Quad(t.subject, t.predicate, t.object, target) for t in self._parse(data, media_type, graph))
        if not existing:
            try:
                self._store.extend(quads)
            except OSError as exc:
                raise StoreError(f"cannot write to {self.location}: {exc}") from exc
            return
        # Some graphs change: drop and insert in one SPARQL update, which is one transaction.
        drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in graphs)
        self._update(f"{drops}INSERT DATA {{\n{_as_graph_blocks(quads)}\n}}" if quads else drops.rstrip(" ;\n"))

    def rebuild(self, batches: Iterable[Mapping[str, bytes]], media_type: str = "application/n-triples") -> None:
        """Bulk-load ``batches`` into a fresh folder and swap it in when complete (see `Store.rebuild`).

        pyoxigraph's bulk loader writes sorted files without a transaction,
        2–3× faster than transactional loads; crash safety comes from the swap.
        """
        if self._read_only:
            raise StoreError(f"the store at {self.location} is open read-only")
        fresh = swap.fresh_folder(self.location)
        try:
            target = ox.Store(str(fresh))
        except OSError as exc:
            raise StoreError(f"cannot create {fresh}: {exc}") from exc
        failure: Exception | None = None
        try:
            chunk: list[tuple[str, bytes]] = []
            size = 0
            batches = iter(batches)
            while True:
                try:
                    batch = next(batches)
                except StopIteration:
                    break
                except Exception as exc:  # the caller's failure: keep what was handed over, then re-raise
                    failure = exc
                    break
                for graph, data in batch.items():
                    nquads = _ntriples_to_nquads(data, graph) if media_type == "application/n-triples" else None
                    if nquads is None or b"_:" in data:
                        # Blank nodes (the ontology's) keep their canonical labels this way; text
                        # loads would rename them, and a rebuilt store would differ from a resumed one.
                        target.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
                                           for t in self._parse(data, media_type, graph))
                    else:
                        chunk.append((graph, nquads))
                        size += len(nquads)
                if size >= BULK_CHUNK_BYTES:
                    _bulk_load(target, chunk)
                    chunk, size = [], 0
            _bulk_load(target, chunk)
            target.flush()
            del target
            self._close()
            swap.swap_in(self.location, fresh)
        except BaseException:
            swap.discard(fresh)
            raise
        finally:
            if not hasattr(self, "_store"):  # closed for the swap: reopen whichever store is now in place
                swap.recover(self.location)
                self._store = ox.Store(self.location)
        if failure is not None:
            raise failure

    def add_to_graph(self, graph: str | None, data: bytes, media_type: str = "text/turtle") -> None:
        triples = self._parse(data, media_type, graph)
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        try:
            self._store.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
        except OSError as exc:
            raise StoreError(f"cannot write to {self.location}: {exc}") from exc

    def delete_graph(self, graph: str) -> bool:
        node = ox.NamedNode(graph)
        if not self._store.contains_named_graph(node):
            return False
        self._update(f"DROP GRAPH {node}")
        return True

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self._update(sparql, base_iri)

    def backup(self, target: str | os.PathLike[str]) -> None:
        """Write a consistent checkpoint to the new folder ``target`` (hard links where possible)."""
        try:
            self._store.backup(str(target))
        except OSError as exc:
            raise StoreError(f"cannot back up {self.location} to {target}: {exc}") from exc

    def _update(self, sparql: str, base_iri: str | None = None) -> None:
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except OSError as exc:
            raise StoreError(f"update failed on {self.location}: {exc}") from exc

    @staticmethod
    def _parse(data: bytes, media_type: str, graph: str | None) -> list[ox.Triple]:
        fmt = _rdf_format(media_type)
        try:
            quads = list(ox.parse(data, fmt, base_iri=graph))
        except SyntaxError as exc:
            raise QuerySyntaxError(f"malformed {media_type}: {exc}") from exc
        return [q.triple for q in quads]

    # -- reads ------------------------------------------------------------------
    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def query(
        self,
        sparql: str,
        dataset: Dataset | None = None,
        bindings: Mapping[str, Identifier] | None = None,
        base_iri: str | None = None,
    ) -> EmbeddedResult:
        dataset = dataset or Dataset()
        kwargs: dict = {"base_iri": base_iri}
        if dataset.default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
        elif not has_dataset_clause(sparql):
            # pyoxigraph's union flag would override the query's own FROM clauses.
            kwargs["use_default_graph_as_union"] = dataset.union_default
        if dataset.named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        if bindings:
            kwargs["substitutions"] = {ox.Variable(k): to_oxigraph(v) for k, v in bindings.items()}
        try:
            raw = self._store.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from exc
        except OSError as exc:
            raise StoreError(f"query failed on {self.location}: {exc}") from exc
        return EmbeddedResult(raw, _query_form(raw, sparql))

    def dump(self, out: BinaryIO, media_type: str = "application/n-quads", graph: str | None = None) -> None:
        fmt = _rdf_format(media_type)
        kwargs = {"from_graph": ox.NamedNode(graph)} if graph else {}
        self._store.dump(out, fmt, **kwargs)

    def stats(self) -> StoreStats:
        return StoreStats(quads=len(self._store), graphs=sum(1 for _ in self._store.named_graphs()), location=self.location)

    def close(self) -> None:
        self._close()

    def _close(self) -> None:
        if hasattr(self, "_store"):
            if not self._read_only:
                self._store.flush()
            del self._store
