"""`arcon store stats|dump|delete`: look after the store itself."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.store.options import resolve, store_option


def _open(store_path: str | None, read_only: bool):
    from kg.store import StoreError, open_store

    location = resolve(store_path)
    if not Path(location).is_dir():
        raise click.ClickException(f"no store at {location}: build one with `arcon ingest PATH --store {location}`")
    try:
        return open_store(location, read_only=read_only)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _publish(s) -> None:
    """A running `arcon serve` on this store switches to the new state (kg.store.snapshots)."""
    from kg.store import StoreError, snapshots

    try:
        snapshots.refresh(s, s.location)
    except (StoreError, OSError) as exc:
        click.echo(f"warning: the store was written, but no snapshot could be published for running servers: {exc}",
                   err=True)


def _tbox():
    """The ontology's relations and classes, or a one-line CLI error when it cannot be read."""
    from kg.rdf.tbox import load_tbox

    try:
        return load_tbox()
    except (ValueError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None


def disk_size(folder: str) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


@click.group("store")
def store() -> None:
    """Inspect, export or edit the store."""


@store.command("stats")
@store_option
def stats(store_path: str | None) -> None:
    """Quads, graphs, documents, claims, entities and size on disk."""
    from kg.namespaces import ARCON
    from kg.rdf import iris

    s = _open(store_path, read_only=True)
    try:
        basic = s.stats()
        prefix = iris.document_graph_prefix()
        docs = sum(1 for g in s.graphs() if g.startswith(prefix))
        claims = next(s.query(f"SELECT (COUNT(?c) AS ?n) WHERE {{ ?c a <{ARCON.Claim}> }}").rows())["n"]
        entities = next(s.query(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{iris.entities_graph()}> "
                                "{ ?e ?p ?o } }").rows())["n"]
        click.echo(f"store      {basic.location}")
        click.echo(f"quads      {basic.quads}")
        click.echo(f"graphs     {basic.graphs}")
        click.echo(f"documents  {docs}")
        click.echo(f"claims     {claims}")
        click.echo(f"entities   {entities} described in the entities graph (curated ones: in the reference data)")
        click.echo(f"on disk    {disk_size(basic.location) / 2**20:.1f} MiB")
    finally:
        s.close()


@store.command("dump")
@store_option
@click.option("--graph", default=None, help="Only this named graph (IRI).")
@click.option("--format", "fmt", type=click.Choice(["nq", "trig", "nt", "ttl"]), default="nq", show_default=True,
              help="nq/trig keep graph names; nt/ttl need --graph.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="File to write (default: standard output).")
def dump(store_path: str | None, graph: str | None, fmt: str, output: str | None) -> None:
    """Write the store (or one graph) as RDF."""
    media = {"nq": "application/n-quads", "trig": "application/trig", "nt": "application/n-triples",
             "ttl": "text/turtle"}[fmt]
    if fmt in ("nt", "ttl") and not graph:
        raise click.ClickException(f"--format {fmt} has no graph names: give --graph IRI, or use nq or trig")
    s = _open(store_path, read_only=True)
    try:
        if graph and not s.has_graph(graph):
            raise click.ClickException(f"no graph <{graph}> in {s.location}")
        if output:
            with open(output, "wb") as out:
                s.dump(out, media, graph)
        else:
            s.dump(sys.stdout.buffer, media, graph)
    finally:
        s.close()


@store.command("delete")
@store_option
@click.argument("doc")
def delete(store_path: str | None, doc: str) -> None:
    """Remove one document: its graph, and its part in the descriptions of the entities it mentions.

    DOC is the document id (its URL) or its graph IRI. An entity that no other
    document mentions disappears from the entities graph.
    """
    from kg.ingest.entities import delete_documents
    from kg.rdf import iris

    graph = doc if doc.startswith(iris.document_graph_prefix()) else iris.document_graph(doc)
    tbox = _tbox()
    s = _open(store_path, read_only=False)
    try:
        if not delete_documents(s, [graph], tbox):
            raise click.ClickException(f"no graph for {doc!r} in {s.location} (looked for <{graph}>)")
        _publish(s)
    finally:
        s.close()
    click.echo(f"deleted <{graph}>")


@store.command("refresh-entities")
@store_option
def refresh(store_path: str | None) -> None:
    """Recompute the entities graph from the mentions of every stored document.

    Ingest and `arcon store delete` keep it in step by themselves; this is for
    document graphs edited by hand (SPARQL Update, the Graph Store protocol).
    """
    from kg.ingest.entities import refresh_entities

    tbox = _tbox()
    s = _open(store_path, read_only=False)
    try:
        refresh_entities(s, tbox)
        _publish(s)
    finally:
        s.close()
    click.echo(f"entities graph recomputed in {s.location}")
