"""Each entity is described once: mentions per article, one derived description in the entities graph.

The description is a function of the stored mentions only, so it does not
depend on the order of ingests, survives re-ingest and deletion of articles,
and a bulk first build and a sequence of transactional updates agree on it.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import replace

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph_fixtures import SP, article, write_corpus
from kg.cli import cli
from kg.ingest.entities import EntityIndex, delete_documents, stored_entities, write_documents
from kg.namespaces import ARCON
from kg.rdf import iris
from kg.rdf.entities import Facts, Mention, describe
from kg.rdf.mapping import map_extraction
from kg.store.embedded import EmbeddedStore
from kg.validate.gate import load_gate
from kg.validate.store_check import check_store

TRAFFICKERS = iris.entity_iri("CriminalGroup", "traffickers")
OFFICERS = iris.entity_iri("PublicOfficial", "police officers")
MEXICAN = iris.entity_iri("CriminalGroup", "Mexican cartel")
PREFIXES = "PREFIX arcon: <https://w3id.org/arcon/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def facts(names: dict, aliases=(), classes=()) -> Facts:
    return Facts(names=Counter(names), aliases=Counter(aliases), classes=Counter(classes))


# -- the description, as a pure function of the facts ----------------------------------------
def test_the_label_is_the_name_most_articles_give_the_others_are_alt_labels(tbox):
    got = describe(TRAFFICKERS, facts({en("the traffickers"): 2, en("Traffickers"): 5}, [en("narcos")],
                                      [str(ARCON.CriminalGroup)]), tbox)
    node = URIRef(TRAFFICKERS)
    assert got == {
        (node, RDF.type, ARCON.CriminalGroup),
        (node, RDFS.label, en("Traffickers")),
        (node, SKOS.altLabel, en("the traffickers")),
        (node, SKOS.altLabel, en("narcos")),
    }


def test_ties_go_to_an_english_name_then_the_smallest(tbox):
    node = URIRef(TRAFFICKERS)
    spanish = Literal("Los Narcos", lang="es")
    label = {o for s, p, o in describe(TRAFFICKERS, facts({spanish: 3, en("Narcos"): 3, en("Drug lords"): 3}), tbox)
             if p == RDFS.label}
    assert label == {en("Drug lords")}
    assert {o for s, p, o in describe(TRAFFICKERS, facts({spanish: 4, en("Narcos"): 3}), tbox)
            if p == RDFS.label} == {spanish}  # more articles win over the language
    assert len([t for t in describe(TRAFFICKERS, facts({spanish: 3, en("Narcos"): 3}), tbox) if t[1] == RDFS.label]) == 1
    assert (node, SKOS.altLabel, spanish) in describe(TRAFFICKERS, facts({spanish: 3, en("Narcos"): 3}), tbox)


def test_types_are_the_most_specific_classes_articles_gave(tbox):
    classes = [str(ARCON.CriminalGroup), str(ARCON.Clan), str(ARCON.Agent), str(ARCON.DrugTraffickingOrganization)]
    got = {o for s, p, o in describe(TRAFFICKERS, facts({en("x"): 1}, classes=classes), tbox) if p == RDF.type}
    assert got == {ARCON.Clan, ARCON.DrugTraffickingOrganization}  # CriminalGroup and Agent follow by subClassOf*


def test_curated_and_unmentioned_entities_get_no_description(tbox):
    assert describe(SP, facts({en("Sendero"): 9}, classes=[str(ARCON.CriminalGroup)]), tbox) == set()
    assert describe(TRAFFICKERS, None, tbox) == set()
    assert describe(TRAFFICKERS, Facts(), tbox) == set()


# -- in a store ----------------------------------------------------------------------------
def renamed(n: int, traffickers: str):
    """Article n, calling the traffickers by another name."""
    e = article(n)
    entities = tuple(replace(m, label=traffickers) if m.iri == TRAFFICKERS else m for m in e.entities)
    return replace(e, entities=entities)


def dump(store: EmbeddedStore) -> list[bytes]:
    out = io.BytesIO()
    store.dump(out, "application/n-quads")
    return sorted(line for line in out.getvalue().splitlines() if line.strip())


def rows(store, sparql: str) -> list[tuple]:
    result = store.query(PREFIXES + sparql)
    return sorted(tuple(str(r.get(v, "")) for v in result.variables) for r in result.rows())


def test_a_join_on_type_and_label_gives_one_row_per_entity_however_many_articles(tmp_path, tbox):
    store = EmbeddedStore(tmp_path / "store")
    write_documents(store, [map_extraction(article(n), tbox) for n in range(1, 9)], tbox)
    got = rows(store, f"SELECT ?class ?label WHERE {{ <{TRAFFICKERS}> a ?class ; rdfs:label ?label }}")
    assert got == [(str(ARCON.CriminalGroup), "Traffickers")]
    [(count,)] = rows(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ <{TRAFFICKERS}> a ?class ; rdfs:label ?label ; "
                             "arcon:mentionedIn ?a }")
    assert count == "8"  # one row per article that mentions it, not 8 x 8
    articles = rows(store, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ <{TRAFFICKERS}> arcon:mentionedIn ?a }}")
    assert articles == [("8",)]
    # the Shining Path keeps its curated description, in the reference data only
    assert not [t for t in stored_entities(store) if str(t[0]) == SP]
    store.close()


def test_the_entities_graph_does_not_depend_on_the_order_of_ingests(tmp_path, tbox):
    docs = [map_extraction(renamed(n, name), tbox)
            for n, name in ((1, "Traffickers"), (2, "the narcos"), (3, "the narcos"), (4, "Traffickers"),
                            (5, "the narcos"))]
    dumps = []
    for name, order in (("forward", docs), ("backward", docs[::-1]), ("one by one", None), ("one run", None)):
        store = EmbeddedStore(tmp_path / name)
        if name == "one by one":
            for doc in (docs[2], docs[0], docs[4], docs[1], docs[3]):
                write_documents(store, [doc], tbox)
        elif name == "one run":  # one index across batches, as an ingest run keeps it, with a rewrite in between
            run = EntityIndex(tbox)
            run.write(store, [docs[1], map_extraction(renamed(3, "Traffickers"), tbox)])
            run.write(store, [docs[4], docs[2]])  # article 3 changes its name for them back
            run.write(store, [docs[0], docs[3]])
        else:
            write_documents(store, order[:2], tbox)
            write_documents(store, order[2:], tbox)
        dumps.append(dump(store))
        store.close()
    assert dumps[0] == dumps[1] == dumps[2] == dumps[3]
    label = [line for line in dumps[0] if TRAFFICKERS.encode() in line and b"rdf-schema#label" in line]
    assert len(label) == 1 and b'"the narcos"@en' in label[0]  # three articles out of five


def test_re_ingest_and_delete_keep_the_descriptions_in_step(tmp_path, tbox):
    store = EmbeddedStore(tmp_path / "store")
    gate = load_gate(tbox)
    first, second = map_extraction(article(1), tbox), map_extraction(renamed(2, "the narcos"), tbox)
    write_documents(store, [first, second], tbox)

    def label(iri):
        return rows(store, f"SELECT ?l WHERE {{ GRAPH <{iris.entities_graph()}> {{ <{iri}> rdfs:label ?l }} }}")

    assert label(TRAFFICKERS) == [("Traffickers",)]  # 1:1, the smaller name
    # article 1 changes: it no longer names the Mexican cartel, and calls the traffickers "the narcos" too
    changed = renamed(1, "the narcos")
    changed = replace(changed, entities=tuple(m for m in changed.entities if m.iri != MEXICAN),
                      claims=changed.claims[:4])
    write_documents(store, [map_extraction(changed, tbox)], tbox)
    assert label(TRAFFICKERS) == [("the narcos",)]
    assert label(MEXICAN) == [("Mexican cartel",)]  # article 2 still names it
    assert check_store(gate, store, tbox) == []

    before = {g for g in store.graphs()}
    assert delete_documents(store, [second.graph], tbox) == [second.graph]
    assert set(store.graphs()) == before - {second.graph}
    assert label(MEXICAN) == []  # no article mentions it any more
    assert rows(store, f"SELECT ?p ?o WHERE {{ <{MEXICAN}> ?p ?o }}") == []
    assert label(TRAFFICKERS) == [("the narcos",)]
    # deleting removes exactly that article's claims
    assert rows(store, "SELECT DISTINCT ?a WHERE { ?c a arcon:Claim ; arcon:article ?a }") == [
        (iris.document_iri(article(1).document.id),)]
    assert check_store(gate, store, tbox) == []
    assert delete_documents(store, [second.graph], tbox) == []
    store.close()


def test_arcon_store_delete_updates_the_entities_graph(tmp_path, ontology_env, tbox):
    write_corpus(tmp_path / "corpus", 2)
    store = str(tmp_path / "store")
    built = CliRunner().invoke(cli, ["ingest", str(tmp_path / "corpus" / "articles.jsonl"), "--extractions",
                                     str(tmp_path / "corpus" / "extractions.jsonl"), "--store", store])
    assert built.exit_code == 0, built.output
    for n in (1, 2):
        result = CliRunner().invoke(cli, ["store", "delete", article(n).document.id, "--store", store])
        assert result.exit_code == 0, result.output
    s = EmbeddedStore(store)
    assert not s.has_graph(iris.entities_graph())  # nothing is mentioned any more
    assert sorted(s.graphs()) == sorted([iris.ontology_graph(), iris.reference_graph()])
    s.close()


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_mention_keeps_the_articles_language(tbox, language):
    e = article(1)
    e = replace(e, document=replace(e.document, language=language))
    [mention] = [m for m in map_extraction(e, tbox).mentions if m.entity == TRAFFICKERS]
    assert mention == Mention(TRAFFICKERS, Literal("Traffickers", lang=language), frozenset(),
                              frozenset({str(ARCON.CriminalGroup)}))


def test_an_entity_the_reference_data_takes_in_loses_its_minted_description(tmp_path, tbox):
    """An ontology edit makes the traffickers a curated individual: the next write removes their description."""
    from rdflib import Graph

    from kg.rdf.tbox import build_tbox

    store = EmbeddedStore(tmp_path / "store")
    docs = [map_extraction(article(n), tbox) for n in (1, 2)]
    write_documents(store, docs, tbox)
    assert [t for t in stored_entities(store) if str(t[0]) == TRAFFICKERS]
    ontology, reference = Graph(), Graph()
    ontology.parse(data=tbox.ontology_nt, format="nt")
    reference.parse(data=tbox.reference_nt, format="nt")
    reference.add((URIRef(TRAFFICKERS), RDF.type, ARCON.CriminalNetwork))
    reference.add((URIRef(TRAFFICKERS), RDFS.label, en("The Traffickers")))
    edited = build_tbox(ontology, reference, "edited")
    write_documents(store, [map_extraction(article(1), edited)], edited)
    assert not [t for t in stored_entities(store) if str(t[0]) == TRAFFICKERS]
    assert [t for t in stored_entities(store) if str(t[0]) == OFFICERS]  # the others keep theirs
    store.close()
