"""Reasoning at query time: superclass queries and symmetric relations, read from the ontology graph.

Nothing is materialised at ingest; queries follow ``rdfs:subClassOf*`` and
``owl:SymmetricProperty`` in the ontology graph (part of the union default
graph). So an ontology edit reaches every query as soon as the ontology graph is
replaced, with no document rebuilt.
"""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from conftest import ontology_folder
from graph_fixtures import SP, article
from kg.ingest.entities import write_documents
from kg.ingest.ontology_graphs import sync_ontology
from kg.namespaces import ARCON
from kg.rdf.mapping import map_extraction
from kg.rdf.tbox import load_tbox
from kg.store.embedded import EmbeddedStore

PREFIXES = """PREFIX arcon: <https://w3id.org/arcon/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


@pytest.fixture()
def store(tmp_path, tbox):
    s = EmbeddedStore(tmp_path / "store")
    sync_ontology(s, tbox)
    write_documents(s, [map_extraction(article(1), tbox)], tbox)  # with the entities graph
    yield s
    s.close()


def names(store, sparql, var="x") -> set[str]:
    return {str(r[var]) for r in store.query(PREFIXES + sparql).rows()}


def test_a_superclass_query_finds_instances_of_subclasses(store):
    e = article(1)
    groups = names(store, "SELECT DISTINCT ?x WHERE { ?x a/rdfs:subClassOf* arcon:CriminalGroup }")
    assert SP in groups  # typed InsurgentGroup
    assert {e.claims[4].subject.iri, e.claims[4].object.iri} <= groups  # a cartel, a clan
    assert e.claims[1].object.iri not in groups  # police officers are no criminal group
    # the asserted type alone would miss them all
    assert SP not in names(store, "SELECT ?x WHERE { ?x a arcon:CriminalGroup }")


def test_a_symmetric_relation_is_answered_from_either_side(store):
    e = article(1)
    cartel, clan = e.claims[4].subject.iri, e.claims[4].object.iri  # stated: cartel cooperatesWith clan
    generic = """SELECT ?x WHERE {{ {{ <{a}> ?r ?x }} UNION {{ ?x ?r <{a}> . ?r a owl:SymmetricProperty }}
                 FILTER(?r = arcon:cooperatesWith) }}"""
    assert names(store, generic.format(a=clan)) == {cartel}
    assert names(store, generic.format(a=cartel)) == {clan}
    path = f"SELECT ?x WHERE {{ <{clan}> arcon:cooperatesWith|^arcon:cooperatesWith ?x }}"
    assert names(store, path) == {cartel}
    # a relation that is not symmetric is not turned around
    bribed = e.claims[1].object.iri
    assert names(store, generic.format(a=bribed).replace("cooperatesWith", "bribes")) == set()


def test_an_ontology_edit_reaches_queries_without_rebuilding_documents(store, tmp_path):
    copy = tmp_path / "ontology"
    shutil.copytree(ontology_folder(), copy)
    main = copy / "arcon.ttl"
    g = Graph().parse(main)
    family = URIRef(str(ARCON) + "FamilyBusiness")
    g.add((family, RDF.type, OWL.Class))
    g.add((family, RDFS.subClassOf, ARCON.Organization))
    g.add((ARCON.Clan, RDFS.subClassOf, family))
    g.add((ARCON.bribes, RDF.type, OWL.SymmetricProperty))
    g.serialize(main, format="turtle")
    doc_graphs_before = [x for x in store.graphs() if "/graph/doc/" in x]

    assert sync_ontology(store, load_tbox(copy)) is True
    clan = article(1).claims[4].object.iri
    assert names(store, "SELECT ?x WHERE { ?x a/rdfs:subClassOf* arcon:FamilyBusiness }") == {clan}
    e = article(1)
    briber, bribed = e.claims[1].subject.iri, e.claims[1].object.iri
    assert names(store, f"""SELECT ?x WHERE {{ {{ <{bribed}> ?r ?x }} UNION {{ ?x ?r <{bribed}> .
                 ?r a owl:SymmetricProperty }} FILTER(?r = arcon:bribes) }}""") == {briber}
    assert [x for x in store.graphs() if "/graph/doc/" in x] == doc_graphs_before
    assert sync_ontology(store, load_tbox(copy)) is False  # unchanged: left alone
