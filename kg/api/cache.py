"""Answers of read queries, kept per snapshot: a snapshot never changes, so neither does an answer on it.

Under load most requests are the same few named queries with the same
parameters (a dashboard, a map). Without this, each one queues for a worker and
runs again, and 32 clients of multi-second queries on two workers wait longer
than the time limit (503). So:

* an answer up to a quarter of ``max_bytes`` is kept (collected while it is
  sent, streamed or not), keyed by the snapshot and everything that shapes the
  answer; the least recently used go first past ``max_bytes``, and all of them
  when a new snapshot is served;
* a request identical to one still running waits for that one instead of
  taking a worker of its own, and gets its answer, or its error (time-out,
  busy pool, malformed query); if that answer was too large to keep, it runs
  its own.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import aclosing

from kg.api.workers import PoolBusy, QueryJob, QueryTimeout, WorkerError

Key = tuple[str, Hashable]


def job_key(snapshot: str, job: QueryJob) -> Key:
    """What makes two jobs give the same bytes on one snapshot."""
    bindings = tuple(sorted((name, term.n3()) for name, term in (job.bindings or {}).items()))
    return snapshot, (job.sparql, job.media_type, job.dataset, bindings, job.base_iri, job.max_bytes)


class ResultCache:
    """Serialised answers by `job_key`, and the jobs running now that identical requests can wait for."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.max_item = max_bytes // 4
        self._items: OrderedDict[Key, tuple[list[tuple], int]] = OrderedDict()
        self._size = 0
        self._snapshot = ""
        self._running: dict[Key, asyncio.Future] = {}
        #: Requests answered from a kept answer, by waiting for an identical one, by a worker.
        self.hits = self.shared = self.misses = 0

    @property
    def size(self) -> int:
        return self._size

    def _keep(self, key: Key, messages: list[tuple], size: int) -> None:
        if key[0] != self._snapshot:  # answered on a snapshot that is no longer served
            return
        self._items[key] = (messages, size)
        self._size += size
        while self._size > self.max_bytes:
            _, (_, dropped) = self._items.popitem(last=False)
            self._size -= dropped

    def _serve_snapshot(self, snapshot: str) -> None:
        if snapshot != self._snapshot:
            self._items.clear()
            self._size = 0
            self._snapshot = snapshot

    async def stream(self, key: Key, run: Callable[[], AsyncIterator[tuple]]) -> AsyncIterator[tuple]:
        """The messages of the answer to ``key``: kept, shared with a running twin, or from ``run()``."""
        if self.max_bytes <= 0:
            async with aclosing(run()) as fresh:
                async for msg in fresh:
                    yield msg
            return
        self._serve_snapshot(key[0])
        twin = self._running.get(key) if key not in self._items else None
        if twin is not None:
            outcome = await asyncio.shield(twin)
            if isinstance(outcome, Exception):
                self.shared += 1
                raise outcome
        if key in self._items:
            self._items.move_to_end(key)
            messages, _ = self._items[key]
            if twin is None:
                self.hits += 1
            else:
                self.shared += 1
            for msg in messages:
                yield msg
            return
        self.misses += 1
        done = asyncio.get_running_loop().create_future()
        self._running[key] = done
        kept: list[tuple] | None = []
        size = 0
        outcome: Exception | None = None
        try:
            async with aclosing(run()) as fresh:
                async for msg in fresh:
                    if kept is not None:
                        size += len(msg[1])
                        if size <= self.max_item:
                            kept.append(msg)
                        else:
                            kept = None
                    if msg[0] == "end" and kept is not None:
                        self._keep(key, kept, size)
                    yield msg
        except (QueryTimeout, PoolBusy, WorkerError) as exc:
            outcome = exc
            raise
        finally:
            if self._running.get(key) is done:
                del self._running[key]
            done.set_result(outcome)  # waiters find the answer kept, or this error, or run their own
