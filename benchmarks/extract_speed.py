"""Extraction throughput: the whole ARCON pipeline against bare `nlp.pipe` of the same model.

Texts: the bodies of the dev articles of examples/corpus (the held-out test
articles are not used), repeated until --words words. Each figure is words per
second over the whole run (model loading excluded), for 1 and 2 processes. The
two pipelines run alternately --repeat times after a warm-up, and the fastest
run of each counts, so that load from other users of a shared machine weighs
on both alike.

    .venv/bin/python benchmarks/extract_speed.py --words 100000

Prints a Markdown table; the last measured figures are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import spacy

from kg.extract.pipeline import build_pipeline, extract, pick_model
from kg.sources import Document, read_documents

ROOT = Path(__file__).resolve().parent.parent


def dev_texts() -> list[Document]:
    dev = {json.loads(p.read_text(encoding="utf-8").splitlines()[0])["doc"]
           for p in (ROOT / "examples" / "gold" / "dev").glob("*.jsonl")}
    return [d for d in read_documents([ROOT / "examples" / "corpus"]) if isinstance(d, Document) and d.id in dev]


def corpus(words: int) -> list[Document]:
    base = dev_texts()
    out: list[Document] = []
    total = 0
    while total < words:
        for d in base:
            out.append(Document(id=f"{d.id}#{len(out)}", text=d.text, published=d.published))
            total += len(d.text.split())
            if total >= words:
                break
    return out


def bare(nlp, docs: list[Document], processes: int, batch_size: int) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe((d.text for d in docs), batch_size=batch_size, n_process=processes):
        pass
    return time.perf_counter() - start


def ours(nlp, docs: list[Document], processes: int, batch_size: int) -> float:
    start = time.perf_counter()
    n = 0
    for ex in extract(docs, nlp, batch_size=batch_size, processes=processes):
        n += len(ex.claims) + len(ex.entities)
    return time.perf_counter() - start


def component_shares(docs: list[Document]) -> dict[str, float]:
    """CPU seconds in each pipeline component, one document at a time (where the time goes, not a rate)."""
    nlp = build_pipeline()
    spent = {name: 0.0 for name in nlp.pipe_names}
    for d in docs:
        doc = nlp.make_doc(d.text)
        for name, proc in nlp.pipeline:
            start = time.process_time()
            doc = proc(doc)
            spent[name] += time.process_time() - start
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each pipeline, alternating; the fastest counts (the machine is shared)")
    parser.add_argument("--components", action="store_true",
                        help="print each component's share of CPU time instead of the throughput table")
    args = parser.parse_args()
    if args.components:
        spent = component_shares(corpus(args.words))
        total = sum(spent.values())
        for name, seconds in spent.items():
            print(f"{name:<18}{seconds:8.2f} s {seconds / total:7.1%}")
        own = sum(v for k, v in spent.items() if k.startswith("arcon_"))
        print(f"{'ARCON components':<18}{own:8.2f} s {own / total:7.1%}")
        return
    model = pick_model()
    if model is None:
        raise SystemExit("no statistical English model installed; nothing to compare against")
    docs = corpus(args.words)
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} documents, {words} words, model {model}, {platform.processor() or platform.machine()}, "
          f"best of {args.repeat} alternating runs, load average before: {os.getloadavg()[0]:.2f}")
    plain, arcon = spacy.load(model), build_pipeline()
    bare(plain, docs[:4], 1, args.batch_size)  # warm both up: first calls allocate and load lazily
    ours(arcon, docs[:4], 1, args.batch_size)
    print("| processes | bare nlp.pipe (words/s) | ARCON extract (words/s) | ratio |")
    print("|---|---|---|---|")
    for p in args.processes:
        b_time = o_time = float("inf")
        for _ in range(args.repeat):
            b_time = min(b_time, bare(plain, docs, p, args.batch_size))
            o_time = min(o_time, ours(arcon, docs, p, args.batch_size))
        b, o = words / b_time, words / o_time
        print(f"| {p} | {b:,.0f} | {o:,.0f} | {o / b:.0%} |")


if __name__ == "__main__":
    main()
