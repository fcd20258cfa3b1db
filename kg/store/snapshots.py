"""Read-only snapshots of the embedded store, so that readers never share RocksDB with a writer.

pyoxigraph cannot safely read a store that another process is writing
(``Store.read_only`` on a live primary is undefined behaviour), and RocksDB
handles must not cross ``fork()``. So the store folder (the *primary*) has one
writer at a time (RocksDB's own lock), and after each write the writer
*publishes* a checkpoint: ``Store.backup`` into a new folder (hard links to the
immutable SST files, so it is cheap), then an atomic rename of the ``CURRENT``
pointer. Readers (the API's query workers) open the snapshot ``CURRENT`` names,
read-only, and switch to a newer one between queries, so every query sees one
consistent state of the store.

Layout, beside the primary ``data/store``::

    data/store.snapshots/CURRENT          name of the newest snapshot
    data/store.snapshots/<name>/          a RocksDB checkpoint
    data/store.snapshots/<name>.lock      readers hold a shared flock on it

A snapshot that is not current and whose lock file nobody holds is deleted by the
next publisher (``collect_garbage``); a reader that lost the race re-reads
``CURRENT`` (see ``open_reader``).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from kg.store.base import StoreError

CURRENT = "CURRENT"


def snapshot_root(primary: str | os.PathLike[str]) -> Path:
    """The folder holding the snapshots of the store at ``primary``."""
    p = Path(primary)
    return p.with_name(p.name + ".snapshots")


@dataclass(frozen=True, slots=True)
class Snapshot:
    name: str
    path: Path
    created: float  # seconds since the epoch, from the name

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.name + ".lock")


def _snapshot(root: Path, name: str) -> Snapshot:
    try:
        created = int(name.split("-")[1]) / 1e9
    except (IndexError, ValueError):
        created = 0.0
    return Snapshot(name=name, path=root / name, created=created)


def current(primary: str | os.PathLike[str]) -> Snapshot | None:
    """The snapshot readers should use now, or None when none was published yet."""
    root = snapshot_root(primary)
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    snap = _snapshot(root, name)
    return snap if snap.path.is_dir() else None


def publish(store: object, primary: str | os.PathLike[str]) -> Snapshot:
    """Checkpoint the open read-write ``store`` (an EmbeddedStore) and make it current.

    Call it while holding the store open for writing, after the write committed.
    """
    root = snapshot_root(primary)
    root.mkdir(parents=True, exist_ok=True)
    name = f"snap-{time.time_ns()}-{uuid.uuid4().hex[:8]}"
    snap = _snapshot(root, name)
    store.backup(snap.path)  # type: ignore[attr-defined]
    snap.lock_path.touch()
    tmp = root / f".{CURRENT}.{name}"
    tmp.write_text(name + "\n", encoding="utf-8")
    os.replace(tmp, root / CURRENT)
    collect_garbage(primary)
    return snap


def refresh(store: object, primary: str | os.PathLike[str]) -> Snapshot | None:
    """After a write by another process than the server (``arcon ingest``, ``arcon store delete``):
    publish a snapshot if readers may be watching this store, so a running ``arcon serve`` switches to it.

    Readers may be watching once a snapshot folder exists (a server has served this store);
    otherwise nothing is published, and no copy of the store's files is kept alive
    for nobody: a server publishes its first snapshot when it starts.
    """
    if not hasattr(store, "backup") or not snapshot_root(primary).is_dir():
        return None
    return publish(store, primary)


def collect_garbage(primary: str | os.PathLike[str]) -> list[str]:
    """Delete snapshots that are not current and that no reader holds; return their names."""
    root = snapshot_root(primary)
    now = current(primary)
    removed = []
    for lock in sorted(root.glob("snap-*.lock")):
        name = lock.name[: -len(".lock")]
        if now is not None and name == now.name:
            continue
        with open(lock, "a+b") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a reader still uses it
            # Rename first, while holding the lock, so that a reader that opened the
            # lock file just before sees the folder gone and retries (open_reader).
            target = root / name
            trash = root / f".trash-{name}"
            if target.exists():
                os.replace(target, trash)
            lock.unlink(missing_ok=True)
        shutil.rmtree(trash, ignore_errors=True)
        removed.append(name)
    return removed


class ReaderLease:
    """A shared lock on one snapshot: while held, no publisher deletes it."""

    def __init__(self, snapshot: Snapshot, handle):
        self.snapshot = snapshot
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def lease(snapshot: Snapshot) -> ReaderLease | None:
    """Take a shared lock on ``snapshot``; None when it was collected meanwhile."""
    try:
        handle = open(snapshot.lock_path, "rb")
    except FileNotFoundError:
        return None
    fcntl.flock(handle, fcntl.LOCK_SH)
    if not snapshot.path.is_dir():  # collected between open() and flock()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
        return None
    return ReaderLease(snapshot, handle)


def lease_current(primary: str | os.PathLike[str], attempts: int = 20) -> ReaderLease:
    """Lease the current snapshot, retrying while publishers race us."""
    for _ in range(attempts):
        snap = current(primary)
        if snap is None:
            raise StoreError(f"no snapshot of {primary} was published yet")
        held = lease(snap)
        if held is not None:
            return held
        time.sleep(0.01)
    raise StoreError(f"could not lease a snapshot of {primary}: publishers keep replacing it")
