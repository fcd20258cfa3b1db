"""Extraction → named graph: layout, determinism, the direct-triple policy, supporting-article counts."""

from __future__ import annotations

import io
from dataclasses import replace

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from graph_fixtures import SP, UCA, UNSPECIFIED, article
from kg.namespaces import ARCON, CORRUPTION, HARM, STATUS
from kg.rdf import iris
from kg.rdf.entities import context_triples
from kg.rdf.mapping import from_triples, map_extraction
from kg.store.embedded import EmbeddedStore


def claim_of(doc, relation):
    return next(s for s, p, o in doc.triples if p == ARCON.relation and o == ARCON[relation])


def values(doc, subject, predicate):
    return {o for s, p, o in doc.triples if s == subject and p == predicate}


def test_same_extraction_same_canonical_nquads_whatever_the_input_order(tbox):
    e = article(1)
    shuffled = replace(e, entities=tuple(reversed(e.entities)), claims=tuple(reversed(e.claims)))
    first, second = map_extraction(e, tbox).nquads(), map_extraction(shuffled, tbox).nquads()
    assert first == second
    assert first == map_extraction(article(1), tbox).nquads()
    assert first.count(b"\n") == len(set(first.splitlines()))  # sorted, no duplicates


def test_graph_holds_article_sentences_claims_and_provenance(tbox):
    e = article(1)
    doc = map_extraction(e, tbox)
    art = URIRef(iris.document_iri(e.document.id))
    assert doc.graph == iris.document_graph(e.document.id)
    assert (URIRef(doc.graph), ARCON.contentHash, Literal(doc.key)) in doc.triples
    assert values(doc, art, ARCON.url) == {Literal(e.document.url, datatype=XSD.anyURI)}
    assert values(doc, art, ARCON.contentHash) == {Literal(e.document.content_hash)}
    bribes = claim_of(doc, "bribes")
    [sentence] = values(doc, bribes, ARCON.sentence)
    assert values(doc, bribes, PROV.wasDerivedFrom) == {sentence, art}
    assert values(doc, bribes, ARCON.article) == {art}
    assert values(doc, sentence, ARCON.text) == {Literal(e.claims[1].sentence)}
    start = int(next(iter(values(doc, sentence, ARCON.startOffset))))
    end = int(next(iter(values(doc, sentence, ARCON.endOffset))))
    assert e.document.text[start:end] == e.claims[1].sentence
    assert values(doc, bribes, ARCON.status) == {STATUS.alleged}
    assert values(doc, bribes, ARCON.date) == {Literal("2013-05", datatype=XSD.gYearMonth)}
    assert values(doc, bribes, ARCON.place) == {URIRef(UCA)}
    assert values(doc, bribes, ARCON.confidence) == {Literal("0.75", datatype=XSD.decimal)}
    [run] = values(doc, bribes, PROV.wasGeneratedBy)
    assert (run, RDF.type, ARCON.ExtractionRun) in doc.triples


def test_harm_and_mechanism_come_from_the_relation_annotations(tbox):
    doc = map_extraction(article(1), tbox)
    assert values(doc, claim_of(doc, "bribes"), ARCON.mechanism) == {CORRUPTION.bribery}
    assert values(doc, claim_of(doc, "kills"), ARCON.harm) == {HARM.killing}
    assert values(doc, claim_of(doc, "operatesIn"), ARCON.harm) == set()


def test_direct_triples_except_for_denied_claims_and_unnamed_actors(tbox):
    e = article(1)
    doc = map_extraction(e, tbox)
    triples = set(doc.triples)
    subject, obj = (URIRef(e.claims[1].subject.iri), URIRef(e.claims[1].object.iri))
    assert (subject, ARCON.bribes, obj) in triples  # alleged: materialised
    chief, traffickers = URIRef(e.claims[2].subject.iri), URIRef(e.claims[2].object.iri)
    assert values(doc, claim_of(doc, "protects"), ARCON.status) == {STATUS.denied}
    assert (chief, ARCON.protects, traffickers) not in triples  # denied: claim only
    assert not any(s == URIRef(UNSPECIFIED) and p == ARCON.kills for s, p, o in triples)
    historical = replace(e, claims=(replace(e.claims[0], status="historical"),))
    assert (URIRef(SP), ARCON.operatesIn, URIRef(UCA)) in map_extraction(historical, tbox).triples


def test_a_document_graph_holds_mentions_not_entity_descriptions(tbox):
    e = article(1)
    doc = map_extraction(e, tbox)
    sp, art = URIRef(SP), URIRef(iris.document_iri(e.document.id))
    traffickers = URIRef(e.claims[1].subject.iri)
    # no rdf:type / rdfs:label / skos:altLabel of any entity: they live once, in the entities graph
    entities = {URIRef(m.iri) for m in e.entities} | {URIRef(UNSPECIFIED)}
    described = {t for t in doc.triples if t[0] in entities and t[1] != ARCON.mentionedIn}
    assert described and {p for _, p, _ in described} <= {ARCON[r] for r in tbox.relations}  # direct triples only
    assert values(doc, sp, ARCON.mentionedIn) == {art}
    mention = URIRef(iris.mention_iri(e.document.id, SP))
    assert values(doc, mention, RDF.type) == {ARCON.Mention}
    assert values(doc, mention, ARCON.mentionOf) == {sp}
    assert values(doc, mention, ARCON.inArticle) == {art}
    assert values(doc, mention, ARCON.mentionName) == {Literal("Shining Path", lang="en")}
    assert values(doc, mention, ARCON.mentionAlias) == {Literal("Sendero Luminoso", lang="en")}
    assert values(doc, mention, ARCON.mentionClass) == {ARCON.InsurgentGroup}
    assert [m.entity for m in doc.mentions] == sorted(str(x) for x in entities - {URIRef(UNSPECIFIED)})
    # the unspecified agent is no mention; the context (what the gate sees) describes it from the ontology
    assert values(doc, URIRef(UNSPECIFIED), ARCON.mentionedIn) == set()
    context = context_triples(doc.triples, tbox)
    assert (URIRef(UNSPECIFIED), RDF.type, ARCON.Agent) in context
    assert (sp, RDFS.label, Literal("Shining Path", lang="en")) in context  # curated: the reference label
    assert (sp, RDF.type, ARCON.InsurgentGroup) in context
    assert (traffickers, RDFS.label, Literal("Traffickers", lang="en")) in context  # minted: its name here
    assert (traffickers, RDF.type, ARCON.CriminalGroup) in context


def test_a_stored_graph_reads_back_as_the_same_document(tbox):
    doc = map_extraction(article(1), tbox)
    again = from_triples(doc.graph, reversed(doc.triples))
    assert (again.key, again.doc_id, again.triples, again.claims) == (doc.key, doc.doc_id, doc.triples, doc.claims)
    assert again.mentions == doc.mentions


SUPPORT = """
PREFIX arcon: <https://w3id.org/arcon/ontology#>
PREFIX status: <https://w3id.org/arcon/concept/status/>
SELECT ?subject ?object (COUNT(DISTINCT ?article) AS ?articles) (COUNT(DISTINCT ?publisher) AS ?publishers)
WHERE {
  ?subject arcon:bribes ?object .
  ?claim arcon:subject ?subject ; arcon:relation arcon:bribes ; arcon:object ?object ;
         arcon:article ?article ; arcon:status ?status .
  FILTER(?status != status:denied)
  OPTIONAL { ?article arcon:publisherName ?publisher }
}
GROUP BY ?subject ?object
"""


def test_a_query_counts_the_independent_articles_behind_a_direct_triple(tbox, tmp_path):
    store = EmbeddedStore(tmp_path / "store")
    graphs = {}
    for n, publisher in ((1, "Andean Wire"), (2, "Andean Wire"), (3, "La Voz")):
        e = article(n)
        e = replace(e, document=replace(e.document, publisher=publisher))
        doc = map_extraction(e, tbox)
        graphs[doc.graph] = doc.ntriples()
    # a fourth article denies the bribery: its claim does not count as support
    e = article(4)
    denial = replace(e, claims=(replace(e.claims[1], status="denied"),))
    doc = map_extraction(denial, tbox)
    graphs[doc.graph] = doc.ntriples()
    store.replace_graphs(graphs)
    [row] = list(store.query(SUPPORT).rows())
    assert (int(row["articles"]), int(row["publishers"])) == (3, 2)
    out = io.BytesIO()
    store.dump(out)
    assert b"/claim/" in out.getvalue()
    store.close()
