"""Inter-annotator agreement: score one hand annotation against another.

The second annotator's files are turned into the values the extractor produces
(an ``Extraction`` per document) and handed to :func:`kg.extract.evaluate.score`,
so two humans are compared under exactly the matching rules the extractor is
judged by; nothing here matches claims itself.

An annotation has no IRIs, so each entity line gets one
(:func:`kg.rdf.iris.entity_iri` of its type and text) and a claim participant
takes the IRI of the entity line whose text or stated alias it is. That gives
rule 3 of the evaluator its human meaning: a first-annotator "Comrade José"
matches a second-annotator "Víctor Quispe Palomino" whose entity line lists
that alias.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.extract.evaluate import GoldDoc, GoldError, Report, score
from kg.extract.types import Claim, Entity, EntityRef, Extraction
from kg.namespaces import ARCON
from kg.rdf.iris import entity_iri, fold
from kg.sources.document import Document

MENTION = "urn:arcon:annotation:mention:"  # a participant with no entity line of its own


def annotation_extraction(annotation: GoldDoc, document: Document) -> Extraction:
    """One annotator's file for ``document``, as if an extractor had produced it."""
    text = document.text
    entities: list[Entity] = []
    by_name: dict[str, tuple[str, str]] = {}  # folded text or alias -> (type, iri)
    for name, type_ in annotation.entities:
        aliases = annotation.aliases.get(name, ())
        iri = entity_iri(type_, name)
        start = max(text.find(name), 0)
        entities.append(Entity(document.id, name, type_, "", iri, start, start + len(name), aliases=aliases))
        for key in (name, *aliases):
            by_name.setdefault(fold(key), (type_, iri))
    claims: list[Claim] = []
    for c in annotation.claims:
        start = text.find(c.sentence)
        if start < 0:
            raise GoldError(f"{c.source}: sentence not in the article {document.id}")
        claims.append(Claim(document.id, c.relation, _ref(c.subject, by_name), _ref(c.object, by_name),
                            None, None, c.status, 1.0, c.sentence, start, start + len(c.sentence)))
    return Extraction(document, tuple(entities), tuple(claims), pipeline="annotation")


def agreement(first: Iterable[GoldDoc], second: Iterable[GoldDoc], documents: Iterable[Document]) -> Report:
    """Score ``second`` against ``first`` (taken as gold) on the documents both annotated.

    Precision is the share of the second annotator's claims the first also has,
    recall the share of the first's claims the second found.
    """
    texts = {d.id: d for d in documents}
    second_by_doc = {a.doc: a for a in second}
    shared = [g for g in first if g.doc in second_by_doc]
    missing = [doc for doc in second_by_doc if doc not in {g.doc for g in shared}]
    if missing:
        raise GoldError(f"the first annotation lacks {len(missing)} document(s) the second has, e.g. {missing[0]}")
    extractions = {}
    for g in shared:
        if g.doc not in texts:
            raise GoldError(f"{g.name}: no article in the corpus for {g.doc}")
        extractions[g.doc] = annotation_extraction(second_by_doc[g.doc], texts[g.doc])
    return score(shared, extractions)


def _ref(text: str | None, by_name: dict[str, tuple[str, str]]) -> EntityRef:
    if text is None:
        return EntityRef(None, None, str(ARCON.UnspecifiedAgent))
    type_, iri = by_name.get(fold(text), (None, MENTION + fold(text)))
    return EntityRef(text, type_, iri)
