"""Read a SPARQL 1.1 Protocol request: which operation, which text, which dataset.

Pure functions over the method, headers, query string and body, so the rules of
https://www.w3.org/TR/sparql11-protocol/ can be tested without a server:
GET carries ``query=`` in the URL; POST carries it form-encoded
(``application/x-www-form-urlencoded``, ``query=`` or ``update=``) or directly
(``application/sparql-query`` / ``application/sparql-update``, UTF-8 only), with
the dataset parameters in the URL. Anything else is a client error with a
message that says what to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qs

import pyoxigraph as ox

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


class ProtocolError(Exception):
    """The request breaks the protocol; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Operation:
    kind: Literal["query", "update", "none"]
    text: str = ""
    default_graphs: tuple[str, ...] = ()  # default-graph-uri, or using-graph-uri for updates
    named_graphs: tuple[str, ...] = ()  # named-graph-uri, or using-named-graph-uri
    params: dict[str, list[str]] = field(default_factory=dict)  # everything else (format=, …)


def split_media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """``"text/turtle; charset=UTF-8"`` -> ``("text/turtle", {"charset": "utf-8"})``."""
    if not header:
        return "", {}
    mime, *rest = (p.strip() for p in header.split(";"))
    params = {}
    for p in rest:
        key, _, value = p.partition("=")
        params[key.strip().lower()] = value.strip().strip('"').lower()
    return mime.lower(), params


def parse_params(raw: bytes | str) -> dict[str, list[str]]:
    """Decode ``a=1&b=2`` strictly as UTF-8 (bad bytes are a 400, not a guess)."""
    text = raw.decode("ascii", errors="strict") if isinstance(raw, bytes) else raw
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"parameters are not valid UTF-8 after percent-decoding: {exc}") from exc


def _iris(params: dict[str, list[str]], name: str) -> tuple[str, ...]:
    values = params.get(name, [])
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise ProtocolError(400, f"{name}={value!r} is not an absolute IRI: {exc}") from exc
    return tuple(values)


def _single(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise ProtocolError(400, f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0]


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the {what} is not valid UTF-8 (byte {exc.start})") from exc


def _check_charset(params: dict[str, str], mime: str) -> None:
    charset = params.get("charset")
    if charset and charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"{mime} must be sent as UTF-8, not charset={charset}")


def read_operation(method: str, content_type: str | None, query_string: bytes, body: bytes) -> Operation:
    """Work out the operation of a request to the SPARQL endpoint."""
    url_params = parse_params(query_string)
    if method in ("GET", "HEAD"):
        if "update" in url_params:
            raise ProtocolError(400, "an update must be sent with POST, not GET")
        params = url_params
        text = _single(params, "query")
        kind = "query" if text is not None else "none"
    elif method == "POST":
        mime, mparams = split_media_type(content_type)
        if mime == FORM:
            _check_charset(mparams, mime)
            params = parse_params(body)
            for key, values in url_params.items():  # dataset parameters may also sit in the URL
                params.setdefault(key, values)
            query, update = _single(params, "query"), _single(params, "update")
            if query is not None and update is not None:
                raise ProtocolError(400, "send either 'query' or 'update', not both")
            if query is None and update is None:
                raise ProtocolError(400, "a form-encoded POST needs a 'query' or an 'update' parameter")
            kind, text = ("query", query) if query is not None else ("update", update)
        elif mime in (QUERY_TYPE, UPDATE_TYPE):
            _check_charset(mparams, mime)
            params = url_params
            kind = "query" if mime == QUERY_TYPE else "update"
            text = _utf8(body, kind)
        elif not mime:
            raise ProtocolError(
                415, f"a POST needs a Content-Type: {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}"
            )
        else:
            raise ProtocolError(
                415, f"Content-Type {mime} is not a SPARQL request; use {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}"
            )
    else:
        raise ProtocolError(405, f"{method} is not a SPARQL protocol method; use GET or POST")

    if kind == "update":
        default, named = _iris(params, "using-graph-uri"), _iris(params, "using-named-graph-uri")
    else:
        default, named = _iris(params, "default-graph-uri"), _iris(params, "named-graph-uri")
    rest = {k: v for k, v in params.items() if k not in ("query", "update")}
    return Operation(kind=kind, text=text or "", default_graphs=default, named_graphs=named, params=rest)


# -- the dataset of an update ----------------------------------------------------------
_TOKEN = re.compile(
    r'(?P<skip>#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\''
    r'|<[^<>"{}|^`\\\s]*>|[?$]\w+|[\w.-]*:[\w.:-]*)'
    r"|(?P<open>\{)|(?P<close>\})|(?P<word>[A-Za-z]+)",
)


def apply_update_dataset(update: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    """Give every DELETE/INSERT … WHERE of ``update`` the protocol's ``USING`` graphs.

    pyoxigraph takes no dataset for updates, so the protocol's
    ``using-graph-uri``/``using-named-graph-uri`` become USING / USING NAMED
    clauses before each top-level WHERE (not the ``DELETE WHERE`` shorthand,
    which has no dataset). The IRIs were validated by `read_operation`, so they
    cannot break out of ``<…>``. An update that names its own dataset
    (USING or WITH) cannot also take the protocol's: that is a 400.
    """
    if not using and not using_named:
        return update
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    depth = 0
    previous = ""
    inserts: list[int] = []
    for match in _TOKEN.finditer(update):
        if match.group("open"):
            depth += 1
        elif match.group("close"):
            depth -= 1
        elif match.group("word") and depth == 0:
            word = match.group("word").upper()
            if word in ("USING", "WITH"):
                raise ProtocolError(
                    400,
                    "the update names its own dataset (USING/WITH) and the request sends "
                    "using-graph-uri/using-named-graph-uri; send only one of them",
                )
            if word == "WHERE" and previous != "DELETE":
                inserts.append(match.start())
            previous = word
            continue
        if depth == 0 and not match.group("skip"):
            previous = ""
    for pos in reversed(inserts):
        update = update[:pos] + clause + update[pos:]
    return update
