"""Batches of graphs as one N-Quads stream that pyoxigraph's bulk loader reads like a file.

One bulk load over the whole stream is as fast as loading one file, and the
batches are produced (extracted, mapped, gated) only as the loader asks for
more, so memory holds one batch at a time. Graphs with blank nodes are set
aside for the caller (a text load would rename their blank nodes). A failure
of the batch iterator ends the stream cleanly at a batch boundary and is kept
in :attr:`failure`, so everything read before it is whole.
"""

from __future__ import annotations

import bisect
import io
from collections.abc import Callable, Iterable, Iterator, Mapping


class NQuadsStream(io.RawIOBase):
    """A readable binary stream over the N-Quads of ``batches`` (graph IRI -> N-Triples)."""

    def __init__(self, batches: Iterable[Mapping[str, bytes]], to_nquads: Callable[[bytes, str], bytes | None]):
        """``to_nquads(data, graph)`` turns one graph's data into N-Quads text, or None when it cannot."""
        self._batches: Iterator[Mapping[str, bytes]] = iter(batches)
        self._to_nquads = to_nquads
        self._buffer = memoryview(b"")
        self._starts: list[int] = []  # first line of each graph in the stream, for error messages
        self._graphs: list[str] = []
        self._lines = 0
        self.set_aside: list[tuple[str, bytes]] = []  # (graph, data) to load another way
        self.failure: Exception | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._buffer:
            if not self._next_batch():
                return 0
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n

    def _next_batch(self) -> bool:
        if self.failure is not None:
            return False
        try:
            batch = next(self._batches)
        except StopIteration:
            return False
        except Exception as exc:  # the producer's failure: end the stream here, the caller re-raises
            self.failure = exc
            return False
        parts = []
        for graph, data in batch.items():
            nquads = self._to_nquads(data, graph) if b"_:" not in data else None
            if nquads is None:
                self.set_aside.append((graph, data))
                continue
            self._starts.append(self._lines + 1)
            self._graphs.append(graph)
            self._lines += nquads.count(b"\n")
            parts.append(nquads)
        self._buffer = memoryview(b"".join(parts))
        return True

    def graph_at(self, line: int | None) -> tuple[str, int] | None:
        """The graph whose data holds stream line ``line`` (1-based), and the line within that graph."""
        if not line or not self._starts:
            return None
        index = max(0, bisect.bisect_right(self._starts, line) - 1)
        return self._graphs[index], line - self._starts[index] + 1
