"""Aliases stated in articles ("X, alias Y"), made into gazetteer names, and the articles to extract again.

An article that says "Florindo Flores, alias Comrade Artemio" records "Comrade
Artemio" on the mention of Flores's entity. So that another article naming only
"Comrade Artemio" reaches the same entity, the extractor's gazetteer is taught
the alias (``Gazetteer.learn``) and the articles that name it are extracted
again. Both `arcon ingest` (aliases read from the store, :mod:`kg.ingest.aliases`)
and `arcon extract` (aliases of the run's own extractions) do this with the
functions here. An alias stated for two different entities is ambiguous and
left out; a phrase the ontology names keeps the ontology's meaning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import NamedTuple

from kg.extract.types import Extraction
from kg.ontology.gazetteer_data import Name
from kg.rdf.iris import fold
from kg.sources import Document


class Stated(NamedTuple):
    """One alias as an article states it: the alias, the entity, the class its mention has, and where."""

    alias: str
    entity: str
    cls: str
    where: str  # the document (or its graph) that states it


def unambiguous(stated: Iterable[Stated], class_types: Mapping[str, str]) -> list[tuple[Name, frozenset[str]]]:
    """One gazetteer name per alias stated for one entity only, typed by a class ``class_types`` knows (the first
    by IRI when articles gave the entity several), with the places that state it."""
    classes: dict[tuple[str, str], set[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    where: dict[tuple[str, str], set[str]] = {}
    for s in stated:
        key = (fold(s.alias), s.entity)
        classes.setdefault(key, set()).add(s.cls)
        texts[key] = min(texts.get(key, s.alias), s.alias)
        where.setdefault(key, set()).add(s.where)
    entities_of: dict[str, set[str]] = {}
    for folded, entity in classes:
        entities_of.setdefault(folded, set()).add(entity)
    names = []
    for (folded, entity), found in sorted(classes.items()):
        typed = sorted(c for c in found if c in class_types)
        if len(entities_of[folded]) > 1 or not typed:
            continue
        names.append((Name(texts[(folded, entity)], entity, typed[0], class_types[typed[0]], "alias", None),
                      frozenset(where[(folded, entity)])))
    return names


def stated_in(extractions: Iterable[Extraction]) -> Iterator[Stated]:
    """The aliases extractions record on their entities, each with the id of its document."""
    for ex in extractions:
        for entity in ex.entities:
            for alias in entity.aliases:
                yield Stated(alias, entity.iri, entity.cls, ex.document.id)


def relink_candidates(documents: Iterable[Document], aliases: Mapping[str, frozenset[str]],
                      where: Callable[[Document], str] = lambda d: d.id) -> Iterator[Document]:
    """The documents whose text contains one of ``aliases`` (folded alias → where it is stated; whole words, case
    and accents aside), but not those that state it: extracted again with the aliases taught, their mentions of
    it reach the entity it names. ``where`` gives a document's place in the same terms (its id, or its graph)."""
    if not aliases:
        return
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True)) + r")\b")
    for doc in documents:
        place = where(doc)
        if any(place not in aliases[m.group(1)] for m in pattern.finditer(fold(doc.text))):
            yield doc


def teach(nlp, names: Iterable[Name]) -> int:
    """Teach the pipeline's gazetteer ``names``; returns how many phrases are new to it."""
    return nlp.get_pipe("arcon_gazetteer").learn(nlp, names)
