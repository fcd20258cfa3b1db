"""Memory of a process tree on Linux (/proc): the benchmarks count a server or an ingest with its workers.

PSS (proportional set size) splits shared pages between the processes that
share them, so summing it over a tree does not count them twice; RSS is given
beside it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass


def descendants(root: int) -> list[int]:
    """``root`` and every process below it (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def rollup(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; zeros if it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


@dataclass
class Memory:
    """Memory of a process tree: summed RSS and PSS (MiB), and how many processes."""

    rss: float
    pss: float
    processes: int

    def __str__(self) -> str:
        return f"RSS {self.rss:,.0f} MiB, PSS {self.pss:,.0f} MiB ({self.processes} processes)"


def tree_memory(root: int) -> Memory:
    pids = descendants(root)
    totals = [rollup(pid) for pid in pids]
    return Memory(sum(r for r, _ in totals) / 1024, sum(p for _, p in totals) / 1024, len(pids))


class PeakSampler:
    """Samples a process tree's memory every ``interval`` seconds in a thread; keeps the peaks."""

    def __init__(self, root: int, interval: float = 0.5):
        self.root = root
        self.interval = interval
        self.peak = Memory(0, 0, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            now = tree_memory(self.root)
            self.peak = Memory(max(self.peak.rss, now.rss), max(self.peak.pss, now.pss),
                               max(self.peak.processes, now.processes))
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
