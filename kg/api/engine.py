"""The data behind one API app: an embedded store served through killable workers.

`create_app` takes an engine (or a store path it wraps in an `EmbeddedEngine`),
never a module-level global, so one process can serve several datasets (per
access level) or a remote SPARQL store behind the same routes: anything with
the methods of `Engine` will do.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Protocol

from kg.api.cache import ResultCache, job_key
from kg.api.settings import Settings
from kg.api.workers import CallJob, QueryJob, WorkerError, WorkerPool, WriteJob
from kg.store import snapshots
from kg.store.base import StoreError

log = logging.getLogger("kg.api.engine")


class Engine(Protocol):
    """What the routes need from the data."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    def version(self) -> tuple[str, float]:
        """Name and creation time (epoch seconds) of the data state queries see now."""
        ...

    def stream(self, job: QueryJob) -> AsyncIterator[tuple]:
        """Run a query; yield ``("chunk", bytes)`` … ``("end", bytes)``."""
        ...

    async def call(self, name: str, *args: Any) -> Any: ...

    async def write(self, job: WriteJob) -> dict: ...


class EmbeddedEngine:
    """A pyoxigraph store folder: reader workers on snapshots, one writer on the primary."""

    def __init__(self, primary: str | os.PathLike[str], settings: Settings):
        self.primary = str(primary)
        if not Path(self.primary).is_dir():
            raise StoreError(f"no store at {self.primary}: run `arcon ingest` first or pass --store PATH")
        self.settings = settings
        self.readers = WorkerPool(self.primary, settings.workers, "reader")
        self.writer = WorkerPool(self.primary, 1, "writer", lock_wait=min(10.0, settings.query_timeout))
        self._stats_cache: dict[str, Any] = {}
        self.cache = ResultCache(settings.result_cache_bytes)

    async def start(self) -> None:
        await self.writer.start()
        # Serve the store as it is now, not a snapshot an earlier server left behind (the store may
        # have changed since, by a writer that published nothing). Part of starting up, not a query:
        # not held to the query limit. If another process is writing the store right now, the
        # existing snapshot will do: that writer publishes a new one when it is done.
        try:
            await self.writer.call(WriteJob(op="publish"), "", max(60.0, self.settings.query_timeout))
        except WorkerError as exc:
            if snapshots.current(self.primary) is None:
                raise StoreError(str(exc)) from exc
            log.warning("serving the last published snapshot of %s: %s", self.primary, exc)
        await self.readers.start()

    async def close(self) -> None:
        await self.readers.close()
        await self.writer.close()

    def version(self) -> tuple[str, float]:
        snap = snapshots.current(self.primary)
        if snap is None:
            raise StoreError(f"no snapshot of {self.primary} is published")
        return snap.name, snap.created

    def stream(self, job: QueryJob) -> AsyncIterator[tuple]:
        snapshot = self.version()[0]
        return self.cache.stream(
            job_key(snapshot, job),
            lambda: self.readers.run(job, snapshot, self.settings.query_timeout, wait=self.settings.queue_timeout),
        )

    async def call(self, name: str, *args: Any) -> Any:
        snapshot = self.version()[0]
        if name == "void_stats":  # a snapshot never changes, so its counts can be kept
            if snapshot not in self._stats_cache:
                self._stats_cache = {
                    snapshot: await self.readers.call(CallJob(name, args), snapshot, self.settings.query_timeout)
                }
            return self._stats_cache[snapshot]
        return await self.readers.call(CallJob(name, args), snapshot, self.settings.query_timeout)  # type: ignore[arg-type]

    async def write(self, job: WriteJob) -> dict:
        # Writes queue for the single writer for as long as a query may run.
        return await self.writer.call(job, "", self.settings.query_timeout)

