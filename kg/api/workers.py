"""Queries and writes run in worker processes that can be killed.

pyoxigraph has no way to cancel a running query from Python, so the only sound
way to bound query time is to run the query in another process and kill that
process when time is up (or when the client has gone away). This module is that
process pool:

* *Reader* workers each hold one read-only snapshot of the store open
  (`kg.store.snapshots`) and switch to the snapshot the supervisor names with each
  job, so a query sees one consistent state while writers carry on.
* The single *writer* worker opens the primary store for each write, applies it in
  one transaction, publishes a new snapshot and closes the primary again, so that
  ``arcon ingest`` in another process can take the store between two writes.

Workers are started with the ``spawn`` method: a RocksDB handle must never be
inherited through ``fork()``. The supervisor side is asyncio; the messages on the
pipe are small tuples: ``("chunk", bytes)`` … ``("end", bytes)`` for a serialised
result, ``("value", obj)`` for a call, ``("error", kind, message)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import multiprocessing as mp
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Literal

from rdflib.term import Identifier

from kg.store.base import Dataset, QuerySyntaxError, StoreError

log = logging.getLogger("kg.api.workers")

CHUNK_BYTES = 64 * 1024
_SPAWN = mp.get_context("spawn")


# -- jobs ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QueryJob:
    """Run a query and send its serialisation in chunks."""

    sparql: str
    media_type: str
    dataset: Dataset = Dataset()
    bindings: Mapping[str, Identifier] | None = None
    base_iri: str | None = None
    max_bytes: int = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CallJob:
    """Call a read-only function of this module on the open store and send back its value."""

    name: Literal["has_graph", "graphs", "void_stats"]
    args: tuple = ()


@dataclass(frozen=True, slots=True)
class WriteJob:
    """A write on the primary store; the writer publishes a snapshot after it."""

    op: Literal["update", "replace_graph", "add_to_graph", "delete_graph", "publish"]
    sparql: str = ""
    graph: str | None = None
    data: bytes = b""
    media_type: str = "text/turtle"
    base_iri: str | None = None


Job = QueryJob | CallJob | WriteJob


# -- errors the supervisor raises -----------------------------------------------------
class WorkerError(Exception):
    """A job failed in its worker; ``kind`` says how (syntax, too_large, store, internal)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class QueryTimeout(Exception):
    pass


class PoolBusy(Exception):
    pass


# -- the worker process ---------------------------------------------------------------
class ResultTooLarge(Exception):
    pass


class _ChunkSink(io.RawIOBase):
    """File-like sink pyoxigraph serialises into: forwards full chunks, enforces the size limit."""

    def __init__(self, conn: Connection, limit: int):
        self._conn = conn
        self._limit = limit
        self._buf = bytearray()
        self.total = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.total += len(data)
        if self.total > self._limit:
            raise ResultTooLarge(f"the result is larger than the limit of {self._limit} bytes")
        self._buf += data
        if len(self._buf) >= CHUNK_BYTES:
            self._conn.send(("chunk", bytes(self._buf)))
            self._buf.clear()
        return len(data)

    def finish(self) -> None:
        self._conn.send(("end", bytes(self._buf)))
        self._buf.clear()


def void_stats(store) -> dict[str, Any]:
    """Counts for the VoID description, computed on one snapshot."""
    raw = store._store  # noqa: SLF001 - counting needs no per-row Python objects

    def count(q: str) -> int:
        rows = list(raw.query(q, use_default_graph_as_union=True))
        return int(rows[0][0].value) if rows else 0

    classes = [
        (row[0].value, int(row[1].value))
        for row in raw.query(
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c",
            use_default_graph_as_union=True,
        )
        if hasattr(row[0], "value")
    ]
    return {
        "quads": len(raw),
        "triples": count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "entities": count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) }"),
        "subjects": count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        "properties": count("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"),
        "graphs": sum(1 for _ in raw.named_graphs()),
        "classes": classes,
    }


_CALLS = {
    "has_graph": lambda store, graph: store.has_graph(graph),
    "graphs": lambda store: store.graphs(),
    "void_stats": void_stats,
}


def _open_primary(primary: str, deadline: float):
    """Open the primary read-write, waiting while another process (an ingest) holds it."""
    from kg.store.embedded import EmbeddedStore

    while True:
        try:
            return EmbeddedStore(primary)
        except StoreError as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise StoreError(f"the store is being written by another process; retry later ({exc})") from exc
            time.sleep(0.05)


def _run_write(primary: str, job: WriteJob, lock_wait: float) -> dict:
    from kg.store import snapshots

    store = _open_primary(primary, time.monotonic() + lock_wait)
    try:
        result: dict[str, Any] = {}
        if job.op == "update":
            store.update(job.sparql, base_iri=job.base_iri)
        elif job.op == "replace_graph":
            result["existed"] = job.graph is None or store.has_graph(job.graph)
            store.replace_graph(job.graph, job.data, job.media_type)
        elif job.op == "add_to_graph":
            result["existed"] = job.graph is None or store.has_graph(job.graph)
            store.add_to_graph(job.graph, job.data, job.media_type)
        elif job.op == "delete_graph":
            if job.graph is None:
                store.update("CLEAR DEFAULT")
                result["existed"] = True
            else:
                result["existed"] = store.delete_graph(job.graph)
        snap = snapshots.publish(store, primary)
        result["snapshot"] = snap.name
        return result
    finally:
        store.close()


def worker_main(conn: Connection, primary: str, role: str, lock_wait: float) -> None:
    """Loop of one worker process: receive a job, answer it, forever."""
    from kg.store import snapshots
    from kg.store.embedded import EmbeddedStore

    store = None
    lease = None
    while True:
        try:
            snapshot_name, job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        try:
            if isinstance(job, WriteJob):
                conn.send(("value", _run_write(primary, job, lock_wait)))
                continue
            if lease is None or lease.snapshot.name != snapshot_name:
                root = snapshots.snapshot_root(primary)
                new = snapshots.lease(snapshots._snapshot(root, snapshot_name)) or snapshots.lease_current(primary)  # noqa: SLF001
                store = None  # pyoxigraph closes a store when its last reference goes
                if lease is not None:
                    lease.release()
                lease = new
                store = EmbeddedStore(str(new.snapshot.path), read_only=True)
            if isinstance(job, QueryJob):
                sink = _ChunkSink(conn, job.max_bytes)
                result = store.query(job.sparql, job.dataset, job.bindings, base_iri=job.base_iri)
                result.write(sink, job.media_type)
                sink.finish()
            else:
                conn.send(("value", _CALLS[job.name](store, *job.args)))
        except QuerySyntaxError as exc:
            conn.send(("error", "syntax", str(exc)))
        except ResultTooLarge as exc:
            conn.send(("error", "too_large", str(exc)))
        except (StoreError, OSError, ValueError) as exc:
            # pyoxigraph wraps exceptions raised by our sink in RuntimeError/OSError
            kind = "too_large" if "larger than the limit" in str(exc) else "store"
            conn.send(("error", kind, str(exc)))
        except RuntimeError as exc:
            kind = "too_large" if "larger than the limit" in str(exc) else "store"
            conn.send(("error", kind, str(exc)))
        except Exception as exc:  # noqa: BLE001 - report, keep serving
            conn.send(("error", "internal", f"{type(exc).__name__}: {exc}"))


# -- the supervisor (asyncio side) ------------------------------------------------------
class _Handle:
    def __init__(self, process, conn: Connection):
        self.process = process
        self.conn = conn

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.conn.close()
        with contextlib.suppress(Exception):
            self.process.join(5)


def _spawn(primary: str, role: str, lock_wait: float) -> _Handle:
    parent, child = _SPAWN.Pipe(duplex=True)
    process = _SPAWN.Process(
        target=worker_main, args=(child, primary, role, lock_wait), name=f"arcon-{role}", daemon=True
    )
    process.start()
    child.close()
    return _Handle(process, parent)


async def _recv(conn: Connection, deadline: float) -> tuple:
    """Receive one message, waiting at most until ``deadline`` (loop time)."""
    loop = asyncio.get_running_loop()
    while not conn.poll():
        ready = loop.create_future()
        fd = conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await asyncio.wait_for(ready, timeout=max(0.0, deadline - loop.time()))
        except asyncio.TimeoutError:
            raise QueryTimeout from None
        finally:
            loop.remove_reader(fd)
    return conn.recv()


class WorkerPool:
    """A fixed number of worker processes of one role; a killed worker is replaced."""

    def __init__(self, primary: str, size: int, role: Literal["reader", "writer"], lock_wait: float = 10.0):
        self.primary = primary
        self.size = size
        self.role = role
        self.lock_wait = lock_wait
        self._idle: asyncio.Queue[_Handle] = asyncio.Queue()
        self._all: set[_Handle] = set()
        self._closed = False

    async def start(self) -> None:
        handles = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for h in handles:
            self._idle.put_nowait(h)

    async def _spawn(self) -> _Handle:
        handle = await asyncio.to_thread(_spawn, self.primary, self.role, self.lock_wait)
        self._all.add(handle)
        return handle

    async def _replace(self, handle: _Handle) -> None:
        self._all.discard(handle)
        await asyncio.to_thread(handle.kill)
        if not self._closed:
            self._idle.put_nowait(await self._spawn())

    async def close(self) -> None:
        self._closed = True
        for h in list(self._all):
            await asyncio.to_thread(h.kill)
        self._all.clear()

    @property
    def pids(self) -> list[int]:
        return [h.process.pid for h in self._all]

    async def run(self, job: Job, snapshot: str, timeout: float, wait: float | None = None) -> AsyncIterator[tuple]:
        """Run ``job`` on a free worker and yield its messages up to the last one.

        The worker is killed (and replaced) when the deadline passes, when the
        caller stops iterating early (client gone) or when the worker dies.
        """
        loop = asyncio.get_running_loop()
        try:
            handle = await asyncio.wait_for(self._idle.get(), timeout=timeout if wait is None else wait)
        except asyncio.TimeoutError:
            raise PoolBusy(f"all {self.size} {self.role} workers are busy; retry later") from None
        finished = False
        try:
            handle.conn.send((snapshot, job))
            deadline = loop.time() + timeout
            while True:
                try:
                    msg = await _recv(handle.conn, deadline)
                except (EOFError, OSError):
                    raise WorkerError("internal", "the worker process died while running the job") from None
                if msg[0] == "error":
                    finished = True
                    raise WorkerError(msg[1], msg[2])
                if msg[0] in ("end", "value"):
                    finished = True
                yield msg
                if finished:
                    return
        finally:
            if finished:
                self._idle.put_nowait(handle)
            else:
                # Timed out, cancelled (client disconnected) or abandoned: the only
                # way to stop pyoxigraph is to end the process.
                log.info("killing %s worker %s", self.role, handle.process.pid)
                await self._replace(handle)

    async def call(self, job: Job, snapshot: str, timeout: float) -> Any:
        """Run a job that answers with one value."""
        async for msg in self.run(job, snapshot, timeout):
            if msg[0] == "value":
                return msg[1]
        raise WorkerError("internal", "the worker sent no value")
