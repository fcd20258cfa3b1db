"""Where and when a claim holds, from its sentence.

Place: a Place mention of the sentence that is not a participant, preferring one
inside the trigger's clause ("… bribed police in Aguaytía"); linked like any
mention (reference IRI when the ontology knows it).

Date: a date written in the sentence ("in March 2013" → "2013-03", "in 2012" →
"2012"); else, when the trigger verb is in the article's present (present tense,
present perfect, or a relative day such as "on Monday", "last week"), the
article's month ("@article", filled in from the document's publication date);
else null. A decade ("the 1980s") is not a date.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Span, Token

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_YEAR = re.compile(r"\b(19\d\d|20\d\d)\b(?!s)")
_RELATIVE_DAY = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tonight|this week|last week|"
    r"this month|last month|this year|recent(ly)?|on \w+day)\b", re.I)
ARTICLE = "@article"


def claim_place(trigger: Token, sentence: Span, mentions: list[dict[str, Any]], used: set[str]) -> dict[str, Any] | None:
    places = [m for m in mentions
              if m["type"] == "Place" and sentence.start <= m["start"] and m["end"] <= sentence.end and m["iri"] not in used]
    if not places:
        return None
    doc = trigger.doc
    attached = [m for m in places  # "bribed police in Ucayali": a place in a phrase on the trigger
                if doc[m["end"] - 1].dep_ == "pobj" and doc[m["end"] - 1].head.head.i == trigger.i]
    subtree = {t.i for t in trigger.subtree}
    inside = [m for m in places if m["start"] in subtree]
    return (attached or inside or places)[0]


_LAST_DOC: list[Any] = [None, ()]  # the last doc whose DATE entities were read, and those entities


def sentence_dates(sentence: Span) -> list[Span]:
    """The DATE entities of a sentence. ``Span.ents`` rebuilds every entity of the whole doc on each call, and
    a doc's claims ask for their sentence's dates hundreds of times: the doc's are read once and kept while the
    same doc is asked about (compared by identity, so a new doc never reuses them)."""
    doc = sentence.doc
    if _LAST_DOC[0] is not doc:
        _LAST_DOC[0], _LAST_DOC[1] = doc, tuple(e for e in doc.ents if e.label_ == "DATE")
    return [e for e in _LAST_DOC[1] if sentence.start <= e.start and e.end <= sentence.end]


def _explicit_date(sentence: Span) -> str | None:
    for ent in sentence_dates(sentence):
        year = _YEAR.search(ent.text)
        if not year:
            continue
        month = next((_MONTHS[w.lower_] for w in ent if w.lower_ in _MONTHS), None)
        return f"{year.group(1)}-{month:02d}" if month else year.group(1)
    return None


def _in_present(trigger: Token, sentence: Span) -> bool:
    tags = {trigger.tag_} | {c.tag_ for c in trigger.children if c.dep_ in ("aux", "auxpass")}
    if tags & {"VBZ", "VBP"}:
        return True
    return bool(_RELATIVE_DAY.search(sentence.text)) and trigger.tag_ in ("VBD", "VBN", "VBG")


def claim_date(trigger: Token, sentence: Span, status: str) -> str | None:
    explicit = _explicit_date(sentence)
    if explicit:
        return explicit
    if status != "historical" and _in_present(trigger, sentence):
        return ARTICLE
    return None


def article_date(hint: str | None, published: str | None) -> str | None:
    """Fill the "@article" hint with the article's month (``YYYY-MM``); null when the date is unknown."""
    if hint != ARTICLE:
        return hint
    if published and re.match(r"^\d{4}-\d{2}", published):
        return published[:7]
    return None
