"""Document metadata: dates, languages and URLs normalised one way for every reader.

Each ``normalise_*`` function takes a raw value and returns the normalised one,
or raises :class:`~kg.sources.errors.BadInput` saying what is wrong, so that a
reader can report it with the file and line. :func:`make_document` applies the
identity rule (URL, else content hash) and the language rule (metadata, else
detected) in one place.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from kg.sources.document import Document, content_id
from kg.sources.errors import BadInput

UNDETERMINED_LANGUAGE = "und"  # ISO 639-2 code for "undetermined"

_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
# Language identification reads this many characters: a few paragraphs are
# plenty for news prose, and the cost stays flat for long documents.
_DETECTION_SAMPLE = 2_000
_LETTER = re.compile(r"[^\W\d_]")
_MIN_LETTERS_TO_DETECT = 20
_MIN_DETECTION_PROBABILITY = 0.3


def normalise_date(value: Any, field: str = "published") -> str | None:
    """An ISO 8601 or RFC 2822 date or date-time → ``YYYY-MM-DD``; None/empty → None.

    The date is taken as written (a time zone offset does not move it to UTC):
    that is the date the publisher printed. Partial dates ("2013", "May 2013")
    are rejected rather than guessed.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise BadInput(f"{field}: expected a date such as 2013-05-03, got {type(value).__name__} {value!r}")
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    raise BadInput(f"{field}: {value!r} is not a date (expected YYYY-MM-DD or an ISO 8601 date-time)")


def normalise_language(value: Any, field: str = "language") -> str | None:
    """A BCP 47 tag (``en``, ``es-PE``, ``EN_gb``) → its lower-case primary subtag; None/empty → None.

    Downstream only chooses a pipeline per language, so the region is dropped.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _LANGUAGE_TAG.match(value.strip()):
        raise BadInput(f"{field}: {value!r} is not a language tag (expected e.g. 'en' or 'es')")
    return re.split(r"[-_]", value.strip())[0].lower()


def normalise_url(value: Any, field: str = "url") -> str | None:
    """An absolute http(s) URL, stripped; None/empty → None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        url = value.strip()
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc and not any(c.isspace() for c in url):
            return url
    raise BadInput(f"{field}: {value!r} is not an absolute http(s) URL")


def normalise_text_field(value: Any, field: str) -> str | None:
    """A free-text field (title, publisher): a string or nothing, whitespace collapsed."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(f"{field}: expected a string, got {type(value).__name__} {value!r}")
    return " ".join(value.split()) or None


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or ``"und"`` when too short or too unsure.

    Uses py3langid's offline Naive Bayes model (140 labels, shipped in the
    wheel), loaded on first use.
    """
    sample = text[:_DETECTION_SAMPLE]
    if len(_LETTER.findall(sample)) < _MIN_LETTERS_TO_DETECT:
        return UNDETERMINED_LANGUAGE
    language, probability = _identifier().classify(sample)
    if language == "zxx" or probability < _MIN_DETECTION_PROBABILITY:
        return UNDETERMINED_LANGUAGE
    return language


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def make_document(
    text: str,
    *,
    source: str,
    id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
    language: str | None = None,
) -> Document:
    """Build a :class:`Document` from normalised values.

    The id is ``id`` if given, else the URL, else the hash of the text; the
    language is the given one, else detected. ``published`` stays None when
    unknown: a reader never fills in today's date.
    """
    return Document(
        id=id or url or content_id(text),
        text=text,
        title=title,
        url=url,
        published=published,
        publisher=publisher,
        language=language or detect_language(text),
        source=source,
    )
