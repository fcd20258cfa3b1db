"""Shapes generated from the ontology at load time, so no shape file repeats a list of classes.

* the status of a claim is a concept of the epistemic-status scheme;
* the relation of a claim is one of the ontology's claim relations;
* for every relation with a domain or range: the subject (object) of a claim
  with that relation is an instance of the domain (range), or of one of its
  classes when it is a union.

The domain/range shapes select their claims with a SHACL-AF SPARQL target, and
use ``sh:class``: the gate puts the ontology's class hierarchy beside the
document (pySHACL) or expands it into the compiled query, so a subclass
instance (a ``Police`` unit) satisfies a superclass range (``Agent``).
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from kg.namespaces import ARCON
from kg.rdf.tbox import Relation, Tbox

ARCONSH = Namespace("https://w3id.org/arcon/shapes#")


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _list(g: Graph, items: list) -> BNode:
    head = BNode()
    Collection(g, head, items)
    return head


def generated_shapes(tbox: Tbox) -> Graph:
    g = Graph()
    g.bind("sh", SH)
    g.bind("arconsh", ARCONSH)
    _status_and_relation(g, tbox)
    for relation in tbox.relations.values():
        _domain_and_range(g, relation)
    return g


def _status_and_relation(g: Graph, tbox: Tbox) -> None:
    shape = ARCONSH.ClaimVocabularyShape
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetClass, ARCON.Claim))
    status = ARCONSH.ClaimStatusInScheme
    names = ", ".join(_local(s) for s in tbox.statuses)
    g.add((shape, SH.property, status))
    g.add((status, RDF.type, SH.PropertyShape))
    g.add((status, SH.path, ARCON.status))
    g.add((status, SH["in"], _list(g, [URIRef(s) for s in tbox.statuses])))
    g.add((status, SH.message, Literal(f"the status of a claim must be a concept of the status scheme ({names})")))
    relation = ARCONSH.ClaimRelationInOntology
    g.add((shape, SH.property, relation))
    g.add((relation, RDF.type, SH.PropertyShape))
    g.add((relation, SH.path, ARCON.relation))
    g.add((relation, SH["in"], _list(g, [URIRef(r.iri) for r in tbox.relations.values()])))
    g.add((relation, SH.message, Literal("the relation of a claim must be one of the ontology's claim relations "
                                         "(an object property under arcon:relatedTo)")))


def _class_constraint(g: Graph, prop: URIRef, classes: tuple[str, ...]) -> None:
    if len(classes) == 1:
        g.add((prop, SH["class"], URIRef(classes[0])))
        return
    alternatives = []
    for cls in classes:
        alt = BNode()
        g.add((alt, SH["class"], URIRef(cls)))
        alternatives.append(alt)
    g.add((prop, SH["or"], _list(g, alternatives)))


def _domain_and_range(g: Graph, relation: Relation) -> None:
    if not relation.domain and not relation.range:
        return
    shape = ARCONSH[f"relation-{relation.name}"]
    target = BNode()
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.target, target))
    g.add((target, RDF.type, SH.SPARQLTarget))
    g.add((target, SH.select, Literal(f"SELECT ?this WHERE {{ ?this <{ARCON.relation}> <{relation.iri}> . }}")))
    for path, classes, role, axiom in (
        (ARCON.subject, relation.domain, "subject", "domain"),
        (ARCON.object, relation.range, "object", "range"),
    ):
        if not classes:
            continue
        prop = ARCONSH[f"relation-{relation.name}-{role}"]
        g.add((shape, SH.property, prop))
        g.add((prop, RDF.type, SH.PropertyShape))
        g.add((prop, SH.path, path))
        _class_constraint(g, prop, classes)
        wanted = " or ".join(_local(c) for c in classes)
        g.add((prop, SH.message, Literal(
            f"the {role} of a '{relation.name}' claim must be an instance of {wanted} "
            f"(the {axiom} of arcon:{relation.name} in the ontology)")))
