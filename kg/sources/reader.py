"""One entry point from paths to documents: :func:`read_documents`.

It walks folders, picks a reader by file suffix, applies the size limits,
drops repeated ids, and turns every problem into a :class:`SourceError` in the
stream instead of an exception, so that a caller prints it and goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.sources.decoding import decode_text, normalise_newlines
from kg.sources.document import Document
from kg.sources.errors import BadInput, SourceError
from kg.sources.html import declared_charset, html_document
from kg.sources.jsonl import check_jsonl_head, jsonl_documents
from kg.sources.textfiles import markdown_document, text_document

# spaCy refuses texts longer than nlp.max_length (1,000,000 characters by
# default) because the parser and NER need about 1 GB of memory per 100,000
# characters. A news article is 2,000–50,000 characters; a longer "article" is
# a book, a dump or several articles glued together, so it is rejected with a
# reason instead of being split at an arbitrary place (which would change its
# identity and offsets).
MAX_TEXT_CHARS = 1_000_000
# Files above this size are not read at all (JSON Lines files excepted: they are
# streamed line by line and each record is held to MAX_TEXT_CHARS).
MAX_FILE_BYTES = 20 * 1024 * 1024

_FILE_READERS: dict[str, Callable[[str, str], Document]] = {
    ".txt": text_document,
    ".md": markdown_document,
    ".markdown": markdown_document,
}
_HTML_SUFFIXES = frozenset({".html", ".htm"})
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(sorted({*_FILE_READERS, *_HTML_SUFFIXES, *_JSONL_SUFFIXES}))
_JSONL_HEAD_BYTES = 8192


def read_documents(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    max_chars: int = MAX_TEXT_CHARS,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> Iterator[Document | SourceError]:
    """Yield a :class:`Document` for each readable article and a :class:`SourceError` for each skipped one.

    ``paths`` are files and folders, or a single one; folders are read
    recursively, in sorted order, hidden names skipped. Suffixes: ``.txt``,
    ``.md``/``.markdown`` (YAML front matter), ``.html``/``.htm``,
    ``.jsonl``/``.ndjson``. The stream is lazy: a caller can stop early, and
    memory stays flat on big JSON Lines files.

    A document whose text is longer than ``max_chars`` is skipped; so is one
    whose id was already read earlier in the same call (the first wins).
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]  # one path, not an iterable of characters
    first_seen: dict[str, str] = {}
    for item in _files(paths):
        if isinstance(item, SourceError):
            yield item
            continue
        path = item
        for line, result in _read_file(path, max_file_bytes):
            if isinstance(result, BadInput):
                yield SourceError(str(path), str(result), line)
            elif len(result.text) > max_chars:
                yield SourceError(
                    str(path),
                    f"text is {len(result.text):,} characters, more than the limit of {max_chars:,} "
                    "for one document; split it into separate articles",
                    line,
                )
            elif result.id in first_seen:
                yield SourceError(
                    str(path), f"duplicate id {result.id!r}, already read from {first_seen[result.id]}", line
                )
            else:
                first_seen[result.id] = result.source
                yield result


def _files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | SourceError]:
    """Expand folders into their readable files; report what cannot be read."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                yield file if file.suffix.lower() in SUPPORTED_SUFFIXES else _unsupported(file)
            if not found:
                yield SourceError(str(path), f"no files in this folder (readable: {', '.join(SUPPORTED_SUFFIXES)})")
        elif path.is_file():
            yield path if path.suffix.lower() in SUPPORTED_SUFFIXES else _unsupported(path)
        elif path.exists():
            yield SourceError(str(path), "not a regular file or folder")
        else:
            yield SourceError(str(path), "no such file or folder")


def _walk(folder: Path) -> Iterator[Path]:
    """Files under ``folder``, sorted, skipping hidden files and folders; symlinked folders are not followed."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def _unsupported(path: Path) -> SourceError:
    kind = f"'{path.suffix}'" if path.suffix else "(no suffix)"
    return SourceError(str(path), f"unsupported file type {kind} (readable: {', '.join(SUPPORTED_SUFFIXES)})")


def _read_file(path: Path, max_file_bytes: int) -> Iterator[tuple[int | None, Document | BadInput]]:
    """``(line or None, Document or problem)`` for each record in one file."""
    suffix = path.suffix.lower()
    source = str(path)
    try:
        if suffix in _JSONL_SUFFIXES:
            yield from _read_jsonl(path, source)
            return
        size = path.stat().st_size
        if size > max_file_bytes:
            yield None, BadInput(
                f"file is {size:,} bytes, more than the limit of {max_file_bytes:,} for one article"
            )
            return
        data = path.read_bytes()
    except OSError as error:
        yield None, BadInput(f"cannot read: {error.strerror or error}")
        return
    try:
        if suffix in _HTML_SUFFIXES:
            document = html_document(decode_text(data, declared_charset(data)), source)
        else:
            document = _FILE_READERS[suffix](normalise_newlines(decode_text(data)), source)
    except BadInput as problem:
        yield None, problem
        return
    yield None, document


def _read_jsonl(path: Path, source: str) -> Iterator[tuple[int | None, Document | BadInput]]:
    with path.open("rb") as stream:
        try:
            check_jsonl_head(stream.read(_JSONL_HEAD_BYTES))
        except BadInput as problem:
            yield None, problem
            return
        stream.seek(0)
        yield from jsonl_documents(stream, source)
