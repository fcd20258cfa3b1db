"""JSON Lines → :class:`Document`, one record per line.

Each non-blank line is a JSON object::

    {"id": "…", "url": "https://…", "title": "…", "published": "2013-05-03",
     "publisher": "…", "language": "en", "text": "…"}

``text`` is required, and so is an identifier: ``id``, else ``url`` (``id`` wins
when both are given). ``url`` must be an absolute http(s) URL; ``published`` an
ISO 8601 date or date-time; ``language`` (optional, else detected) a language
tag; other keys are ignored. ``text`` is kept exactly as given. The file must be
UTF-8, as JSON requires; a UTF-8 byte-order mark is tolerated. Blank lines are
skipped. This is also what `arcon fetch guardian` writes.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from typing import Any

from kg.sources.decoding import bom_encoding, check_not_binary
from kg.sources.document import Document
from kg.sources.errors import BadInput
from kg.sources.metadata import (
    make_document,
    normalise_date,
    normalise_language,
    normalise_text_field,
    normalise_url,
)

FIELDS = ("id", "url", "title", "published", "publisher", "language", "text")


def check_jsonl_head(head: bytes) -> None:
    """Whole-file problems, seen in the first bytes: empty, binary, or not UTF-8."""
    if not head.strip():
        raise BadInput("empty file")
    encoding = bom_encoding(head)
    if encoding not in (None, "UTF-8"):
        raise BadInput(f"JSON Lines must be UTF-8, this file is {encoding} (byte-order mark); convert it to UTF-8")
    check_not_binary(head)


def jsonl_documents(lines: Iterable[bytes], source: str) -> Iterator[tuple[int, Document | BadInput]]:
    """Yield ``(line number, Document or the reason the line is skipped)`` for each non-blank line."""
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if not raw.strip():
            continue
        try:
            yield number, record_document(parse_line(raw), f"{source}:{number}")
        except BadInput as problem:
            yield number, problem


def parse_line(raw: bytes) -> dict[str, Any]:
    """One line's bytes → the JSON object it holds."""
    try:
        line = raw.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadInput(
            f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at byte {error.start + 1}); JSON Lines must be UTF-8"
        ) from None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise BadInput(f"not valid JSON: {error.msg} (column {error.colno})") from None
    if not isinstance(record, dict):
        raise BadInput(f"expected a JSON object, got {_json_type(record)}")
    return record


def record_document(record: dict[str, Any], source: str) -> Document:
    """A JSON object with the fields above → :class:`Document`."""
    text = record.get("text")
    if text is None:
        raise BadInput('missing "text"')
    if not isinstance(text, str):
        raise BadInput(f'"text" must be a string, got {_json_type(text)}')
    if not text.strip():
        raise BadInput('"text" is empty')
    identifier = record.get("id")
    if identifier is not None and (not isinstance(identifier, str) or not identifier.strip()):
        raise BadInput(f'"id" must be a non-empty string, got {_json_type(identifier)} {identifier!r}')
    url = normalise_url(record.get("url"))
    if identifier is None and url is None:
        raise BadInput('no identifier: give "id" or "url"')
    return make_document(
        text,
        source=source,
        id=identifier.strip() if identifier else None,
        title=normalise_text_field(record.get("title"), "title"),
        url=url,
        published=normalise_date(record.get("published")),
        publisher=normalise_text_field(record.get("publisher"), "publisher"),
        language=normalise_language(record.get("language")),
    )


def _json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
