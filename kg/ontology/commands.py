"""``arcon ontology``: check the ontology and build its documentation (thin shells over
:mod:`kg.ontology.check` and :mod:`kg.ontology.docs`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.ontology.files import OntologyError

_DIR_HELP = "ontology folder (default: ARCON_ONTOLOGY_DIR or the installed ontology)"


@click.group()
def ontology() -> None:
    """Check the ontology and build its documentation."""


@ontology.command()
@click.option("--dir", "directory", type=click.Path(file_okay=False, exists=True, path_type=Path), help=_DIR_HELP)
@click.option("--no-reasoner", is_flag=True, help="skip HermiT (owlready2) consistency checking")
@click.option("--no-owlapi", is_flag=True, help="skip the OWL API load, DL profile and round-trip checks")
def check(directory: Path | None, no_reasoner: bool, no_owlapi: bool) -> None:
    """Check syntax, editorial rules, consistency (HermiT) and OWL 2 DL (OWL API).

    Prints a summary; exits with status 1 and one line per problem when a rule is broken.
    """
    from kg.ontology.check import check_ontology

    report = check_ontology(directory, reasoner=not no_reasoner, owl_api=not no_owlapi)
    for line in report.summary.lines():
        click.echo(line)
    if report.ok:
        click.echo("ontology check passed")
        return
    for problem in report.problems:
        click.echo(f"error: {problem}", err=True)
    click.echo(f"ontology check failed: {len(report.problems)} problem(s)", err=True)
    sys.exit(1)


@ontology.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("build/ontology-docs"),
              show_default=True, help="folder to write the HTML into")
@click.option("--dir", "directory", type=click.Path(file_okay=False, exists=True, path_type=Path), help=_DIR_HELP)
def docs(out: Path, directory: Path | None) -> None:
    """Write browsable HTML documentation (pyLODE for the TBox, a page per scheme and the reference)."""
    from kg.ontology.docs import write_docs

    try:
        pages = write_docs(out, directory)
    except OntologyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {len(pages)} pages to {out} (open {out / 'index.html'})")
