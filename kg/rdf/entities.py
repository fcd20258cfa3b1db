"""Entities: how each article names them (mentions), and the one description derived from all articles.

An article's graph holds, for every entity it names, a **mention** (docs/contracts.md §2)::

    <entity> arcon:mentionedIn <article> .
    <article>/mention/<hash> a arcon:Mention ; arcon:mentionOf <entity> ; arcon:inArticle <article> ;
        arcon:mentionName "Shining Path"@en ; arcon:mentionAlias "Sendero Luminoso"@en ;
        arcon:mentionClass arcon:InsurgentGroup .

The entity's own triples (``rdf:type``, ``rdfs:label``, ``skos:altLabel``) are
*not* in the article graph: written once per article, the union default graph
would return one copy per article and multiply every join on them. They are
derived from the mentions of all articles and written once, in the entities
graph (``{base}graph/entities``), by :func:`describe`, a pure function of the
mentions' :class:`Facts`, so the description never depends on the order in
which articles were ingested:

* ``rdf:type``: every class some article gave the entity, less those that are
  superclasses of another one (query-time reasoning brings them back);
* ``rdfs:label``: the name most articles give it (ties: an English name, then
  the smallest string), exactly one;
* ``skos:altLabel``: every other name and alias.

Entities the ontology or the reference data defines (the Shining Path, Ucayali,
markets) keep their curated description in those graphs and get none here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.namespaces import ARCON
from kg.rdf import iris
from kg.rdf.tbox import Individual, Tbox

Triple = tuple[URIRef, URIRef, URIRef | Literal]

# rdflib builds a new URIRef on every Namespace attribute access; these run per triple.
MENTION_OF, MENTION_NAME, MENTION_ALIAS, MENTION_CLASS = (
    ARCON.mentionOf, ARCON.mentionName, ARCON.mentionAlias, ARCON.mentionClass)
PARTICIPANT_PROPERTIES = (ARCON.subject, ARCON.object, ARCON.place)
#: The predicates :func:`context_triples` reads; nothing else of a graph matters to it.
CONTEXT_PROPERTIES = (MENTION_OF, MENTION_NAME, MENTION_CLASS, *PARTICIPANT_PROPERTIES)


@dataclass(frozen=True, slots=True)
class Mention:
    """How one article names one entity."""

    entity: str
    name: Literal | None  # None only in broken input; the gate rejects it
    aliases: frozenset[Literal] = frozenset()
    classes: frozenset[str] = frozenset()


def mention_triples(mention: Mention, doc_id: str, article: URIRef) -> set[Triple]:
    node = URIRef(iris.mention_iri(doc_id, mention.entity))
    entity = URIRef(mention.entity)
    out: set[Triple] = {
        (entity, ARCON.mentionedIn, article),
        (node, RDF.type, ARCON.Mention),
        (node, ARCON.mentionOf, entity),
        (node, ARCON.inArticle, article),
    }
    if mention.name is not None:
        out.add((node, ARCON.mentionName, mention.name))
    out |= {(node, ARCON.mentionAlias, alias) for alias in mention.aliases}
    out |= {(node, ARCON.mentionClass, URIRef(cls)) for cls in mention.classes}
    return out


def mentions_from_triples(triples: Iterable[tuple]) -> list[Mention]:
    """The mentions an article graph holds (the inverse of :func:`mention_triples`)."""
    of: dict[object, set[str]] = {}
    names: dict[object, Literal] = {}
    aliases: dict[object, set[Literal]] = {}
    classes: dict[object, set[str]] = {}
    for s, p, o in triples:
        if p == MENTION_OF:
            of.setdefault(s, set()).add(str(o))
        elif p == MENTION_NAME:  # one per mention (SHACL); should there be more, the smallest
            names[s] = min(names.get(s, o), o, key=str)
        elif p == MENTION_ALIAS:
            aliases.setdefault(s, set()).add(o)
        elif p == MENTION_CLASS:
            classes.setdefault(s, set()).add(str(o))
    return sorted((Mention(entity, names.get(node), frozenset(aliases.get(node, ())), frozenset(classes.get(node, ())))
                   for node, entities in of.items() for entity in entities),
                  key=lambda m: m.entity)


def context_triples(triples: Iterable[tuple], tbox: Tbox) -> set[Triple]:
    """The descriptions an article implies for the entities it names: what the gate validates it with.

    A curated entity (ontology or reference data) is described as the store
    describes it: its curated types and English label. Any other entity as this
    article alone would describe it: the classes and the name of its mention. A
    claim participant with neither gets nothing, and the gate says so. Only
    triples with the :data:`CONTEXT_PROPERTIES` matter. (The compiled gate
    computes the same in SPARQL: kg.validate.gate.CONTEXT_UPDATE; the tests
    check both agree.)
    """
    of: dict[object, set[str]] = {}
    said: dict[object, set[Triple]] = {}  # mention node -> (predicate, value) pairs of the description
    named: set[str] = set()
    for s, p, o in triples:
        if p == MENTION_OF:
            of.setdefault(s, set()).add(str(o))
        elif p == MENTION_CLASS:
            said.setdefault(s, set()).add((RDF.type, o))
        elif p == MENTION_NAME:
            said.setdefault(s, set()).add((RDFS.label, o))
        elif p in PARTICIPANT_PROPERTIES:
            named.add(str(o))
    out: set[Triple] = set()
    for node, entities in of.items():
        named |= entities
        out |= {(URIRef(e), p, o) for e in entities if e not in tbox.individuals for p, o in said.get(node, ())}
    for iri in named & tbox.individuals.keys():
        out |= curated_description(tbox.individuals[iri])
    return out


def curated_description(known: Individual) -> set[Triple]:
    """What the gate knows of a curated entity: its types and its English label."""
    node = URIRef(known.iri)
    out: set[Triple] = {(node, RDF.type, URIRef(t)) for t in known.types}
    if known.label:
        out.add((node, RDFS.label, Literal(known.label, lang="en")))
    return out


@dataclass(slots=True)
class Facts:
    """What the mentions of all articles say about one entity; the input of :func:`describe`.

    Every value is counted by the number of mentions (articles) that give it,
    so the facts of a set of articles can be added to and taken away from.
    """

    names: Counter = field(default_factory=Counter)  # name literal -> number of articles giving it
    aliases: Counter = field(default_factory=Counter)
    classes: Counter = field(default_factory=Counter)  # class IRI -> number of articles

    def add(self, mention: Mention) -> None:
        if mention.name is not None:
            self.names[mention.name] += 1
        self.aliases.update(mention.aliases)
        self.classes.update(mention.classes)

    def remove(self, mention: Mention) -> None:
        if mention.name is not None:
            self.names -= Counter({mention.name: 1})
        self.aliases -= Counter(mention.aliases)
        self.classes -= Counter(mention.classes)

    def copy(self) -> "Facts":
        return Facts(Counter(self.names), Counter(self.aliases), Counter(self.classes))

    def __bool__(self) -> bool:
        return bool(self.names or self.aliases or self.classes)


def gather(mentions: Iterable[Mention], into: dict[str, Facts] | None = None) -> dict[str, Facts]:
    """Add ``mentions`` (one per article and entity) to the facts by entity."""
    facts = {} if into is None else into
    for mention in mentions:
        facts.setdefault(mention.entity, Facts()).add(mention)
    return facts


def is_curated(iri: str, tbox: Tbox) -> bool:
    """Described by the ontology or the reference data, so never in the entities graph."""
    return iri in tbox.individuals


def _label_key(item: tuple[Literal, int]) -> tuple:
    name, count = item
    return (-count, name.language != "en", str(name), name.language or "")


def most_specific(classes: Iterable[str], tbox: Tbox) -> set[str]:
    """The classes that are no superclass of another one in the set."""
    classes = set(classes)
    return {c for c in classes
            if not any(c != d and c in tbox.superclasses.get(d, frozenset({d})) for d in classes)}


def describe(entity: str, facts: Facts | None, tbox: Tbox) -> set[Triple]:
    """The one description of an entity minted from data (nothing for curated or unmentioned ones)."""
    if not facts or is_curated(entity, tbox):
        return set()
    node = URIRef(entity)
    out: set[Triple] = {(node, RDF.type, URIRef(c)) for c in most_specific(facts.classes, tbox)}
    label = min(facts.names.items(), key=_label_key)[0] if facts.names else None
    if label is not None:
        out.add((node, RDFS.label, label))
    out |= {(node, SKOS.altLabel, name) for name in set(facts.names) | set(facts.aliases) if name != label}
    return out


def describe_all(facts: Mapping[str, Facts], tbox: Tbox) -> list[Triple]:
    """The whole entities graph for ``facts``, sorted."""
    out: set[Triple] = set()
    for entity, f in facts.items():
        out |= describe(entity, f, tbox)
    return sorted(out)


__all__ = ["CONTEXT_PROPERTIES", "Facts", "Mention", "context_triples", "curated_description", "describe", "describe_all", "gather", "is_curated",
           "mention_triples", "mentions_from_triples", "most_specific"]
