"""`arcon validate`: check the whole store against the shapes and the current ontology."""

from __future__ import annotations

import sys

import click

from kg.store.options import resolve, store_option


@click.command("validate")
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "ttl"]), default="text", show_default=True,
              help="A report in words, or a SHACL validation report in Turtle.")
def validate(store_path: str | None, fmt: str) -> None:
    """Validate every graph of the store; exit code 1 when there are violations."""
    from pathlib import Path

    from rdflib.namespace import SH

    from kg.ingest.ontology_graphs import stored_ontology_hash
    from kg.rdf.tbox import load_tbox
    from kg.store import StoreError, open_store
    from kg.validate.gate import load_gate
    from kg.validate.report import format_text, report_graph
    from kg.validate.store_check import check_store

    location = resolve(store_path)
    if not Path(location).is_dir():
        raise click.ClickException(f"no store at {location}: build one with `arcon ingest PATH --store {location}`")
    try:
        tbox = load_tbox()
        gate = load_gate(tbox)
        store = open_store(location, read_only=True)
    except (ValueError, FileNotFoundError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        violations = check_store(gate, store, tbox)
        graphs = len(store.graphs())
        stale = stored_ontology_hash(store) != tbox.hash
    finally:
        store.close()
    if fmt == "ttl":
        sys.stdout.write(report_graph(violations).serialize(format="turtle"))
    else:
        sys.stdout.write(format_text(violations, checked=graphs))
    if stale:
        click.echo("note: the ontology files differ from the store's ontology graph; the report uses the files. "
                   "`arcon ingest` updates the graph.", err=True)
    if any(v.severity == SH.Violation for v in violations):
        sys.exit(1)
