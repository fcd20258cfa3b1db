"""`arcon extract` and `arcon evaluate`: thin shells over kg.extract.pipeline and kg.extract.evaluate."""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterator

import click

from kg.sources import Document, SourceError, read_documents

DEFAULT_GOLD = "examples/gold/dev"
DEFAULT_CORPUS = "examples/corpus"
_PROGRESS_MIN_DOCS = 20


def _warn_to_stderr(message, category, filename, lineno, file=None, line=None) -> None:
    click.echo(f"warning: {message}", err=True)


def _documents(paths: tuple[str, ...]) -> tuple[list[Document], int]:
    docs: list[Document] = []
    skipped = 0
    for item in read_documents(paths):
        if isinstance(item, SourceError):
            click.echo(f"skipped {item}", err=True)
            skipped += 1
        else:
            docs.append(item)
    return docs, skipped


def _with_progress(items, total: int, show: bool) -> Iterator:
    if not show:
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    columns = (TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.speed:.1f} docs/s"), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task("extract", total=total)
        for item in items:
            yield item
            progress.advance(task)


def _build(ontology: str | None, scorer: str | None = None):
    from kg.extract.pipeline import build_pipeline

    warnings.showwarning = _warn_to_stderr
    return build_pipeline(ontology, scorer=scorer)


def _table_rows(ex) -> Iterator[str]:
    for e in ex.entities:
        yield f"entity  {e.type:<25} {e.text!r:<40} {e.start}-{e.end}  {e.iri}"
    for c in ex.claims:
        subject = c.subject.text if c.subject.text is not None else "(unspecified)"
        extra = []
        if c.place:
            extra.append(f"in {c.place.text}")
        if c.date:
            extra.append(f"on {c.date}")
        yield (f"claim   {c.relation:<15} {subject} → {c.object.text}  [{c.status}, {c.confidence:.2f}] "
               f"{' '.join(extra)}  @{c.start}-{c.end}")


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--processes", type=click.IntRange(1, 64), default=1, show_default=True, help="worker processes")
@click.option("--batch-size", type=click.IntRange(1, 10000), default=32, show_default=True, help="documents per batch")
@click.option("--ontology", type=click.Path(exists=True, file_okay=False), default=None,
              help="ontology folder (default: ARCON_ONTOLOGY_DIR or the installed one)")
@click.option("--progress/--no-progress", default=None, help="progress bar on stderr (default: on for 20+ documents)")
@click.option("--relink/--no-relink", default=True, show_default=True,
              help="extract again the articles that name an alias another article of the run stated, so that they "
                   "reach the same entity (output then comes at the end); --no-relink streams as it goes")
def extract_command(paths: tuple[str, ...], fmt: str, processes: int, batch_size: int, ontology: str | None,
                    progress: bool | None, relink: bool) -> None:
    """Extract typed entities and claims from articles (files, folders, JSON Lines).

    Prints one JSON object per line (entities, then claims, per document), or a
    table for humans. Unreadable inputs are reported on stderr with file and
    line, and skipped. An alias one article states ("X, alias Y") is taught to
    the extractor and the articles naming it are extracted again (--relink).
    """
    from kg.extract.pipeline import extract

    docs, skipped = _documents(paths)
    if not docs:
        raise click.ClickException("no readable documents" + (f" ({skipped} skipped)" if skipped else ""))
    nlp = _build(ontology)
    show = progress if progress is not None else len(docs) >= _PROGRESS_MIN_DOCS
    out = sys.stdout
    results = _with_progress(extract(docs, nlp, batch_size=batch_size, processes=processes), len(docs), show)
    if not relink:
        for ex in results:
            out.write(_rendered(ex, fmt))
    else:
        _extract_relinked(results, docs, nlp, fmt, batch_size, processes, out)
    out.flush()


def _rendered(ex, fmt: str) -> str:
    if fmt == "jsonl":
        return "".join(json.dumps(x.to_json(), ensure_ascii=False) + "\n" for x in (*ex.entities, *ex.claims))
    return "".join(row + "\n" for row in (f"# {ex.document.title or ex.document.id}  ({ex.document.source})",
                                          *_table_rows(ex)))


def _extract_relinked(results, docs, nlp, fmt: str, batch_size: int, processes: int, out) -> None:
    """Spool the first pass (a temporary file keeps memory flat), teach the aliases it stated, extract again
    the documents that name one, then write every document in input order."""
    import tempfile

    from kg.extract.aliases import relink_candidates, stated_in, teach, unambiguous
    from kg.extract.pipeline import extract
    from kg.rdf.iris import fold

    stated = []
    spans: dict[str, tuple[int, int]] = {}
    with tempfile.TemporaryFile() as spool:
        for ex in results:
            stated.extend(stated_in([ex]))
            data = _rendered(ex, fmt).encode("utf-8")
            spans[ex.document.id] = (spool.tell(), len(data))
            spool.write(data)
        names = unambiguous(stated, nlp.get_pipe("arcon_gazetteer").lexicon.class_types)
        teach(nlp, [n for n, _ in names])
        again = list(relink_candidates(docs, {fold(n.label): where for n, where in names}))
        redone = {ex.document.id: _rendered(ex, fmt)
                  for ex in extract(again, nlp, batch_size=batch_size, processes=processes)}
        if again:
            click.echo(f"extracted again {len(again)} document(s) naming an alias another one stated", err=True)
        for doc in docs:
            if doc.id in redone:
                out.write(redone[doc.id])
            elif doc.id in spans:
                start, length = spans[doc.id]
                spool.seek(start)
                out.write(spool.read(length).decode("utf-8"))


@click.command("evaluate")
@click.argument("gold", nargs=-1, type=click.Path())
@click.option("--corpus", type=click.Path(exists=True), default=DEFAULT_CORPUS, show_default=True,
              help="folder or files holding the articles the gold annotates")
@click.option("--ontology", type=click.Path(exists=True, file_okay=False), default=None)
@click.option("--json", "as_json", is_flag=True, help="print the full report as JSON")
@click.option("--quiet", is_flag=True, help="figures only, without the lists of misses and false alarms")
@click.option("--causes", is_flag=True,
              help="also say why each miss was missed (recognition, trigger, candidate limits, scorer…) and the "
                   "recall a perfect scorer could reach; runs the extractor twice")
def evaluate_command(gold: tuple[str, ...], corpus: str, ontology: str | None, as_json: bool, quiet: bool,
                     causes: bool) -> None:
    """Score the extractor against gold files or folders (default: examples/gold/dev).

    Prints precision, recall and F1 per relation and micro-averaged, status
    accuracy on matched claims, entity type accuracy, then the misses and
    false alarms. With --causes, then the misses counted by the stage that lost
    them (kg.extract.diagnose).
    """
    from kg.extract.evaluate import GoldError, format_report, load_gold, score
    from kg.extract.pipeline import extract

    try:
        gold_docs = load_gold(gold or (DEFAULT_GOLD,))
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    if not gold_docs:
        raise click.ClickException(f"no gold documents in {', '.join(gold or (DEFAULT_GOLD,))}")
    wanted = {g.doc for g in gold_docs}
    docs, _ = _documents((corpus,))
    docs = [d for d in docs if d.id in wanted]
    missing = wanted - {d.id for d in docs}
    if missing:
        raise click.ClickException(f"the corpus {corpus} lacks {len(missing)} gold document(s), e.g. {sorted(missing)[0]}")
    nlp = _build(ontology)
    if causes:
        from kg.extract.diagnose import diagnose, format_diagnosis

        diagnosis = diagnose(nlp, gold_docs, docs)
        report = diagnosis.report
    else:
        report = score(gold_docs, {ex.document.id: ex for ex in extract(docs, nlp)})
    if as_json:
        data = report.to_json()
        if causes:
            data["causes"] = diagnosis.to_json()
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report, details=not quiet))
        if causes:
            click.echo("")
            click.echo(format_diagnosis(diagnosis, details=not quiet))


# Names used by kg/cli.py SUBCOMMANDS.
extract = extract_command
evaluate = evaluate_command
__all__ = ["extract", "evaluate", "train_relations"]


@click.command("train-relations")
@click.argument("gold", nargs=-1, type=click.Path())
@click.option("--corpus", type=click.Path(exists=True), default=DEFAULT_CORPUS, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="where to write the model [default: kg/extract/relation-model.json, which the pipeline uses]")
@click.option("--folds", type=click.IntRange(2, 50), default=5, show_default=True,
              help="article folds for cross-validation")
@click.option("--min-precision", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="keep the best cross-validated F1 among thresholds with at least this precision")
@click.option("--select-on", default="c-,d-", show_default=True,
              help="comma-separated article name prefixes whose cross-validated figures choose the threshold "
                   "(articles the rules were not written on); empty: all")
@click.option("--learning-curve", "curve", default=None, metavar="SHARES",
              help="instead of training, print the cross-validated F1 when each model sees only these shares of "
                   "its training articles (comma-separated, e.g. 0.25,0.5,1), averaged over 3 draws")
def train_relations_command(gold: tuple[str, ...], corpus: str, out: str | None, folds: int,
                            min_precision: float, select_on: str, curve: str | None) -> None:
    """Train the relation model on gold files (default: examples/gold/dev; never the test part).

    Prints the cross-validated precision, recall and F1 of the extractor (rules plus model) per threshold,
    keeps the best threshold, fits on all the gold given and writes the weights as JSON with the command,
    the hashes of the gold and of the relation patterns, and the cross-validated figures. The threshold is
    chosen on the articles the rules were not written on (``--select-on``): on the others the rules look
    better than they are on new text, which would push the threshold up.
    """
    from pathlib import Path

    from kg.extract.evaluate import GoldError, gold_files, load_gold
    from kg.extract.scorer import DEFAULT_MODEL
    from kg.extract.training import train

    shares = _shares(curve) if curve is not None else None
    paths = gold or (DEFAULT_GOLD,)
    try:
        gold_docs = load_gold(paths)
        sources = gold_files(paths)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from None
    if not gold_docs:
        raise click.ClickException(f"no gold documents in {', '.join(paths)}")
    wanted = {g.doc for g in gold_docs}
    docs = [d for d in _documents((corpus,))[0] if d.id in wanted]
    nlp = _build(None, scorer="none")
    prefixes = tuple(p.strip() for p in select_on.split(",") if p.strip())
    if prefixes and not any(g.name.startswith(prefixes) for g in gold_docs):
        prefixes = ()  # none of the gold given: choose on all of it
    if shares is not None:
        _print_learning_curve(nlp, gold_docs, docs, folds, shares, prefixes)
        return
    command = "arcon train-relations" + "".join(f" {p}" for p in gold) + (f" --folds {folds}" if folds != 5 else "") \
        + (f" --min-precision {min_precision}" if min_precision else "") \
        + (f" --select-on {select_on}" if select_on != "c-,d-" else "")
    model, cv = train(nlp, gold_docs, docs, folds=folds, sources=sources, command=command,
                      min_precision=min_precision, select_on=prefixes)
    on = f"; threshold chosen on {', '.join(p + '*' for p in prefixes)}" if prefixes else ""
    click.echo(f"{'threshold':>9}{'P':>8}{'R':>8}{'F1':>8}   ({folds}-fold cross-validation over articles{on})")
    for t, row in cv.items():
        mark = "  <- kept" if t != "rules" and float(t) == model.threshold else ""
        click.echo(f"{t:>9}{row['precision']:>8.3f}{row['recall']:>8.3f}{row['f1']:>8.3f}{mark}")
    target = Path(out) if out else DEFAULT_MODEL
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(model.to_json(), ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                      encoding="utf-8")
    click.echo(f"wrote {target} ({len(model.to_json()['weights'])} weights, threshold {model.threshold})")


def _shares(curve: str) -> list[float]:
    try:
        shares = [float(x) for x in curve.split(",") if x.strip()]
    except ValueError:
        raise click.BadParameter(f"not a comma-separated list of numbers: {curve!r}",
                                 param_hint="--learning-curve") from None
    if not shares or any(not 0 < x <= 1 for x in shares):
        raise click.BadParameter("each share must be in (0, 1]", param_hint="--learning-curve")
    return shares


def _print_learning_curve(nlp, gold_docs, docs, folds: int, shares: list[float], prefixes: tuple[str, ...]) -> None:
    from kg.extract.training import collect, learning_curve

    on = f", scored on {', '.join(p + '*' for p in prefixes)}" if prefixes else ""
    click.echo(f"{'share':>6}{'articles':>10}{'F1':>8}   ({folds}-fold cross-validation, best threshold{on})")
    for row in learning_curve(collect(nlp, gold_docs, docs), folds, shares, select_on=prefixes):
        draws = " ".join(f"{f:.3f}" for f in row["draws"])
        click.echo(f"{row['share']:>6.2f}{row['articles']:>10}{row['f1']:>8.3f}   draws: {draws}")


train_relations = train_relations_command
