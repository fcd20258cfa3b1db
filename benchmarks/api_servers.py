"""Servers, queries and /proc sampling shared by the API benchmarks (`api_bench.py`).

Both servers run as real processes on loopback: `arcon serve` over a store
folder, and the `rdflib-endpoint` command over an N-Quads dump of the same
store (an rdflib `Dataset` with the union default graph, held in memory).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from kg.query.named import NamedQuery

ARCON = "PREFIX arcon: <https://w3id.org/arcon/ontology#>\n"
RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
STATUS = "PREFIX status: <https://w3id.org/arcon/concept/status/>\n"

#: Ad-hoc queries sent to /sparql: a small SELECT (reference groups and their labels) and an ASK.
ADHOC = {
    "select-insurgent-groups": ARCON + RDFS
    + "SELECT ?group ?label WHERE { ?group a arcon:InsurgentGroup ; rdfs:label ?label } ORDER BY ?group ?label",
    "ask-convicted-bribery": ARCON + STATUS
    + "ASK { ?claim arcon:relation arcon:bribes ; arcon:status status:convicted }",
}


def inline(query: NamedQuery, raw: dict[str, str]) -> str:
    """The named query as plain SPARQL with its parameter values written in, as a user would.

    For servers that cannot bind parameters (rdflib-endpoint), and for ARCON's
    /sparql with the same text. A parameter becomes a VALUES block at the start
    of the WHERE clause, so that it is joined first; one the query assigns
    itself (``BIND(YEAR(?issued) AS ?year)``) becomes a FILTER instead, since
    BIND may not assign a variable already in scope.
    """
    text = "".join(line for line in query.sparql.splitlines(keepends=True) if not line.startswith("#+"))
    terms = query.bindings(raw)
    if not terms:
        return text
    assigned = set(re.findall(r"BIND\(.*\bAS\s+\?(\w+)\)", text))
    values = {k: v for k, v in terms.items() if k not in assigned}
    filters = {k: v for k, v in terms.items() if k in assigned}
    open_at = re.search(r"\bWHERE\s*\{", text).end()
    depth, close_at = 1, open_at
    while depth:
        depth += {"{": 1, "}": -1}.get(text[close_at], 0)
        close_at += 1
    close_at -= 1
    head = "".join(f"\n  VALUES ?{k} {{ {v.n3()} }}" for k, v in values.items())
    tail = "".join(f"  FILTER(?{k} = {v.n3()})\n" for k, v in filters.items())
    return text[:open_at] + head + text[open_at:close_at] + tail + text[close_at:]


# -- processes and memory -----------------------------------------------------------------
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


#: Where each server answers SPARQL queries, below its base URL.
SPARQL_PATH = {"ARCON": "sparql", "rdflib-endpoint": ""}


# -- the rdflib-endpoint server -----------------------------------------------------------
def wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not answer in {timeout:.0f} s") from None
            time.sleep(0.5)


class RdflibEndpoint:
    """`rdflib-endpoint serve DUMP` as a process: its own command (rdflib Dataset, union default graph, uvicorn).

    rdflib-endpoint runs each query in its event loop with no time limit, so a
    query the client gave up on still blocks the server: `restart` is how the
    benchmark gets it back. After `start`, ``started`` is the time from launch to
    the first answer (parsing the dump into memory, almost all of it) and
    ``loading_peak`` the peak memory until then.
    """

    def __init__(self, dump: Path, port: int, log: Path, timeout: float = 3600):
        self.dump, self.port, self.log, self.timeout = dump, port, log, timeout
        self.url = f"http://127.0.0.1:{port}/"
        self.proc: subprocess.Popen | None = None
        self.started = 0.0
        self.loading_peak = Memory(0, 0, 0)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def start(self) -> None:
        cmd = [sys.executable, "-m", "rdflib_endpoint", "serve", str(self.dump), "--host", "127.0.0.1",
               "--port", str(self.port)]
        out = open(self.log, "ab")
        begin = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        with PeakSampler(self.proc.pid) as sampler:
            wait_until_up(self.url, self.proc, self.log, self.timeout)
        self.loading_peak = sampler.peak
        self.started = time.perf_counter() - begin

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()  # it may be inside a query that ignores SIGTERM for minutes
            self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()
