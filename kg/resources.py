"""Where the ontology, shapes and named queries are found.

In a source checkout (and an editable install) they live at the top of the
repository; in an installed wheel they travel as ``kg/_data/<name>``. Editors
can point any of them elsewhere with an environment variable, which is how a
Protégé edit is tried without reinstalling.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_ENV = {
    "ontology": "ARCON_ONTOLOGY_DIR",
    "shapes": "ARCON_SHAPES_DIR",
    "queries": "ARCON_QUERIES_DIR",
}


def data_dir(name: str) -> Path:
    """Return the folder holding ``name`` (one of ontology, shapes, queries)."""
    override = os.environ.get(_ENV[name])
    if override:
        return Path(override)
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"cannot find the '{name}' folder: looked in {_PACKAGE / '_data' / name} and "
        f"{_PACKAGE.parent / name}; set {_ENV[name]} to its path"
    )


def ontology_dir() -> Path:
    return data_dir("ontology")


def shapes_dir() -> Path:
    return data_dir("shapes")


def queries_dir() -> Path:
    return data_dir("queries")
