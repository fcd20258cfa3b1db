"""Small facts about SPARQL text that the engines do not hand back."""

from __future__ import annotations

import re

# Strip comments and strings before looking for the query-form keyword.
_NOISE = re.compile(r'#[^\n]*|"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|<[^>\s]*>')
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(sparql: str) -> str | None:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE) of a query string, or None."""
    match = _FORM.search(_NOISE.sub(" ", sparql))
    return match.group(1).upper() if match else None


# FROM / FROM NAMED as a keyword, not part of ?from, $from or ex:from.
_FROM = re.compile(r"(?<![?$:\w])FROM\b", re.IGNORECASE)


def has_dataset_clause(sparql: str) -> bool:
    """Whether a query names its own dataset (FROM or FROM NAMED)."""
    return _FROM.search(_NOISE.sub(" ", sparql)) is not None
