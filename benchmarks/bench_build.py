"""Measure the graph build on a synthetic corpus: ingest, re-ingest, store load rate, gate, validate, size.

    python benchmarks/bench_build.py --docs 12000 --work build/bench
    python benchmarks/bench_build.py --docs 12000 --work build/bench --spacy --processes 2   # with extraction

Runs the real commands (`arcon ingest`, `arcon validate`) in subprocesses on a
real store and prints one line per figure, as the table rows of
benchmarks/README.md. By default the corpus's planted extractions are used
(`--extractions`), so the figures are those of the graph build alone; with
`--spacy` the ingest runs the spaCy extractor too (the end-to-end figure).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proctree import PeakSampler  # noqa: E402
from synthetic import generate  # noqa: E402

from kg.ingest.extractions import read_extractions  # noqa: E402
from kg.rdf.mapping import map_extraction  # noqa: E402
from kg.rdf.tbox import load_tbox  # noqa: E402
from kg.sources import Document, read_documents  # noqa: E402
from kg.store.embedded import EmbeddedStore  # noqa: E402
from kg.validate.gate import check_document, check_documents, load_gate  # noqa: E402


def run(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak memory (MiB) of the child and the processes it starts, and its output.

    Memory is the peak of the summed PSS (proportional set size: shared pages
    split between the processes sharing them) of the process tree, sampled
    once a second from /proc, so spaCy's worker processes count too.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakSampler(proc.pid, interval=1.0) as sampler:
        out, err = proc.communicate()
        wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return wall, int(sampler.peak.pss), out + err


def disk_mib(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def row(figure: str, value: str, target: str) -> None:
    print(f"| {figure} | {value} | {target} |", flush=True)


def load_rates(store: Path, work: Path, rounds: int = 2) -> None:
    """`Store.rebuild` (a first build) and `Store.replace_graphs` (an update) vs raw `bulk_load` of the same quads."""
    s = EmbeddedStore(store, read_only=True)
    graphs = s.graphs()
    per_graph: dict[str, bytes] = {}
    for g in graphs:
        buf = io.BytesIO()
        s.dump(buf, "application/n-triples", g)
        per_graph[g] = buf.getvalue()
    buf = io.BytesIO()
    s.dump(buf, "application/n-quads")
    nquads = buf.getvalue()
    s.close()
    quads = nquads.count(b"\n")
    items = list(per_graph.items())
    batches = [dict(items[i:i + 64]) for i in range(0, len(items), 64)]
    target = work / "load-target"

    def fresh() -> None:
        for suffix in ("", ".new", ".old"):
            shutil.rmtree(f"{target}{suffix}", ignore_errors=True)

    def raw() -> float:
        fresh()
        st = ox.Store(str(target))
        start = time.perf_counter()
        st.bulk_load(nquads, ox.RdfFormat.N_QUADS)
        st.flush()
        del st
        return quads / (time.perf_counter() - start)

    def rebuild() -> float:
        fresh()
        st = EmbeddedStore(target)
        start = time.perf_counter()
        st.rebuild(iter(batches))
        st.close()
        return quads / (time.perf_counter() - start)

    def transactions() -> float:
        fresh()
        st = EmbeddedStore(target)
        start = time.perf_counter()
        for batch in batches:
            st.replace_graphs(batch)
        st.close()
        return quads / (time.perf_counter() - start)

    results: dict[str, list[float]] = {"raw": [], "rebuild": [], "transactions": []}
    for _ in range(rounds):  # interleaved, so a burst of load from other users hits all three
        for name, measure in (("raw", raw), ("rebuild", rebuild), ("raw", raw), ("transactions", transactions)):
            results[name].append(measure())
    fresh()
    raw_rate = statistics.median(results["raw"])
    for name, label in (("rebuild", "first build (`Store.rebuild`: bulk load into a fresh folder, swapped in)"),
                        ("transactions", "update (`Store.replace_graphs`, one transaction per 64 documents)")):
        ours = statistics.median(results[name])
        row(f"store load rate, {label}, {quads:,} quads", f"{ours:,.0f} vs {raw_rate:,.0f} quads/s raw `bulk_load` "
            f"= {100 * ours / raw_rate:.0f} % (median of {rounds})", "≥ 70 %" if name == "rebuild" else "–")


def gate_figures(corpus: Path, sample: int) -> None:
    tbox = load_tbox()
    gate = load_gate(tbox)
    extractor = read_extractions(corpus / "extractions.jsonl")
    docs = []
    for item in read_documents([corpus / "articles.jsonl"]):
        if isinstance(item, Document):
            docs.append(item)
            if len(docs) == sample:
                break
    graphs = [map_extraction(e, tbox) for e in extractor.extract(docs)]
    single = []
    for graph in graphs:
        start = time.perf_counter()
        check_document(gate, graph)
        single.append((time.perf_counter() - start) * 1000)
    batched = []
    for i in range(0, len(graphs) - 63, 64):
        start = time.perf_counter()
        check_documents(gate, graphs[i:i + 64])
        batched.append((time.perf_counter() - start) * 1000 / 64)
    reference = []
    for graph in graphs[:50]:
        start = time.perf_counter()
        check_document(gate, graph, "pyshacl")
        reference.append((time.perf_counter() - start) * 1000)
    for label, ms in (("one document at a time, compiled SPARQL", single),
                      ("in batches of 64 (as ingest runs it), per document", batched),
                      ("pySHACL, one document at a time", reference)):
        ms.sort()
        row(f"per-document gate, {label} ({len(ms)} {'batches' if 'batches' in label else 'documents'})",
            f"median {statistics.median(ms):.1f} ms, p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms", "median ≤ 20 ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path("build/bench"))
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--gate-sample", type=int, default=320)
    parser.add_argument("--spacy", action="store_true", help="run the spaCy extractor instead of the planted extractions")
    parser.add_argument("--processes", type=int, default=1, help="extraction processes (with --spacy)")
    parser.add_argument("--skip", default="", help="comma-separated: load,gate")
    parser.add_argument("--update", type=int, default=500, help="then ingest this many new articles (0: skip)")
    args = parser.parse_args()
    arcon = [sys.executable, "-m", "kg.cli"]
    corpus = args.work / f"corpus-{args.docs}"
    store = args.work / f"store-{args.docs}"
    if not (corpus / "articles.jsonl").exists():
        generate(args.docs, corpus, args.seed)
    for suffix in ("", ".new", ".old"):
        shutil.rmtree(f"{store}{suffix}", ignore_errors=True)
    shutil.rmtree(args.work / "quarantine", ignore_errors=True)
    how = (["--processes", str(args.processes)] if args.spacy
           else ["--extractions", str(corpus / "extractions.jsonl")])
    ingest = [*arcon, "ingest", str(corpus / "articles.jsonl"), *how,
              "--store", str(store), "--quiet", "--quarantine", str(args.work / "quarantine")]
    load = os.getloadavg()
    print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"pyoxigraph {ox.__version__}, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}, {date.today()}")
    print(f"command: python benchmarks/bench_build.py {' '.join(sys.argv[1:])}")
    print("| figure | value | target |\n|---|---|---|")

    wall, peak, out = run(ingest)
    stage = "extraction + map + gate + store" if args.spacy else "map + gate + store, planted extractions"
    row(f"full ingest of {args.docs:,} articles ({stage}): wall, rate, peak memory (PSS of the process tree)",
        f"{wall:.1f} s ({wall / 60:.1f} min), {args.docs / wall:.1f} docs/s, {peak:,} MiB", "≤ 20 min end to end")
    print("  " + " / ".join(out.strip().splitlines()[-4:]), file=sys.stderr)
    wall, _, out = run(ingest)
    row(f"re-ingest of the unchanged {args.docs:,}", f"{wall:.1f} s", "≤ 60 s")

    wall, peak, out = run([*arcon, "validate", "--store", str(store)])
    verdict = out.strip().splitlines()[-1][:60] if out.strip() else ""
    row(f"`arcon validate` on the {args.docs:,}-article store", f"{wall:.1f} s, peak {peak:,} MiB ({verdict})",
        "≤ 2 min")
    row("store size on disk", f"{disk_mib(store):,.0f} MiB", "–")
    if args.update:
        # The same seed gives the same first articles: the larger corpus is the built one plus new articles,
        # which go through the transactional update path (entity descriptions recomputed in each batch).
        larger = args.work / f"corpus-{args.docs + args.update}"
        if not (larger / "articles.jsonl").exists():
            generate(args.docs + args.update, larger, args.seed)
        # Extracted the same way as the store was built: planted extractions for a store built from spaCy's
        # would change every document's build key and rewrite all of them.
        how = (["--processes", str(args.processes)] if args.spacy
               else ["--extractions", str(larger / "extractions.jsonl")])
        wall, _, out = run([*arcon, "ingest", str(larger / "articles.jsonl"), *how, "--store", str(store), "--quiet",
                            "--quarantine", str(args.work / "quarantine")])
        summary = next((line.strip() for line in out.splitlines() if line.strip().startswith("written")), "")
        row(f"update: {args.update:,} new articles into the {args.docs:,}-article store (one transaction per 64, "
            f"entity descriptions recomputed in each)", f"{wall:.1f} s, {args.update / wall:.1f} docs/s ({summary})",
            "–")
    if "load" not in args.skip:
        load_rates(store, args.work)
    if "gate" not in args.skip:
        gate_figures(corpus, args.gate_sample)
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
