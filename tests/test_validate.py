"""The SHACL gate: broken extractions are caught with readable messages, and the SPARQL-compiled
shapes give exactly pySHACL's results on every fixture."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, XSD

from graph_fixtures import SP, UCA, article, ref
from kg.namespaces import ARCON
from kg.rdf.mapping import DocumentGraph, map_extraction
from kg.validate.compiled import UnsupportedShape, compile_shapes
from kg.store.embedded import EmbeddedStore
from kg.validate.gate import check_document, check_documents, check_with_pyshacl, conforms, load_gate
from kg.validate.store_check import check_store


@pytest.fixture(scope="module")
def gate(tbox):
    return load_gate(tbox)


def with_triples(doc: DocumentGraph, add=(), remove=()) -> DocumentGraph:
    triples = (set(doc.triples) - set(remove)) | set(add)
    return replace(doc, triples=tuple(sorted(triples)))


def claim_node(doc: DocumentGraph, relation: str) -> URIRef:
    return next(s for s, p, o in doc.triples if p == ARCON.relation and o == ARCON[relation])


def change_claim(extraction, index, **changes):
    claims = list(extraction.claims)
    claims[index] = replace(claims[index], **changes)
    return replace(extraction, claims=tuple(claims))


def broken_documents(tbox):
    """(name, document graph, a message the report must contain)."""
    good = article(1)
    doc = map_extraction(good, tbox)
    bribes = claim_node(doc, "bribes")
    subject = next(o for s, p, o in doc.triples if s == bribes and p == ARCON.subject)
    sentence = next(o for s, p, o in doc.triples if s == bribes and p == ARCON.sentence)
    start = next(o for s, p, o in doc.triples if s == sentence and p == ARCON.startOffset)
    undated = map_extraction(replace(good, document=replace(good.document, published=None)), tbox)
    article_node = next(s for s, p, o in undated.triples if p == ARCON.publicationDateUnknown)
    return [
        ("no subject", with_triples(doc, remove=[(bribes, ARCON.subject, subject)]),
         "a claim needs exactly one subject"),
        ("two objects", with_triples(doc, add=[(bribes, ARCON.object, URIRef(SP))]),
         "a claim needs exactly one object"),
        ("confidence above 1", map_extraction(change_claim(good, 1, confidence=1.5), tbox),
         "an xsd:decimal between 0 and 1"),
        ("status outside the scheme", map_extraction(change_claim(good, 1, status="rumoured"), tbox),
         "must be a concept of the status scheme"),
        ("date that is no date", map_extraction(change_claim(good, 1, date="2013-02-30"), tbox),
         "typed xsd:gYear, xsd:gYearMonth or xsd:date"),
        ("operatesIn a criminal group", map_extraction(change_claim(
            good, 0, object=ref("Traffickers", "CriminalGroup", good.claims[1].subject.iri)), tbox),
         "the object of a 'operatesIn' claim must be an instance of Place"),
        ("unknown relation", map_extraction(change_claim(good, 1, relation="bribed"), tbox),
         "must be one of the ontology's claim relations"),
        ("article with neither a date nor the unknown-date flag",
         with_triples(undated, remove=[t for t in undated.triples if t[1] == ARCON.publicationDateUnknown]),
         "an article needs a publication date (dcterms:issued), or arcon:publicationDateUnknown true"),
        ("article with a date and the unknown-date flag",
         with_triples(undated, add=[(article_node, DCTERMS.issued, Literal("2013-05-14", datatype=XSD.date))]),
         "an article whose publication date is unknown has no dcterms:issued"),
        ("bad ISO code", with_triples(doc, add=[(URIRef(UCA), ARCON.isoCode, Literal("pe-uca"))]),
         "an ISO code is ISO 3166-1 alpha-2"),
        ("sentence ends before it starts",
         with_triples(doc, remove=[(sentence, ARCON.startOffset, start)],
                      add=[(sentence, ARCON.startOffset, Literal(500, datatype=start.datatype))]),
         "before its end offset"),
        ("entity without label",
         with_triples(doc, remove=[t for t in doc.triples if t[0] == URIRef(SP) and t[1] == RDFS.label]),
         "needs a label"),
        ("entity without type",
         with_triples(doc, remove=[t for t in doc.triples if t[0] == URIRef(SP) and t[1] == RDF.type]),
         "needs a type"),
    ]


def test_a_good_document_conforms_with_both_engines(gate, tbox):
    doc = map_extraction(article(1), tbox)
    assert check_document(gate, doc) == []
    assert check_document(gate, doc, engine="pyshacl") == []


def test_an_article_without_a_known_date_says_so_and_conforms(gate, tbox):
    undated = article(1)
    undated = replace(undated, document=replace(undated.document, published=None))
    doc = map_extraction(undated, tbox)
    assert not [t for t in doc.triples if t[1] == DCTERMS.issued]
    assert [t[2] for t in doc.triples if t[1] == ARCON.publicationDateUnknown] == [Literal(True)]
    assert check_document(gate, doc) == []
    assert check_document(gate, doc, engine="pyshacl") == []


def test_subclass_instances_satisfy_superclass_ranges(gate, tbox):
    # bribes: Agent -> Agent; the object is a PoliceOfficer, three classes below Agent.
    doc = map_extraction(article(1), tbox)
    assert (URIRef(article(1).claims[1].object.iri), RDF.type, ARCON.PoliceOfficer) in doc.triples
    assert conforms(check_document(gate, doc))


@pytest.mark.parametrize("case", range(13))
def test_broken_document_is_caught_with_its_message_and_engines_agree(gate, tbox, case):
    name, doc, message = broken_documents(tbox)[case]
    compiled = check_document(gate, doc)
    reference = check_document(gate, doc, engine="pyshacl")
    assert not conforms(compiled), name
    assert any(message in v.message for v in compiled), (name, [v.message for v in compiled])
    assert [v.key() for v in compiled] == [v.key() for v in reference], name
    assert [v.message for v in compiled] == [v.message for v in reference], name


def test_violation_names_focus_value_and_shape(gate, tbox):
    extraction = change_claim(article(1), 1, confidence=1.5)
    doc = map_extraction(extraction, tbox)
    [v] = [v for v in check_document(gate, doc) if v.component == SH.MaxInclusiveConstraintComponent]
    assert str(v.focus).startswith("https://w3id.org/arcon/id/claim/")
    assert v.path == ARCON.confidence
    assert str(v.value) == "1.5"
    assert v.graph == doc.graph


def test_unsupported_shape_is_refused_not_ignored(tbox, tmp_path):
    from rdflib import Graph

    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://x/S> a sh:NodeShape ; sh:targetClass <http://x/C> ; sh:closed true .""", format="turtle")
    with pytest.raises(UnsupportedShape, match="closed"):
        compile_shapes(shapes, tbox)


def _in_own_graphs(tbox) -> list[DocumentGraph]:
    """The good document and every broken one, each in a graph of its own.

    They describe the same article, claims and entities, so a check that
    leaked across graphs (a subject found in graph 2 excusing graph 1) shows.
    """
    good = map_extraction(article(1), tbox)
    docs = [good] + [doc for _, doc, _ in broken_documents(tbox)]
    return [replace(doc, graph=f"{good.graph}-variant-{n}") for n, doc in enumerate(docs)]


def test_a_batch_is_judged_document_by_document_as_pyshacl_judges_each(gate, tbox):
    docs = _in_own_graphs(tbox)
    batch = check_documents(gate, docs)
    assert batch[0] == []
    for doc, found in zip(docs, batch):
        reference = check_with_pyshacl(gate, doc.graph, doc.triples)
        assert [(v.graph, v.key(), v.message) for v in found] == [(v.graph, v.key(), v.message) for v in reference]
    assert all(not conforms(found) for found in batch[1:])


def test_whole_store_validation_equals_pyshacl_on_each_graph(gate, tbox, tmp_path):
    docs = _in_own_graphs(tbox)
    store = EmbeddedStore(tmp_path / "store")
    store.replace_graphs({doc.graph: doc.ntriples() for doc in docs})
    found = check_store(gate, store)
    store.close()
    expected = sorted((v for doc in docs for v in check_with_pyshacl(gate, doc.graph, doc.triples)),
                      key=lambda v: (v.graph, v.key()))
    assert [(v.graph, v.key(), v.message) for v in found] == [(v.graph, v.key(), v.message) for v in expected]
    assert {v.graph for v in found} == {doc.graph for doc in docs[1:]}
