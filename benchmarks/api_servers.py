"""Servers and queries shared by the API benchmarks (`api_bench.py`); memory sampling is in `proctree.py`.

Both servers run as real processes on loopback: `arcon serve` over a store
folder, and the `rdflib-endpoint` command over an N-Quads dump of the same
store (an rdflib `Dataset` with the union default graph, held in memory).
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kg.query.named import NamedQuery
from proctree import Memory, PeakSampler

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
