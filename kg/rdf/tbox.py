"""What the graph build reads from the ontology: read once per run, passed around as a value.

The mapping needs each relation's harm/mechanism annotations and the class of a
coarse entity type; the shapes need domains, ranges, the class hierarchy and
the status scheme; the store needs the ontology and reference graphs and a hash
that changes when the ontology does. All of it is derived here from
``ontology/*.ttl`` so that no Python list repeats the ontology.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespaces import ARCON, STATUS
from kg.resources import ontology_dir

REFERENCE_FILE = "reference.ttl"


@dataclass(frozen=True, slots=True)
class Relation:
    """One claim relation of the ontology (an object property under ``arcon:relatedTo``)."""

    iri: str
    name: str
    domain: tuple[str, ...]  # class IRIs; several means their union; () means unconstrained
    range: tuple[str, ...]
    symmetric: bool
    harms: tuple[str, ...] = ()
    mechanisms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Individual:
    """A named individual of the ontology or reference data (place, group, concept …)."""

    iri: str
    types: tuple[str, ...]
    label: str | None


@dataclass(frozen=True)
class Tbox:
    """The ontology as data: graphs to load and the facts derived from them."""

    ontology_nt: bytes  # everything but the reference individuals, N-Triples
    reference_nt: bytes
    hash: str  # changes when any ontology file changes
    relations: dict[str, Relation]  # by local name
    superclasses: dict[str, frozenset[str]]  # class -> itself and all its superclasses
    class_of_type: dict[str, str]  # coarse entity type -> class IRI
    individuals: dict[str, Individual]
    statuses: tuple[str, ...]  # concept IRIs of the epistemic status scheme
    _subclasses: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def subclasses(self, cls: str) -> frozenset[str]:
        """``cls`` and every class below it."""
        return self._subclasses.get(cls, frozenset({cls}))

    def is_a(self, cls: str, ancestor: str) -> bool:
        return ancestor in self.superclasses.get(cls, frozenset({cls}))

    def relation(self, name: str) -> Relation:
        try:
            return self.relations[name]
        except KeyError:
            known = ", ".join(sorted(self.relations))
            raise KeyError(f"unknown relation {name!r}: the ontology has {known}") from None


def load_tbox(folder: Path | None = None) -> Tbox:
    """Read every ``*.ttl`` of the ontology folder; ``reference.ttl`` is the reference graph."""
    folder = Path(folder) if folder else ontology_dir()
    files = sorted(folder.glob("*.ttl"))
    if not any(f.name != REFERENCE_FILE for f in files):
        raise FileNotFoundError(f"no ontology Turtle files in {folder}")
    digest = hashlib.sha256()
    ontology, reference = Graph(), Graph()
    for path in files:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw + b"\0")
        target = reference if path.name == REFERENCE_FILE else ontology
        try:
            target.parse(data=raw, format="turtle", publicID=path.resolve().as_uri())
        except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
            raise ValueError(f"{path}: cannot parse the ontology: {exc}") from exc
    return build_tbox(ontology, reference, digest.hexdigest())


def build_tbox(ontology: Graph, reference: Graph, digest: str) -> Tbox:
    both = ontology + reference
    superclasses, subclasses = _hierarchy(both)
    return Tbox(
        ontology_nt=canonical_ntriples(ontology),
        reference_nt=canonical_ntriples(reference),
        hash=digest,
        relations=_relations(ontology),
        superclasses=superclasses,
        class_of_type={str(o): str(s) for s, o in ontology.subject_objects(ARCON.entityType)},
        individuals=_individuals(both),
        statuses=tuple(sorted(str(c) for c in both.subjects(SKOS.inScheme, URIRef(str(STATUS).rstrip("/"))))),
        _subclasses=subclasses,
    )


def canonical_ntriples(g: Graph) -> bytes:
    """Sorted N-Triples with canonical blank-node labels: the same ontology always loads as the same quads."""
    lines = to_canonical_graph(g).serialize(format="nt", encoding="utf-8").splitlines(keepends=True)
    return b"".join(sorted(line for line in lines if line.strip()))


def _hierarchy(g: Graph) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    parents: dict[str, set[str]] = defaultdict(set)
    classes: set[str] = set()
    for s, o in g.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            parents[str(s)].add(str(o))
            classes.update((str(s), str(o)))
    for s in g.subjects(RDF.type, OWL.Class):
        if isinstance(s, URIRef):
            classes.add(str(s))
    up: dict[str, frozenset[str]] = {}

    def ancestors(c: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
        if c in up:
            return up[c]
        result = {c}
        for p in parents.get(c, ()):
            if p not in seen:
                result |= ancestors(p, seen | {c})
        up[c] = frozenset(result)
        return up[c]

    for c in classes:
        ancestors(c)
    down: dict[str, set[str]] = defaultdict(set)
    for c, ups in up.items():
        for a in ups:
            down[a].add(c)
    return up, {c: frozenset(cs) for c, cs in down.items()}


def _classes_of(g: Graph, node) -> tuple[str, ...]:
    """A class expression as a tuple of named classes (a named class, or an owl:unionOf of them)."""
    if node is None:
        return ()
    if isinstance(node, URIRef):
        return (str(node),)
    union = g.value(node, OWL.unionOf)
    if union is not None:
        return tuple(sorted(str(m) for m in Collection(g, union) if isinstance(m, URIRef)))
    return ()


def _relations(g: Graph) -> dict[str, Relation]:
    top = ARCON.relatedTo
    below: set[URIRef] = set()
    frontier = {top}
    while frontier:
        nxt = {s for p in frontier for s in g.subjects(RDFS.subPropertyOf, p) if isinstance(s, URIRef)} - below
        below |= nxt
        frontier = nxt
    relations = {}
    for prop in sorted(below):
        name = str(prop).removeprefix(str(ARCON))
        relations[name] = Relation(
            iri=str(prop),
            name=name,
            domain=_classes_of(g, g.value(prop, RDFS.domain)),
            range=_classes_of(g, g.value(prop, RDFS.range)),
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in g,
            harms=tuple(sorted(str(h) for h in g.objects(prop, ARCON.expressesHarm))),
            mechanisms=tuple(sorted(str(m) for m in g.objects(prop, ARCON.expressesMechanism))),
        )
    return relations


def _individuals(g: Graph) -> dict[str, Individual]:
    skip = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
            OWL.NamedIndividual, SKOS.ConceptScheme, RDF.Property, OWL.SymmetricProperty,
            OWL.TransitiveProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty, RDFS.Class,
            OWL.Restriction, RDFS.Datatype, OWL.AllDisjointClasses, OWL.Axiom}
    types: dict[str, set[str]] = defaultdict(set)
    for s, t in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(t, URIRef) and t not in skip:
            types[str(s)].add(str(t))
    out = {}
    for iri, ts in types.items():
        out[iri] = Individual(iri=iri, types=tuple(sorted(ts)), label=_english_label(g, URIRef(iri)))
    return out


def _english_label(g: Graph, node: URIRef) -> str | None:
    labels = [o for p in (RDFS.label, SKOS.prefLabel) for o in g.objects(node, p) if isinstance(o, Literal)]
    for lang in ("en", None, "es"):
        for label in sorted(labels):
            if label.language == lang:
                return str(label)
    return str(sorted(labels)[0]) if labels else None


__all__ = ["Individual", "Relation", "Tbox", "build_tbox", "load_tbox"]
