"""Extraction throughput: the whole ARCON pipeline against bare `nlp.pipe` of the same model.

Texts: the bodies of the dev articles of examples/corpus (the held-out test
articles are not used), repeated until --words words. Each figure is words per
second over the whole run (model loading excluded), for 1 and 2 processes.

    .venv/bin/python benchmarks/extract_speed.py --words 100000

Prints a Markdown table; the last measured figures are in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
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


def bare(model: str, docs: list[Document], processes: int, batch_size: int) -> float:
    nlp = spacy.load(model)
    start = time.perf_counter()
    for _ in nlp.pipe((d.text for d in docs), batch_size=batch_size, n_process=processes):
        pass
    return time.perf_counter() - start


def ours(docs: list[Document], processes: int, batch_size: int) -> float:
    nlp = build_pipeline()
    start = time.perf_counter()
    n = 0
    for ex in extract(docs, nlp, batch_size=batch_size, processes=processes):
        n += len(ex.claims) + len(ex.entities)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    model = pick_model()
    if model is None:
        raise SystemExit("no statistical English model installed; nothing to compare against")
    docs = corpus(args.words)
    words = sum(len(d.text.split()) for d in docs)
    print(f"{len(docs)} documents, {words} words, model {model}, {platform.processor() or platform.machine()}")
    print("| processes | bare nlp.pipe (words/s) | ARCON extract (words/s) | ratio |")
    print("|---|---|---|---|")
    for p in args.processes:
        b = words / bare(model, docs, p, args.batch_size)
        o = words / ours(docs, p, args.batch_size)
        print(f"| {p} | {b:,.0f} | {o:,.0f} | {o / b:.0%} |")


if __name__ == "__main__":
    main()
