"""Query answers for a terminal: an aligned table with prefixed names."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.term import Identifier

from kg.namespaces import PREFIXES
from kg.store.base import QueryResult


def compact(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, ns in PREFIXES.items():
            if text.startswith(ns) and len(text) > len(ns):
                return f"{prefix}:{text[len(ns):]}"
        return f"<{text}>"
    return str(term)


def table(result: QueryResult, max_width: int = 60) -> str:
    """SELECT rows (or an ASK answer) as a plain-text table; long cells are cut with '…'."""
    if result.form == "ASK":
        return "true\n" if result.boolean() else "false\n"
    names = result.variables
    rows = [[_cut(compact(row.get(n)), max_width) for n in names] for row in result.rows()]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
