"""Readers that turn files, JSON Lines and news APIs into `Document` values.

The public API is small::

    from kg.sources import Document, SourceError, read_documents

    for item in read_documents(["examples/corpus", "more/articles.jsonl"]):
        if isinstance(item, SourceError):
            print(f"skipped {item}", file=sys.stderr)   # "more/articles.jsonl:7: missing \"text\""
            continue
        process(item)                                   # a Document

* :func:`read_documents` (paths → lazy stream of ``Document | SourceError``):
  folders are read recursively; ``.txt``, ``.md``/``.markdown`` (YAML front
  matter), ``.html``/``.htm`` and ``.jsonl``/``.ndjson`` are understood. Every
  problem (empty, binary or undecodable file, too long, bad JSON line, missing
  field, repeated id, unsupported suffix, missing path) is a
  :class:`SourceError` in the stream, never an exception, and the rest goes on.
* :class:`Document`: ``id`` (the URL, else the JSONL ``id``, else
  ``sha256:<hex>`` of the text), ``text``, ``title``, ``url``, ``published``
  (``YYYY-MM-DD`` or None when unknown), ``publisher``, ``language`` (from the
  metadata, else detected; ``"und"`` when undetermined), ``source``
  (``path`` or ``path:line``).
* :class:`SourceError`: ``path``, ``line`` (JSON Lines only, else None),
  ``reason``; ``str()`` is ``"path:line: reason"``.
* :data:`MAX_TEXT_CHARS`: the longest text accepted for one document.
* `arcon fetch guardian` (``kg.sources.guardian``) writes JSON Lines that
  :func:`read_documents` reads back.
"""

from kg.sources.document import Document, content_id
from kg.sources.errors import SourceError
from kg.sources.reader import MAX_FILE_BYTES, MAX_TEXT_CHARS, SUPPORTED_SUFFIXES, read_documents

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "Document",
    "SourceError",
    "content_id",
    "read_documents",
]
