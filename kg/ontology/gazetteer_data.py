"""What the extractor needs from the ontology, as plain values.

The gazetteer, the entity typer and the relation type checks are generic over
this :class:`Lexicon`: every name, synonym, class and domain/range comes from
the ontology graph, none from Python. A Protégé edit therefore changes what the
extractor recognises on the next run, with no code change.

The lexicon is JSON-serialisable so that the extractor can cache it (keyed by a
hash of the ontology files) and skip parsing Turtle at start-up.
"""

from __future__ import annotations

from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import ARCON

#: Languages whose labels feed the gazetteer (untagged literals count too).
LANGUAGES = ("en", "es")
_LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)


@dataclass(frozen=True, slots=True)
class Name:
    """One label of one ontology resource, with what it tells the extractor.

    ``kind`` is ``individual`` (a reference individual or SKOS concept: the name
    links to ``iri``), ``class`` (a class label such as "cartel" or "mayor":
    it types a mention but does not identify one entity) or ``alias`` (an alias
    a stored article stated for an entity minted from text: links to ``iri``).
    """

    label: str
    iri: str
    cls: str
    type: str
    kind: str
    lang: str | None


@dataclass(frozen=True, slots=True)
class RelationSignature:
    """Coarse types allowed as subject (domain) and object (range) of a relation; empty = any."""

    domain: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    symmetric: bool = False
    # Whether arcon:UnspecifiedAgent (a bare Agent) fits the domain: "was founded" names
    # no founder, and an unnamed agent cannot be the Person that `leads` requires.
    unspecified_subject: bool = True


@dataclass(frozen=True, slots=True)
class Lexicon:
    names: tuple[Name, ...]
    class_types: dict[str, str]  # fine class IRI -> coarse type
    relations: dict[str, RelationSignature]
    unspecified_agent: str
    coarse_classes: dict[str, str] = field(default_factory=dict)  # coarse type -> its annotated class IRI

    def to_json(self) -> dict[str, Any]:
        return {
            "names": [asdict(n) for n in self.names],
            "class_types": self.class_types,
            "relations": {k: asdict(v) for k, v in self.relations.items()},
            "unspecified_agent": self.unspecified_agent,
            "coarse_classes": self.coarse_classes,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Lexicon":
        return cls(
            names=tuple(Name(**n) for n in data["names"]),
            class_types=dict(data["class_types"]),
            relations={
                k: RelationSignature(tuple(v["domain"]), tuple(v["range"]), bool(v["symmetric"]),
                                     bool(v.get("unspecified_subject", True)))
                for k, v in data["relations"].items()
            },
            unspecified_agent=data["unspecified_agent"],
            coarse_classes=dict(data.get("coarse_classes", {})),
        )


def _superclasses(graph: Graph, cls: URIRef) -> list[URIRef]:
    return [o for o in graph.objects(cls, RDFS.subClassOf) if isinstance(o, URIRef)]


def coarse_types(graph: Graph) -> dict[str, str]:
    """Map every named class to the ``arcon:entityType`` of its nearest annotated superclass."""
    annotated = {
        s: str(o) for s, o in graph.subject_objects(ARCON.entityType) if isinstance(s, URIRef)
    }
    classes = {s for s in graph.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    classes |= set(annotated)
    result: dict[str, str] = {}
    for cls in classes:
        seen: set[URIRef] = set()
        queue = deque([cls])
        while queue:  # breadth first: the nearest annotation wins
            current = queue.popleft()
            if current in seen:
                continue
            seen.add(current)
            if current in annotated:
                result[str(cls)] = annotated[current]
                break
            queue.extend(_superclasses(graph, current))
    return result


def _subclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    found: set[URIRef] = set()
    queue = deque([cls])
    while queue:
        current = queue.popleft()
        if current in found:
            continue
        found.add(current)
        queue.extend(s for s in graph.subjects(RDFS.subClassOf, current) if isinstance(s, URIRef))
    return found


def _class_members(graph: Graph, node: Any) -> list[URIRef]:
    """Named classes of a domain/range: a class, or the members of an owl:unionOf."""
    if isinstance(node, URIRef):
        return [node]
    union = graph.value(node, OWL.unionOf)
    if union is None:
        return []
    return [m for m in Collection(graph, union) if isinstance(m, URIRef)]


def _allowed_types(graph: Graph, nodes: list[Any], class_types: dict[str, str]) -> tuple[str, ...]:
    types: set[str] = set()
    for node in nodes:
        for cls in _class_members(graph, node):
            for sub in _subclasses(graph, cls):
                if str(sub) in class_types:
                    types.add(class_types[str(sub)])
    return tuple(sorted(types))


def _labels(graph: Graph, subject: URIRef) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for prop in _LABEL_PROPERTIES:
        for value in graph.objects(subject, prop):
            if isinstance(value, Literal) and (value.language is None or value.language in LANGUAGES):
                text = " ".join(str(value).split())
                if text and (text, value.language) not in out:
                    out.append((text, value.language))
    return out


def relation_names(graph: Graph) -> list[str]:
    """Local names of the claim relations: the sub-properties of ``arcon:relatedTo``."""
    return sorted(
        str(p)[len(str(ARCON)):]
        for p in graph.subjects(RDFS.subPropertyOf, ARCON.relatedTo)
        if isinstance(p, URIRef) and str(p).startswith(str(ARCON))
    )


def lexicon_from_graph(graph: Graph) -> Lexicon:
    """Collect names, class types and relation signatures from an ontology graph."""
    class_types = coarse_types(graph)
    depth = {c: len(_ancestors(graph, URIRef(c))) for c in class_types}
    names: list[Name] = []
    for cls, coarse in sorted(class_types.items()):
        for text, lang in _labels(graph, URIRef(cls)):
            names.append(Name(text, cls, cls, coarse, "class", lang))
    individuals: dict[URIRef, str] = {}
    for subject, cls in graph.subject_objects(RDF.type):
        if not isinstance(subject, URIRef) or str(cls) not in class_types or str(subject) in class_types:
            continue
        best = individuals.get(subject)
        if best is None or depth[str(cls)] > depth[best]:  # the most specific typed class
            individuals[subject] = str(cls)
    for subject, cls in sorted(individuals.items()):
        for text, lang in _labels(graph, subject):
            names.append(Name(text, str(subject), cls, class_types[cls], "individual", lang))
    relations: dict[str, RelationSignature] = {}
    unspecified_classes: set[URIRef] = set()
    for cls in graph.objects(ARCON.UnspecifiedAgent, RDF.type):
        if isinstance(cls, URIRef):
            unspecified_classes |= {cls} | _ancestors(graph, cls)
    for local in relation_names(graph):
        prop = ARCON[local]
        domain_nodes = list(graph.objects(prop, RDFS.domain))
        domain_classes = {c for node in domain_nodes for c in _class_members(graph, node)}
        relations[local] = RelationSignature(
            domain=_allowed_types(graph, domain_nodes, class_types),
            range=_allowed_types(graph, list(graph.objects(prop, RDFS.range)), class_types),
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
            unspecified_subject=not domain_classes or bool(domain_classes & unspecified_classes),
        )
    annotated = {str(o): str(s) for s, o in graph.subject_objects(ARCON.entityType)}
    return Lexicon(
        names=tuple(names),
        class_types=class_types,
        relations=relations,
        unspecified_agent=str(ARCON.UnspecifiedAgent),
        coarse_classes=annotated,
    )


def _ancestors(graph: Graph, cls: URIRef) -> set[URIRef]:
    found: set[URIRef] = set()
    queue = deque(_superclasses(graph, cls))
    while queue:
        current = queue.popleft()
        if current not in found:
            found.add(current)
            queue.extend(_superclasses(graph, current))
    return found
