"""The `arcon` command.

Each subcommand lives beside the code it drives (``kg/<area>/commands.py``) and is
imported only when it is invoked, so ``arcon --help`` stays fast and a broken or
heavy area (spaCy, uvicorn) does not slow down or break the others.
"""

from __future__ import annotations

import importlib
import sys

import click

# name -> ("module:attribute" of a click.Command or Group, one-line help).
# Add a line here when an area gains a command.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "extract": ("kg.extract.commands:extract", "Extract typed entities and claims from articles."),
    "evaluate": ("kg.extract.commands:evaluate", "Score the extractor against the gold standard."),
    "train-relations": ("kg.extract.commands:train_relations", "Train the learned claim filter on the dev gold."),
    "ontology": ("kg.ontology.commands:ontology", "Check the ontology and build its documentation."),
    # sources (issue 3)
    "fetch": ("kg.sources.commands:fetch", "Download articles from news APIs (the Guardian) as JSON Lines."),
    # SPARQL endpoint (issue 5)
    "serve": ("kg.api.commands:serve", "Serve the SPARQL endpoint, named queries and linked-data pages."),
    # graph build (issue 4)
    "ingest": ("kg.ingest.commands:ingest", "Build or update the knowledge graph from sources."),
    "query": ("kg.query.commands:query", "Run a SPARQL query against the store."),
    "store": ("kg.store.commands:store", "Store statistics, dumps and deletions."),
    "validate": ("kg.validate.commands:validate", "Validate the whole store against the SHACL shapes."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target[0].split(":")
        return getattr(importlib.import_module(module_name), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Use the static one-line help so that `arcon --help` imports nothing heavy.
        rows = [(name, SUBCOMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="arcon-kg", prog_name="arcon")
def cli() -> None:
    """ARCON knowledge graph: news on organised crime and corruption as traceable RDF claims."""


def main() -> None:
    cli(prog_name="arcon")


if __name__ == "__main__":
    sys.exit(main())
