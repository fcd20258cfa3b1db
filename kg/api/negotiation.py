"""HTTP content negotiation: parse ``Accept`` (q-values, wildcards) and pick a format.

The offers are listed in the server's order of preference; among equally
acceptable offers the earlier wins, and the most specific matching media range
decides an offer's quality (RFC 9110 §12.5.1). A ``format=`` parameter names a
format directly for clients that cannot set headers (browsers, spreadsheets).
"""

from __future__ import annotations

from dataclasses import dataclass

#: SELECT/ASK answers, in order of preference.
RESULT_FORMATS: tuple[str, ...] = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
#: ASK has no CSV/TSV in the W3C spec, but pyoxigraph writes "true"/"false"; offer JSON/XML first.
BOOLEAN_FORMATS = RESULT_FORMATS
#: CONSTRUCT/DESCRIBE answers and graphs, in order of preference.
GRAPH_FORMATS: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/trig",
    "application/n-quads",
)

#: Other names clients use for the same formats (looked at only when the format is offered).
ALIASES: dict[str, tuple[str, ...]] = {
    "application/sparql-results+json": ("application/json",),
    "application/sparql-results+xml": ("application/xml", "text/xml"),
    "text/tab-separated-values": ("text/tsv",),
    "text/turtle": ("application/x-turtle",),
    "application/n-triples": ("text/plain",),
    "application/rdf+xml": ("application/xml", "text/xml"),
    "application/ld+json": ("application/json",),
    "application/n-quads": ("text/x-nquads",),
}

#: ``format=`` short names.
SHORT_NAMES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "rdf/xml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "owl": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "n-quads": "application/n-quads",
    "html": "text/html",
}

#: Names that mean different formats for graphs than for result tables (SPARQLWrapper sends these).
GRAPH_SHORT_NAMES: dict[str, str] = {"xml": "application/rdf+xml", "json": "application/ld+json"}

#: Short name of each format, for file extensions and URLs.
EXTENSIONS: dict[str, str] = {
    "application/sparql-results+json": "srj",
    "application/sparql-results+xml": "srx",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
    "application/ld+json": "jsonld",
    "application/trig": "trig",
    "application/n-quads": "nq",
    "text/html": "html",
}


@dataclass(frozen=True, slots=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...] = ()

    def matches(self, media_type: str) -> int:
        """Specificity of the match with ``media_type`` (-1: no match, 0: */*, 1: type/*, 2: exact)."""
        t, _, s = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != t:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == s else -1


class NotAcceptable(Exception):
    """Nothing the client accepts is offered; the message lists what is."""


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an ``Accept`` header; a missing or empty header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for part in header.split(","):
        part = part.strip()
        if not part:
            continue
        mime, *raw_params = (p.strip() for p in part.split(";"))
        mime = mime.lower()
        if mime == "*":  # seen in the wild for */*
            mime = "*/*"
        if "/" not in mime:
            continue
        q = 1.0
        params = []
        for p in raw_params:
            key, _, value = p.partition("=")
            key, value = key.strip().lower(), value.strip().strip('"')
            if key == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
            elif key:
                params.append((key, value))
        t, _, s = mime.partition("/")
        ranges.append(MediaRange(t, s, q, tuple(params)))
    return ranges


def quality(ranges: list[MediaRange], media_type: str, *aliases: str) -> float:
    """The quality the client gives a format: that of the most specific matching range.

    Wildcards match the canonical ``media_type`` only; an alias counts when named exactly.
    """
    best_spec, best_q = -1, 0.0
    for r in ranges:
        for name in (media_type, *aliases):
            spec = r.matches(name)
            if name != media_type and spec < 2:
                continue
            if spec > best_spec or (spec == best_spec and r.q > best_q):
                best_spec, best_q = spec, r.q
    return best_q if best_spec >= 0 else 0.0


def choose(accept: str | None, offers: tuple[str, ...], format_param: str | None = None) -> str:
    """Pick the response media type among ``offers`` (server preference order)."""
    if format_param:
        name = format_param.lower()
        for offer in offers:
            if name == offer or SHORT_NAMES.get(name) == offer or name in ALIASES.get(offer, ()):
                return offer
        for offer in offers:
            if GRAPH_SHORT_NAMES.get(name) == offer:
                return offer
        raise NotAcceptable(f"format {format_param!r} is not available here; use one of: {', '.join(offers)}")
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer, *ALIASES.get(offer, ()))
        if q > best_q:
            best, best_q = offer, q
    if best is None:
        raise NotAcceptable(f"cannot answer in any type of Accept: {accept!r}; available: {', '.join(offers)}")
    return best


def content_type(media_type: str) -> str:
    """The Content-Type header for a media type (text formats say they are UTF-8)."""
    textual = media_type.startswith("text/") or media_type in (
        "application/n-triples",
        "application/trig",
        "application/n-quads",
    )
    return f"{media_type}; charset=utf-8" if textual else media_type
