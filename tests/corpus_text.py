"""What the sample corpus says in plain text: an upper bound for article counts that no extractor can beat.

A query that says "4 articles" about the Shining Path and the VRAEM is wrong if
fewer than 4 articles of that year even name both; so counts are checked
against the raw text as well as against a floor of what the corpus robustly states.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


@dataclass(frozen=True)
class Article:
    path: Path
    url: str
    title: str
    published: str
    body: str  # the text after the front matter: offsets count from its first character


@lru_cache(maxsize=1)
def articles() -> tuple[Article, ...]:
    out = []
    for path in sorted(CORPUS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, header, body = text.split("---\n", 2)
        meta = yaml.safe_load(header)
        out.append(Article(path, meta["url"], meta["title"], str(meta["published"]), body))
    return tuple(out)


def by_url(url: str) -> Article:
    return next(a for a in articles() if a.url == url)


def naming(*words: str, year: int | None = None) -> int:
    """How many articles (of ``year``) contain every one of ``words`` (case-insensitive)."""
    return sum(1 for a in articles()
               if (year is None or a.published.startswith(str(year)))
               and all(w.casefold() in a.body.casefold() for w in words))
