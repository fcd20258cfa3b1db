"""The `Store` protocol: what ingest, the CLI and the HTTP API need from a quad store.

It speaks strings, bytes and rdflib terms only, so a remote SPARQL 1.1 server
can implement it as well as the embedded pyoxigraph store. Media types are the
ones of the SPARQL 1.1 Protocol (``application/sparql-results+json``,
``text/turtle``, ``application/n-quads`` …).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import BinaryIO, Literal, Protocol, runtime_checkable

from rdflib.term import Identifier, Node

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

RESULT_MEDIA_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_MEDIA_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/trig",
    "application/n-quads",
)


class StoreError(Exception):
    """A store operation failed; the message says what and where, the store is unchanged."""


class QuerySyntaxError(StoreError):
    """The query or update text does not parse; the message carries line and column."""


@dataclass(frozen=True, slots=True)
class Dataset:
    """The RDF dataset a query runs over (SPARQL protocol ``default-graph-uri``/``named-graph-uri``).

    With no graphs given, the default graph is the union of all named graphs when
    ``union_default`` is true (the ARCON default), else the store's own default graph.
    """

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    union_default: bool = True


@dataclass(frozen=True, slots=True)
class StoreStats:
    quads: int
    graphs: int
    location: str


@runtime_checkable
class QueryResult(Protocol):
    """The answer to a query: rows, a boolean or triples, serialisable in any protocol format."""

    form: QueryForm
    variables: list[str]  # SELECT only; [] otherwise

    def rows(self) -> Iterator[dict[str, Identifier]]:
        """SELECT solutions; unbound variables are absent from the dict."""
        ...

    def boolean(self) -> bool:
        """ASK answer."""
        ...

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """CONSTRUCT/DESCRIBE triples."""
        ...

    def write(self, out: BinaryIO, media_type: str) -> None:
        """Serialise the whole result to ``out`` as it is produced (streaming)."""
        ...


@runtime_checkable
class Store(Protocol):
    location: str

    def replace_graph(self, graph: str | None, data: bytes, media_type: str = "application/n-triples") -> None:
        """Atomically make ``graph`` (None: the default graph) hold exactly the triples in ``data``."""
        ...

    def replace_graphs(self, graphs: Mapping[str, bytes], media_type: str = "application/n-triples") -> None:
        """Atomically replace several graphs in one transaction: all of them are written, or none.

        Ingest batches documents this way for speed; each document is still all or nothing.
        """
        ...

    def rebuild(self, batches: Iterable[Mapping[str, bytes]], media_type: str = "application/n-triples") -> None:
        """Make the store hold exactly the graphs of ``batches`` (everything else is dropped), for a first build.

        All or nothing against crashes: until it returns, the store is as it
        was. If iterating ``batches`` raises (the caller's failure, not the
        store's), the graphs of the batches already handed over are kept and
        the exception goes on. Backends without a faster way write each batch
        with ``replace_graphs``.
        """
        ...

    def add_to_graph(self, graph: str | None, data: bytes, media_type: str = "text/turtle") -> None:
        """Atomically add triples to ``graph`` (None: the store's default graph)."""
        ...

    def delete_graph(self, graph: str) -> bool:
        """Remove a named graph; False when it did not exist."""
        ...

    def has_graph(self, graph: str) -> bool: ...

    def graphs(self) -> list[str]: ...

    def query(
        self,
        sparql: str,
        dataset: Dataset | None = None,
        bindings: Mapping[str, Identifier] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query. ``bindings`` are bound as values of variables, never spliced.

        ``base_iri`` resolves relative IRIs in the query (the protocol uses the endpoint's URL).
        """
        ...

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 update atomically."""
        ...

    def dump(self, out: BinaryIO, media_type: str = "application/n-quads", graph: str | None = None) -> None:
        """Write the whole store (or one graph) to ``out``."""
        ...

    def stats(self) -> StoreStats: ...

    def close(self) -> None: ...
