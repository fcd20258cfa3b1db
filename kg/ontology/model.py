"""The ontology as Python values, for the extractor, the RDF mapper and the API.

The ontology files are the single source of truth; this module only reads them.
Everything below is derived, so adding a class, a synonym or a reference
individual in ``ontology/`` reaches the code without a Python edit:

- :func:`load_ontology` — the ontology (and/or reference individuals) as an
  rdflib graph, e.g. to load into the store's ontology and reference graphs.
- :func:`gazetteer_records` — every label and alias with its IRI, fine class and
  coarse type: the extractor's gazetteer.
- :func:`coarse_type`, :func:`coarse_types`, :func:`class_of_type`,
  :func:`superclasses` — the class hierarchy, with coarse types taken from
  ``arcon:entityType`` (nearest annotated superclass wins).
- :func:`relations` — the 18 relations with domain, range, symmetry, the harm or
  corruption mechanism they evidence, and their cue words.
- :func:`concepts` — the concepts of a SKOS scheme (markets, harms, …).

Functions take an optional ``graph``; without one they use the installed
ontology (or ``ARCON_ONTOLOGY_DIR``), parsed once per process and re-parsed when
a file changes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from rdflib import BNode, Graph, Literal as RDFLiteral, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import ARCON, CONCEPT, PREFIXES
from kg.ontology.files import REFERENCE_IRI, file_stamp, modules, parse_file

Part = Literal["all", "ontology", "reference"]
LANGUAGES = ("en", "es")


def load_ontology(part: Part = "all", directory: Path | None = None) -> Graph:
    """The ontology as a new rdflib graph (yours to modify).

    ``part="ontology"`` is the TBox with the concept schemes (the store's
    ontology graph), ``"reference"`` the reference individuals (the store's
    reference graph), ``"all"`` both.
    """
    merged = _merged(_key(directory), part)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph += merged
    return graph


def _key(directory: Path | None) -> tuple[tuple[str, Path, int, int], ...]:
    return tuple((m.iri, m.path, *file_stamp(m.path)) for m in modules(directory))


@lru_cache(maxsize=16)
def _merged(key: tuple[tuple[str, Path, int, int], ...], part: Part) -> Graph:
    graph = Graph()
    for iri, path, _mtime, _size in key:
        is_reference = iri == REFERENCE_IRI
        if part == "all" or (part == "reference") == is_reference:
            graph += parse_file(path)
    return graph


def _graph(graph: Graph | None) -> Graph:
    # Read-only use inside this module: no copy needed.
    return graph if graph is not None else _merged(_key(None), "all")


# --------------------------------------------------------------------------- classes


def _named(nodes: Iterable[object]) -> list[str]:
    return sorted(str(n) for n in nodes if isinstance(n, URIRef))


def superclasses(class_iri: str, graph: Graph | None = None) -> list[str]:
    """Named superclasses of a class, transitively, nearest first (the class itself excluded)."""
    g = _graph(graph)
    seen: dict[str, None] = {}
    queue = deque([URIRef(class_iri)])
    while queue:
        for parent in _named(g.objects(queue.popleft(), RDFS.subClassOf)):
            if parent not in seen and parent != class_iri:
                seen[parent] = None
                queue.append(URIRef(parent))
    return list(seen)


def coarse_types(graph: Graph | None = None) -> dict[str, str]:
    """Map every class that has a coarse type to it (from ``arcon:entityType``)."""
    g = _graph(graph)
    return _coarse_types(g) if graph is not None else _cached_coarse_types(_key(None))


@lru_cache(maxsize=4)
def _cached_coarse_types(key: tuple) -> dict[str, str]:
    return _coarse_types(_merged(key, "all"))


def _coarse_types(g: Graph) -> dict[str, str]:
    annotated = {str(c): str(v) for c, v in g.subject_objects(ARCON.entityType)}
    result: dict[str, str] = {}
    for cls in _named(g.subjects(RDF.type, OWL.Class)):
        for candidate in [cls, *superclasses(cls, g)]:
            if candidate in annotated:
                result[cls] = annotated[candidate]
                break
    return result


def coarse_type(class_iri: str, graph: Graph | None = None) -> str | None:
    """The extractor's coarse type of a class ("PoliceOfficer" → "PublicOfficial"), or None."""
    return coarse_types(graph).get(str(class_iri))


def class_of_type(entity_type: str, graph: Graph | None = None) -> str:
    """The class annotated with a coarse type ("Market" → arcon:CriminalMarket)."""
    g = _graph(graph)
    for cls, value in g.subject_objects(ARCON.entityType):
        if str(value) == entity_type:
            return str(cls)
    raise KeyError(f"no class has arcon:entityType {entity_type!r}")


def entity_types(graph: Graph | None = None) -> list[str]:
    """The coarse types, sorted (the values of ``arcon:entityType``)."""
    return sorted({str(v) for v in _graph(graph).objects(None, ARCON.entityType)})


def fine_class(iri: str, graph: Graph | None = None) -> str | None:
    """The most specific arcon class an individual is typed with, or None."""
    g = _graph(graph)
    types = [t for t in _named(g.objects(URIRef(iri), RDF.type)) if t.startswith(str(ARCON))]
    # Drop any type that is a superclass of another type of the same individual.
    specific = [t for t in types if not any(t in superclasses(o, g) for o in types if o != t)]
    return specific[0] if specific else None


# --------------------------------------------------------------------------- labels


def label(iri: str, lang: str = "en", graph: Graph | None = None) -> str | None:
    """The ``rdfs:label`` of a term in a language, or None."""
    for value in _graph(graph).objects(URIRef(iri), RDFS.label):
        if isinstance(value, RDFLiteral) and value.language == lang:
            return str(value)
    return None


def _texts(g: Graph, subject: object, predicate: URIRef) -> dict[str, tuple[str, ...]]:
    by_lang: dict[str, list[str]] = {}
    for value in g.objects(subject, predicate):
        if isinstance(value, RDFLiteral):
            by_lang.setdefault(value.language or "", []).append(str(value))
    return {lang: tuple(sorted(values)) for lang, values in sorted(by_lang.items())}


@dataclass(frozen=True)
class GazetteerRecord:
    """One name the extractor can match, and what it refers to.

    ``kind`` tells a class name ("police officer": any police officer, a role
    mention) from an individual's name ("DEVIDA": that institution; concepts such
    as "cocaine" are individuals too). ``preferred`` is True for the
    ``rdfs:label``, False for a ``skos:altLabel``.
    """

    text: str
    lang: str
    iri: str
    fine_class: str
    coarse_type: str
    kind: Literal["class", "individual"]
    preferred: bool


def gazetteer_records(graph: Graph | None = None) -> list[GazetteerRecord]:
    """Every English and Spanish label and alias of a class or individual with a coarse type."""
    g = _graph(graph)
    types = coarse_types(graph)
    records: list[GazetteerRecord] = []

    def add(subject: URIRef, fine: str, coarse: str, kind: Literal["class", "individual"]) -> None:
        for predicate, preferred in ((RDFS.label, True), (SKOS.altLabel, False)):
            for value in g.objects(subject, predicate):
                if isinstance(value, RDFLiteral) and value.language in LANGUAGES:
                    records.append(GazetteerRecord(str(value), value.language, str(subject), fine, coarse, kind, preferred))

    for cls, coarse in types.items():
        add(URIRef(cls), cls, coarse, "class")
    for individual in _named(g.subjects(RDF.type, OWL.NamedIndividual)):
        fine = fine_class(individual, g)
        if fine in types:
            add(URIRef(individual), fine, types[fine], "individual")
    records.sort(key=lambda r: (r.coarse_type, r.iri, r.lang, not r.preferred, r.text))
    return records


# --------------------------------------------------------------------------- relations


def _class_list(g: Graph, node: object) -> tuple[str, ...]:
    """A class IRI, or the members of an ``owl:unionOf`` class expression."""
    if isinstance(node, URIRef):
        return (str(node),)
    if isinstance(node, BNode):
        union = g.value(node, OWL.unionOf)
        if union is not None:
            return tuple(str(m) for m in Collection(g, union))
    return ()


@dataclass(frozen=True)
class Relation:
    """A relation a claim can state, as the TBox defines it."""

    name: str
    iri: str
    label: dict[str, str]
    definition: str
    domain: tuple[str, ...]
    range: tuple[str, ...]
    symmetric: bool
    harm: str | None
    mechanism: str | None
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)


def relations(graph: Graph | None = None) -> dict[str, Relation]:
    """The relations (sub-properties of ``arcon:relatedTo``), keyed by local name."""
    g = _graph(graph)
    found: dict[str, Relation] = {}
    for prop in _named(g.subjects(RDFS.subPropertyOf, ARCON.relatedTo)):
        node = URIRef(prop)
        name = prop[len(str(ARCON)):]
        labels = {lang: values[0] for lang, values in _texts(g, node, RDFS.label).items() if values}
        harm = g.value(node, ARCON.expressesHarm)
        mechanism = g.value(node, ARCON.expressesMechanism)
        found[name] = Relation(
            name=name,
            iri=prop,
            label=labels,
            definition=str(g.value(node, SKOS.definition) or ""),
            domain=tuple(d for o in g.objects(node, RDFS.domain) for d in _class_list(g, o)),
            range=tuple(r for o in g.objects(node, RDFS.range) for r in _class_list(g, o)),
            symmetric=(node, RDF.type, OWL.SymmetricProperty) in g,
            harm=str(harm) if harm is not None else None,
            mechanism=str(mechanism) if mechanism is not None else None,
            cues=_texts(g, node, ARCON.cue),
        )
    return dict(sorted(found.items()))


# --------------------------------------------------------------------------- concepts


@dataclass(frozen=True)
class Concept:
    """A SKOS concept of one of the schemes (market, corruption, harm, status, actor-type)."""

    iri: str
    slug: str
    label: dict[str, str]
    alt_labels: dict[str, tuple[str, ...]]
    definition: str
    broader: tuple[str, ...]
    iccs_code: str | None
    cues: dict[str, tuple[str, ...]]


def concepts(scheme: str, graph: Graph | None = None) -> list[Concept]:
    """The concepts of a scheme by its local name ("market", "harm", …), sorted by IRI."""
    g = _graph(graph)
    scheme_iri = URIRef(f"{CONCEPT}{scheme}")
    found = []
    for iri in _named(g.subjects(SKOS.inScheme, scheme_iri)):
        node = URIRef(iri)
        iccs = g.value(node, ARCON.iccsCode)
        found.append(Concept(
            iri=iri,
            slug=iri.rsplit("/", 1)[1],
            label={lang: values[0] for lang, values in _texts(g, node, RDFS.label).items()},
            alt_labels=_texts(g, node, SKOS.altLabel),
            definition=str(g.value(node, SKOS.definition) or ""),
            broader=tuple(_named(g.objects(node, SKOS.broader))),
            iccs_code=str(iccs) if iccs is not None else None,
            cues=_texts(g, node, ARCON.cue),
        ))
    return found


