"""The value every reader produces and the extractor consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Document:
    """One news article (or any text) with the metadata provenance needs.

    ``id`` is stable across runs: the article URL when known, else
    ``"sha256:<hex>"`` of the text (see :func:`content_id`). ``published`` is an
    ISO date (``YYYY-MM-DD``) or ``None`` when unknown: never today's date.
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    publisher: str | None = None
    language: str = "en"
    source: str = ""  # where it was read from (file path, "file.jsonl:12", "guardian"), for messages

    @property
    def content_hash(self) -> str:
        """Hash of everything that ends up in the graph; a change means re-ingest."""
        parts = [self.id, self.title or "", self.url or "", self.published or "", self.publisher or "", self.language, self.text]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def content_id(text: str) -> str:
    """Stable identifier for a document that has no URL."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
