"""`arcon query`: run SPARQL against the store and print the answer.

The QUERY argument is resolved by :func:`query_text` (a ``.rq`` file or the
query itself); named queries plug in there, and output formats in ``FORMATS``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.store.options import resolve, store_option

#: --format value -> media type for SELECT/ASK answers (None: the terminal table).
FORMATS: dict[str, str | None] = {
    "table": None,
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
}
#: What CONSTRUCT/DESCRIBE answers become for each --format.
GRAPH_FORMATS: dict[str, str] = {
    "table": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
    "json": "application/ld+json", "xml": "application/rdf+xml",
}


def query_text(argument: str) -> str:
    """The SPARQL to run: the contents of a ``.rq`` file, else the argument itself."""
    path = Path(argument)
    if argument.endswith(".rq") or ("\n" not in argument and len(argument) < 4096 and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot read query file {argument}: {exc.strerror}") from None
    return argument


@click.command("query")
@click.argument("query")
@store_option
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Parameter of a named query (queries/NAME.rq), e.g. --param country=PE; repeatable.")
@click.option("--format", "fmt", type=click.Choice(sorted(set(FORMATS) | set(GRAPH_FORMATS))), default="table",
              show_default=True, help="Answer format (SELECT/ASK: table, csv, tsv, json, xml; CONSTRUCT: ttl, nt, json, xml).")
def query(query: str, store_path: str | None, fmt: str, params: tuple[str, ...]) -> None:
    """Run QUERY (SPARQL text, a .rq file, or the NAME of a named query) over the store.

    The default graph is the union of all graphs.
    """
    from kg.store import StoreError, open_store

    location = resolve(store_path)
    if not Path(location).is_dir():
        raise click.ClickException(f"no store at {location}: build one with `arcon ingest PATH --store {location}`")
    from kg.query.named import NamedQueryError, named_or_none

    try:
        named = named_or_none(query)
        bindings = named.bindings(dict(_split_param(p) for p in params)) if named else None
    except NamedQueryError as exc:
        raise click.ClickException(str(exc)) from None
    if params and named is None:
        raise click.ClickException(f"--param is for named queries; {query!r} is not one (see queries/*.rq)")
    text = named.sparql if named else query_text(query)
    try:
        store = open_store(location, read_only=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        result = store.query(text, bindings=bindings)
        out = sys.stdout.buffer
        if result.form in ("CONSTRUCT", "DESCRIBE"):
            result.write(out, GRAPH_FORMATS.get(fmt, "text/turtle"))
        elif FORMATS.get(fmt) is None:
            if fmt not in FORMATS:
                raise click.ClickException(f"--format {fmt} is for CONSTRUCT/DESCRIBE; a {result.form} answer "
                                           "is table, csv, tsv, json or xml")
            from kg.query.output import table

            out.write(table(result).encode("utf-8"))
        else:
            result.write(out, FORMATS[fmt])
        out.flush()
    except StoreError as exc:
        raise click.ClickException(f"query failed: {exc}") from None
    finally:
        store.close()


def _split_param(raw: str) -> tuple[str, str]:
    name, sep, value = raw.partition("=")
    if not sep or not name:
        raise click.ClickException(f"--param takes NAME=VALUE, got {raw!r}")
    return name.strip(), value
