"""Put a freshly built store folder in the place of the old one, so that a crash at any moment leaves one whole store.

A first build writes into ``<store>.new`` without transactions; only when it
is complete does it take the store's place, with two renames::

    <store>      -> <store>.old     (1)
    <store>.new  -> <store>         (2)
    remove <store>.old

A crash before (1) leaves the old store in place and a stale ``.new``, which the
next build removes; a crash between (1) and (2) is undone by :func:`recover`,
which every open of the store runs first (the old store comes back); a crash
after (2) leaves only a stale ``.old`` to remove. ``<store>.lock`` (an advisory
``flock``) keeps a swap and a recovery from interleaving.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _sibling(location: Path, suffix: str) -> Path:
    return location.with_name(location.name + suffix)


def fresh_folder(location: str | os.PathLike[str]) -> Path:
    """An empty ``<store>.new`` folder to build into (a stale one from a crashed build is removed)."""
    fresh = _sibling(Path(location), ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    return fresh


def discard(fresh: Path) -> None:
    shutil.rmtree(fresh, ignore_errors=True)


@contextmanager
def _locked(location: Path) -> Iterator[None]:
    location.parent.mkdir(parents=True, exist_ok=True)
    with open(_sibling(location, ".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(location: str | os.PathLike[str], fresh: Path) -> None:
    """Make the complete store in ``fresh`` the store at ``location``; the old one is removed."""
    location = Path(location)
    old = _sibling(location, ".old")
    with _locked(location):
        shutil.rmtree(old, ignore_errors=True)
        if location.exists():
            os.rename(location, old)
        os.rename(fresh, location)
        _sync_dir(location.parent)
    shutil.rmtree(old, ignore_errors=True)


def recover(location: str | os.PathLike[str]) -> None:
    """Finish or undo a swap that a crash interrupted (a no-op when there is none)."""
    location = Path(location)
    old = _sibling(location, ".old")
    if not old.exists():
        return
    with _locked(location):
        if not old.exists():
            return
        if location.exists():
            shutil.rmtree(old, ignore_errors=True)  # the swap had finished
        else:
            os.rename(old, location)  # cut between its two renames: the old store comes back
            _sync_dir(location.parent)
