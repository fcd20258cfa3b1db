"""How fast `kg.sources.read_documents` turns files into Documents.

Writes a synthetic corpus (Markdown with front matter, HTML pages, one JSON
Lines file) of news-sized articles into a temporary folder, then times one
full read per format, language detection included.

    .venv/bin/python benchmarks/sources_read.py [--articles 2000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from kg.sources import Document, read_documents

PARAGRAPH = (
    "Police in the Upper Huallaga valley said on Tuesday that officers had arrested three men suspected of "
    "moving cocaine paste to clandestine airstrips, and that a local mayor was under investigation for "
    "allegedly taking bribes from the traffickers, who reportedly paid farmers in advance for their coca."
)


def article(i: int) -> str:
    return "\n\n".join(f"{PARAGRAPH} (Report {i}, paragraph {p}.)" for p in range(12))  # ~3,600 characters


def write_corpus(root: Path, n: int) -> dict[str, Path]:
    md, html = root / "md", root / "html"
    md.mkdir()
    html.mkdir()
    with (root / "batch.jsonl").open("w", encoding="utf-8") as jsonl:
        for i in range(n):
            url = f"https://news.example/bench/{i}"
            body = article(i)
            (md / f"{i:06d}.md").write_text(
                f"---\ntitle: Report {i}\nurl: {url}\npublished: 2013-05-03\npublisher: Bench\n---\n{body}",
                encoding="utf-8",
            )
            paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
            (html / f"{i:06d}.html").write_text(
                f'<html lang="en"><head><title>Report {i}</title><link rel="canonical" href="{url}">'
                f"<script>track()</script></head><body><nav>Home</nav><article>{paragraphs}</article>"
                "<footer>(c)</footer></body></html>",
                encoding="utf-8",
            )
            jsonl.write(json.dumps({"id": url, "title": f"Report {i}", "text": body}) + "\n")
    return {"markdown": md, "html": html, "jsonl": root / "batch.jsonl"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = write_corpus(Path(folder), args.articles)
        list(read_documents([corpus["jsonl"]], max_chars=10))  # load the language model outside the timing
        print(f"{'format':<10} {'documents':>9} {'seconds':>8} {'docs/s':>8} {'MB text/s':>9}")
        for name, path in corpus.items():
            start = time.perf_counter()
            docs = [d for d in read_documents([path]) if isinstance(d, Document)]
            seconds = time.perf_counter() - start
            chars = sum(len(d.text) for d in docs)
            assert len(docs) == args.articles, name
            print(f"{name:<10} {len(docs):>9} {seconds:>8.2f} {len(docs) / seconds:>8.0f} {chars / seconds / 1e6:>9.2f}")


if __name__ == "__main__":
    main()
