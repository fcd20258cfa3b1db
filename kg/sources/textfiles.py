"""Plain-text and Markdown articles → :class:`Document`.

A Markdown article may open with YAML front matter (``docs/contracts.md`` §5)::

    ---
    title: Police seize cocaine in Ucayali
    url: https://example.org/news/2013/05/ucayali-seizure
    published: 2013-05-03
    publisher: Example News
    language: en          # optional; detected when absent
    ---
    Body text…

The body is everything after the closing ``---`` line, kept as written (no
Markdown is rendered), so character offsets count from its first character.
Other front-matter keys are allowed and ignored.
"""

from __future__ import annotations

from typing import Any

import yaml

from kg.sources.document import Document
from kg.sources.errors import BadInput
from kg.sources.metadata import (
    make_document,
    normalise_date,
    normalise_language,
    normalise_text_field,
    normalise_url,
)

_OPENING = "---\n"
_CLOSINGS = ("---", "...")


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as the strings written, so one date parser judges every reader's dates.

    The pure-Python loader, not libyaml's: front matter is tiny, and its error
    messages are then the same on every machine.
    """


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def text_document(text: str, source: str) -> Document:
    """A plain-text file: all of it is the body; no metadata, so the id is the content hash."""
    return make_document(text, source=source)


def markdown_document(text: str, source: str) -> Document:
    """A Markdown file with optional front matter."""
    fields, body = split_front_matter(text)
    if not body.strip():
        raise BadInput("no text after the front matter" if fields else "empty file")
    return make_document(
        body,
        source=source,
        title=normalise_text_field(fields.get("title"), "title"),
        url=normalise_url(fields.get("url")),
        published=normalise_date(fields.get("published")),
        publisher=normalise_text_field(fields.get("publisher"), "publisher"),
        language=normalise_language(fields.get("language")),
    )


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front-matter fields, body). A text without front matter is all body."""
    if not text.startswith(_OPENING):
        return {}, text
    start = len(_OPENING)
    position = start
    while position <= len(text):
        end = text.find("\n", position)
        line_end = len(text) if end == -1 else end
        if text[position:line_end].rstrip() in _CLOSINGS:
            header = text[start:position]
            body = "" if end == -1 else text[end + 1 :]
            return _parse_header(header), body
        if end == -1:
            break
        position = end + 1
    raise BadInput("front matter opened on line 1 is never closed by a '---' line")


def _parse_header(header: str) -> dict[str, Any]:
    try:
        fields = yaml.load(header, Loader=_FrontMatterLoader)  # a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        where = f" on line {mark.line + 2}" if mark is not None else ""  # +1 for 1-based, +1 for the '---' line
        raise BadInput(f"front matter is not valid YAML{where}: {problem}") from None
    if fields is None:
        return {}
    if not isinstance(fields, dict):
        raise BadInput(f"front matter must be a mapping of fields, got {type(fields).__name__}")
    return fields
