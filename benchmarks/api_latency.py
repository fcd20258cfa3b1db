"""Latency of every named query through HTTP against the same query in-process on pyoxigraph.

    .venv/bin/python benchmarks/api_latency.py --articles 400 --repeat 30
    .venv/bin/python benchmarks/api_latency.py --corpus examples/corpus --repeat 30

Builds a store of N synthetic articles (the analyst fixture of tests/api, copied
N/4 times under new URLs), or of a folder of articles with spaCy (``--corpus``),
with the real `arcon ingest`, starts `arcon serve` on loopback, and times each
named query (example parameters) K times both ways.
Prints a Markdown table: p50/p95 in ms and the HTTP overhead at p50.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.query.named import load_all  # noqa: E402
from kg.store import snapshots  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402
from tests.api import analyst_fixture  # noqa: E402
from tests.live_server import live_server  # noqa: E402


def build(folder: Path, articles: int) -> Path:
    copies = max(1, articles // len(analyst_fixture.ARTICLES))
    original = list(analyst_fixture.ARTICLES)
    analyst_fixture.ARTICLES[:] = [
        (f"{url}-{i}", date, title, sentences) for i in range(copies) for url, date, title, sentences in original
    ]
    try:
        return analyst_fixture.build_store(folder)
    finally:
        analyst_fixture.ARTICLES[:] = original


def build_corpus(folder: Path, corpus: Path) -> Path:
    import subprocess

    store = folder / "store"
    subprocess.run([sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store), "--quiet"],
                   check=True, capture_output=True)
    return store


def params_for(q, actor: str) -> dict[str, str]:
    values = {"country": "PE", "year": "2013", "actor": actor}
    return {p.name: values[p.name] for p in q.params if p.name in values}


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--corpus", type=Path, default=None, help="build from these articles with spaCy instead")
    args = ap.parse_args()
    actor = "https://w3id.org/arcon/id/criminal-group/shining-path" if args.corpus else analyst_fixture.MDC
    queries = {n: q for n, q in load_all().items() if n != "evidence"}
    with tempfile.TemporaryDirectory() as tmp:
        store = build_corpus(Path(tmp), args.corpus) if args.corpus else build(Path(tmp), args.articles)
        with live_server(store) as url:
            local = EmbeddedStore(snapshots.current(store).path, read_only=True)
            print(f"| query | rows | in-process p50 / p95 ms | HTTP p50 / p95 ms | overhead p50 ms |")
            print("|---|---|---|---|---|")
            with httpx.Client(timeout=60) as client:
                for name, q in queries.items():
                    raw = params_for(q, actor)
                    bindings = q.bindings(raw)
                    inproc, http = [], []
                    for _ in range(args.repeat):
                        t = time.perf_counter()
                        rows = list(local.query(q.sparql, bindings=bindings).rows())
                        inproc.append(time.perf_counter() - t)
                        t = time.perf_counter()
                        r = client.get(f"{url}queries/{name}", params=raw, headers={"Accept": "application/sparql-results+json"})
                        assert r.status_code == 200, f"{name}: {r.status_code} {r.text}"
                        json.loads(r.content)
                        http.append(time.perf_counter() - t)
                    print(
                        f"| {name} | {len(rows)} | {pct(inproc, .5):.1f} / {pct(inproc, .95):.1f} | "
                        f"{pct(http, .5):.1f} / {pct(http, .95):.1f} | {statistics.median(http) * 1000 - statistics.median(inproc) * 1000:.1f} |"
                    )


if __name__ == "__main__":
    main()
