"""The ``--store PATH`` option every store-touching command shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from kg.store.embedded import default_location

F = TypeVar("F", bound=Callable)


def store_option(func: F) -> F:
    """``--store PATH``: the store folder (default ``$ARCON_STORE``, else ``./data/store``)."""
    return click.option(
        "--store", "store_path", metavar="PATH", default=None,
        help="Store folder (default: $ARCON_STORE, else ./data/store).",
    )(func)


def resolve(store_path: str | None) -> str:
    return store_path or default_location()
