"""Measure the graph build on a synthetic corpus: ingest, re-ingest, store load rate, gate, validate, size.

    python benchmarks/bench_build.py --docs 12000 --work build/bench

Runs the real commands (`arcon ingest --extractions`, `arcon validate`) in
subprocesses on a real store and prints one line per figure, as the table rows
of benchmarks/README.md. Extraction is not measured here (the synthetic corpus
carries its own extractions); the extractor's benchmark measures that stage.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import generate  # noqa: E402

from kg.ingest.extractions import read_extractions  # noqa: E402
from kg.rdf.mapping import map_extraction  # noqa: E402
from kg.rdf.tbox import load_tbox  # noqa: E402
from kg.sources import Document, read_documents  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402
from kg.validate.gate import check_document, load_gate  # noqa: E402


def run(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (MiB) of the child, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return wall, max(peak, before) // 1024, done.stdout + done.stderr


def disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def row(figure: str, value: str, target: str, command: str) -> None:
    print(f"| {figure} | {value} | {target} | `{command}` |", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("build/bench"))
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--gate-sample", type=int, default=300)
    args = parser.parse_args()
    arcon = [sys.executable, "-m", "kg.cli"]
    corpus = args.work / f"corpus-{args.docs}"
    store = args.work / f"store-{args.docs}"
    if not (corpus / "articles.jsonl").exists():
        generate(args.docs, corpus, args.seed)
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(args.work / "quarantine", ignore_errors=True)
    ingest = [*arcon, "ingest", str(corpus / "articles.jsonl"), "--extractions", str(corpus / "extractions.jsonl"),
              "--store", str(store), "--quiet", "--quarantine", str(args.work / "quarantine")]
    cmd = f"python benchmarks/bench_build.py --docs {args.docs}"
    print(f"machine: {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}")
    print("| figure | value | target | command |\n|---|---|---|---|")

    wall, peak, out = run(ingest)
    summary = out.strip().splitlines()
    row(f"full ingest of {args.docs} (map+gate+store, no extraction)", f"{wall:.1f} s, {args.docs / wall:.1f} docs/s, "
        f"peak {peak} MiB", "≤ 20 min end to end with extraction", cmd)
    print("  " + " / ".join(summary[:2]), file=sys.stderr)
    wall, _, out = run(ingest)
    row(f"re-ingest of the unchanged {args.docs}", f"{wall:.1f} s", "≤ 60 s", cmd)

    wall, _, out = run([*arcon, "validate", "--store", str(store)])
    row(f"`arcon validate` on the {args.docs}-article store", f"{wall:.1f} s ({out.strip().splitlines()[-1][:60]})",
        "≤ 2 min", cmd)
    row("store size on disk", f"{disk_mib(store):.0f} MiB", "-", cmd)

    # Store load rate: our batched, per-document-atomic writes vs pyoxigraph's bulk_load of the same quads.
    s = EmbeddedStore(store, read_only=True)
    graphs = [g for g in s.graphs() if "/graph/doc/" in g]
    per_graph: dict[str, bytes] = {}
    for g in graphs:
        buf = io.BytesIO()
        s.dump(buf, "application/n-triples", g)
        per_graph[g] = buf.getvalue()
    quads = sum(v.count(b"\n") for v in per_graph.values())
    buf = io.BytesIO()
    for g in graphs:
        s.dump(buf, "application/n-quads", g)
    nquads = buf.getvalue()
    s.close()
    ours_dir, raw_dir = args.work / "load-ours", args.work / "load-raw"
    for d in (ours_dir, raw_dir):
        shutil.rmtree(d, ignore_errors=True)
    ours = EmbeddedStore(ours_dir)
    start = time.perf_counter()
    items = list(per_graph.items())
    for i in range(0, len(items), 64):
        ours.replace_graphs(dict(items[i:i + 64]))
    ours.close()
    ours_rate = quads / (time.perf_counter() - start)
    raw = ox.Store(str(raw_dir))
    start = time.perf_counter()
    raw.bulk_load(nquads, ox.RdfFormat.N_QUADS)
    raw.flush()
    raw_rate = quads / (time.perf_counter() - start)
    del raw
    row("store load rate (batches of 64 documents, each atomic) vs raw `bulk_load`",
        f"{ours_rate:,.0f} vs {raw_rate:,.0f} quads/s = {100 * ours_rate / raw_rate:.0f} %", "≥ 70 %", cmd)

    # The per-document gate, both engines, on a sample of documents.
    tbox = load_tbox()
    gate = load_gate(tbox)
    extractor = read_extractions(corpus / "extractions.jsonl")
    docs = [d for d in read_documents([corpus / "articles.jsonl"]) if isinstance(d, Document)][: args.gate_sample]
    timings: dict[str, list[float]] = {"sparql": [], "pyshacl": []}
    for extraction in extractor.extract(docs):
        graph = map_extraction(extraction, tbox)
        for engine, sample in (("sparql", len(docs)), ("pyshacl", 50)):
            if len(timings[engine]) < sample:
                start = time.perf_counter()
                check_document(gate, graph, engine)  # type: ignore[arg-type]
                timings[engine].append((time.perf_counter() - start) * 1000)
    for engine, ms in timings.items():
        ms.sort()
        row(f"per-document gate, {engine} ({len(ms)} documents)",
            f"median {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms", "median ≤ 20 ms", cmd)
    print(json.dumps({"docs": args.docs, "quads": quads}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
