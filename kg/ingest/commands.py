"""`arcon ingest`: build or update the knowledge graph from sources."""

from __future__ import annotations

import statistics
from pathlib import Path

import click

from kg.store.options import resolve, store_option


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@click.option("--extractions", type=click.Path(dir_okay=False), default=None,
              help="Extraction JSONL (`arcon extract --format jsonl`) to use instead of running spaCy.")
@click.option("--quarantine", "quarantine_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for rejected documents (default: $ARCON_QUARANTINE, else 'quarantine' beside the store).")
@click.option("--gate", "engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="SHACL engine of the per-document gate (same results; sparql is ~10x faster).")
@click.option("--batch", "batch_size", type=click.IntRange(1, 10_000), default=64, show_default=True,
              help="Documents per gate run and per store transaction (each document stays all-or-nothing).")
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Extraction processes (spaCy only).")
@click.option("--force", is_flag=True, help="Rebuild every document, even those already current.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def ingest(paths, store_path, extractions, quarantine_dir, engine, batch_size, processes, force, quiet) -> None:
    """Read PATH… (files or folders), extract, map to RDF, validate and store one graph per document.

    Unchanged documents are skipped; a changed one replaces exactly its graph;
    a document that fails the SHACL gate is not written and goes, with a
    report, to the quarantine folder.
    """
    from kg.extract.aliases import relink_candidates
    from kg.ingest.aliases import teach_new_aliases, teach_stored_aliases
    from kg.ingest.extractions import ExtractionFileError, read_extractions
    from kg.ingest.extractors import ExtractorUnavailable, pipeline_extractor
    from kg.ingest.pipeline import ingest as run_ingest
    from kg.ingest.progress import ProgressBar, count_documents
    from kg.ingest.quarantine import default_quarantine
    from kg.rdf import iris
    from kg.rdf.tbox import load_tbox
    from kg.sources import Document, read_documents
    from kg.store import StoreError, open_store
    from kg.validate.gate import load_gate

    location = resolve(store_path)
    try:
        tbox = load_tbox()
        gate = load_gate(tbox)
        extractor = read_extractions(extractions) if extractions else pipeline_extractor(processes)
        store = open_store(location)
    except (ValueError, FileNotFoundError, ExtractionFileError, ExtractorUnavailable, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        if not extractions:  # aliases stated in stored articles name the same entities in new ones
            known = teach_stored_aliases(extractor.nlp, store)
    except StoreError as exc:
        store.close()
        raise click.ClickException(str(exc)) from None
    folder = Path(quarantine_dir) if quarantine_dir else default_quarantine(location)
    try:
        with ProgressBar(0 if quiet else count_documents(paths), quiet) as progress:
            stats = run_ingest(read_documents(paths), extractor, store, tbox, gate, folder,
                               batch_size=batch_size, engine=engine, force=force, progress=progress.update)
        relinked = None
        if not extractions:  # documents of this run naming an alias another one stated: extracted again
            aliases = teach_new_aliases(extractor.nlp, store, known)
            again = list(relink_candidates((d for d in read_documents(paths) if isinstance(d, Document)), aliases,
                                           where=lambda d: iris.document_graph(d.id)))
            if again:
                relinked = run_ingest(again, extractor, store, tbox, gate, folder,
                                      batch_size=batch_size, engine=engine, force=True)
    except (ExtractionFileError, StoreError) as exc:
        _publish(store, location)  # what was written before the failure is complete: let servers see it
        raise click.ClickException(f"{exc} (documents written before this point are complete and kept)") from None
    except BaseException:
        _publish(store, location)
        raise
    else:
        if stats.written or stats.ontology_updated or (relinked and relinked.written):
            _publish(store, location)
    finally:
        store.close()
    for error in stats.errors:
        click.echo(f"skipped {error}", err=True)
    for report in (*stats.reports, *(relinked.reports if relinked else ())):
        click.echo(f"rejected: see {report}", err=True)
    click.echo(_summary(stats, location, folder))
    if relinked:
        click.echo(f"  extracted again {relinked.written} document(s) naming an alias this run stated"
                   + (f" ({relinked.rejected} rejected)" if relinked.rejected else ""))


def _publish(store, location: str) -> None:
    """A running `arcon serve` on this store switches to what was just written (kg.store.snapshots)."""
    from kg.store import StoreError, snapshots

    try:
        snapshots.refresh(store, location)
    except (StoreError, OSError) as exc:
        click.echo(f"warning: the store was written, but no snapshot could be published for running servers: {exc}",
                   err=True)


def _summary(stats, location: str, folder: Path) -> str:
    rate = stats.seen / stats.seconds if stats.seconds else 0.0
    gate = ""
    if stats.gate_ms:
        ordered = sorted(stats.gate_ms)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        gate = f"; gate {statistics.median(ordered):.1f} ms a document (median), p95 {p95:.1f} ms"
    how = " (first build: bulk load)" if stats.first_build and stats.written else ""
    lines = [
        f"ingest into {location}: {stats.seen} documents in {stats.seconds:.1f} s ({rate:.1f} docs/s){how}",
        f"  written {stats.written}, unchanged {stats.unchanged}, rejected {stats.rejected}, "
        f"unreadable {stats.unreadable}; {stats.claims} claims written{gate}",
    ]
    if stats.ontology_updated:
        lines.append("  ontology and reference graphs updated")
    if stats.rejected:
        lines.append(f"  rejected documents and their reports: {folder}")
    return "\n".join(lines)
