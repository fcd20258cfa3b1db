"""HTML pages → :class:`Document`: readable text plus the metadata the page states.

Text: scripts, styles, forms, navigation, asides, footers and hidden elements
are dropped; the article (``<article>``, else ``<main>``, else ``<body>`` without
its page header) is flattened to paragraphs separated by a blank line, with
whitespace inside a paragraph collapsed and ``<br>`` kept as a line break.

Metadata, first found wins:

* title: ``<title>``, ``og:title``
* url: ``<link rel="canonical">``, ``og:url``
* published: ``article:published_time``, ``og:article:published_time``,
  ``<meta name="date|pubdate|publish-date|dc.date|dc.date.issued|dcterms.issued">``,
  ``itemprop="datePublished"``, the first ``<time datetime>``
* publisher: ``og:site_name``, ``<meta name="publisher|dc.publisher">``
* language: ``<html lang>``, ``<meta http-equiv="content-language">``, else detected

Malformed metadata in a page (a date that is not a date) is passed over, not
fatal: pages are often scraped and their tags sloppy.

Parsing uses selectolax's Lexbor engine, an HTML5-conformant parser, so broken
markup is repaired the way a browser would.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from kg.sources.document import Document
from kg.sources.errors import BadInput
from kg.sources.metadata import (
    make_document,
    normalise_date,
    normalise_language,
    normalise_text_field,
    normalise_url,
)

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)

_DROPPED = frozenset(
    "script style noscript template svg math iframe object embed canvas video audio "
    "nav aside footer form button select input textarea label dialog head".split()
)
_DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu"})
_BLOCKS = frozenset(
    "address article blockquote body caption dd div dl dt fieldset figcaption figure "
    "h1 h2 h3 h4 h5 h6 header hr li main ol p pre section table tbody td tfoot th thead tr ul".split()
)

_PUBLISHED_SELECTORS = (
    'meta[property="article:published_time"]',
    'meta[property="og:article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="date"]',
    'meta[name="pubdate"]',
    'meta[name="publish-date"]',
    'meta[name="dc.date"]',
    'meta[name="DC.date"]',
    'meta[name="dc.date.issued"]',
    'meta[name="DC.date.issued"]',
    'meta[name="dcterms.issued"]',
    'meta[name="DCTERMS.issued"]',
)


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in a ``<meta>`` within its first 1024 bytes (as browsers look)."""
    match = _CHARSET.search(data[:1024])
    return match.group(1).decode("ascii") if match else None


def html_document(markup: str, source: str) -> Document:
    """Parse a decoded HTML page into a :class:`Document`."""
    tree = LexborHTMLParser(markup)
    metadata = page_metadata(tree)
    text = page_text(tree)
    if not text:
        raise BadInput("no text left after removing markup, scripts and navigation")
    return make_document(text, source=source, **metadata)


def page_metadata(tree: LexborHTMLParser) -> dict[str, str | None]:
    """Title, URL, publication date, publisher and language stated by the page."""
    title_node = tree.css_first("title")
    title_text = title_node.text() if title_node is not None else None
    return {
        "title": _first(_text_or_none, [title_text, _meta(tree, 'meta[property="og:title"]')]),
        "url": _first(
            _quiet(normalise_url),
            [_attribute(tree, 'link[rel="canonical"]', "href"), _meta(tree, 'meta[property="og:url"]')],
        ),
        "published": _first(
            _quiet(normalise_date),
            [_meta(tree, selector) for selector in _PUBLISHED_SELECTORS]
            + [_attribute(tree, "time[datetime]", "datetime")],
        ),
        "publisher": _first(
            _text_or_none,
            [
                _meta(tree, 'meta[property="og:site_name"]'),
                _meta(tree, 'meta[name="publisher"]'),
                _meta(tree, 'meta[name="dc.publisher"]'),
                _meta(tree, 'meta[name="DC.publisher"]'),
            ],
        ),
        "language": _first(
            _quiet(normalise_language),
            [
                tree.root.attributes.get("lang") if tree.root is not None else None,
                _meta(tree, 'meta[http-equiv="content-language"]'),
                _meta(tree, 'meta[http-equiv="Content-Language"]'),
            ],
        ),
    }


def page_text(tree: LexborHTMLParser) -> str:
    """The readable text of the page's article, paragraphs separated by blank lines."""
    root = tree.css_first("article") or tree.css_first("main") or tree.body
    if root is None:
        return ""
    drop_header = root.tag == "body"
    paragraphs: list[str] = []
    lines: list[str] = []
    words: list[str] = []

    def end_line() -> None:
        if words:
            lines.append(" ".join("".join(words).split()))
            words.clear()

    def end_paragraph() -> None:
        end_line()
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
        lines.clear()

    # An explicit stack instead of recursion: deeply nested pages exist.
    stack: list[tuple[LexborNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            end_paragraph()
            continue
        if node.is_text_node:
            words.append(node.text_content or "")
            continue
        if not node.is_element_node:
            continue  # comments
        tag = node.tag
        if tag in _DROPPED or (tag == "header" and drop_header) or _hidden(node):
            continue
        if tag == "br":
            end_line()
            continue
        if tag in _BLOCKS:
            end_paragraph()
            stack.append((node, True))
        children = list(node.iter(include_text=True))
        stack.extend((child, False) for child in reversed(children))
    end_paragraph()
    return "\n\n".join(paragraphs)


def _hidden(node: LexborNode) -> bool:
    attributes = node.attributes
    if "hidden" in attributes or (attributes.get("aria-hidden") or "").lower() == "true":
        return True
    if (attributes.get("role") or "").lower() in _DROPPED_ROLES:
        return True
    style = (attributes.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _meta(tree: LexborHTMLParser, selector: str) -> str | None:
    return _attribute(tree, selector, "content")


def _attribute(tree: LexborHTMLParser, selector: str, name: str) -> str | None:
    node = tree.css_first(selector)
    return node.attributes.get(name) if node is not None else None


def _first(normalise: Callable[[str | None], str | None], candidates: list[str | None]) -> str | None:
    for candidate in candidates:
        value = normalise(candidate)
        if value:
            return value
    return None


def _quiet(normalise: Callable[..., str | None]) -> Callable[[str | None], str | None]:
    """A normaliser that turns a malformed value into None, so the next candidate is tried."""

    def attempt(value: str | None) -> str | None:
        try:
            return normalise(value)
        except BadInput:
            return None

    return attempt


def _text_or_none(value: str | None) -> str | None:
    return normalise_text_field(value, "title")
