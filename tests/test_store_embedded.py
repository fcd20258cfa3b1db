"""The embedded pyoxigraph store behind the Store protocol, on a real folder on disk."""

import io

import pytest
from rdflib import Literal, URIRef

from kg.store.base import Dataset, QuerySyntaxError, Store
from kg.store.embedded import EmbeddedStore

G1, G2 = "http://example.org/g/1", "http://example.org/g/2"


@pytest.fixture()
def store(tmp_path):
    s = EmbeddedStore(tmp_path / "store")
    s.replace_graph(G1, rb'<http://a> <http://p> "x\ny\"q\u00e9" .' + b"\n<http://a> <http://p> <http://b> .")
    s.replace_graph(G2, b"<http://a> <http://p> <http://c> .")
    yield s
    s.close()


def test_is_a_store(store):
    assert isinstance(store, Store)


def test_union_default_graph_and_explicit_default_graph(store):
    assert len(list(store.query("SELECT * { ?s ?p ?o }").rows())) == 3
    rows = list(store.query("SELECT ?o { ?s ?p ?o }", Dataset(default_graphs=(G2,))).rows())
    assert rows == [{"o": URIRef("http://c")}]


def test_replace_graph_replaces_exactly_that_graph(store):
    store.replace_graph(G1, b'<http://a> <http://p> "new" .')
    rows = {r["o"] for r in store.query("SELECT ?o { ?s ?p ?o }").rows()}
    assert rows == {Literal("new"), URIRef("http://c")}


def test_malformed_data_is_rejected_and_the_graph_is_kept(store):
    with pytest.raises(QuerySyntaxError, match="line 1"):
        store.replace_graph(G1, b"<http://a> <http://p> .")
    assert store.stats().quads == 3


def test_bindings_are_bound_not_spliced(store):
    rows = list(store.query("SELECT ?s ?o { ?s <http://p> ?o }", bindings={"s": URIRef("http://a")}).rows())
    assert len(rows) == 3
    evil = Literal('x" } ; DROP ALL ; SELECT * { "')
    assert list(store.query("SELECT ?s ?o { ?s <http://p> ?o }", bindings={"s": evil}).rows()) == []
    assert store.stats().quads == 3


def test_results_serialise_in_protocol_formats(store):
    out = io.BytesIO()
    store.query("SELECT ?o { ?s ?p ?o } ORDER BY ?o", Dataset(default_graphs=(G2,))).write(out, "text/csv")
    assert out.getvalue() == b"o\r\nhttp://c\r\n"
    out = io.BytesIO()
    store.query("CONSTRUCT WHERE { ?s ?p ?o }", Dataset(default_graphs=(G2,))).write(out, "application/n-triples")
    assert out.getvalue().strip() == b"<http://a> <http://p> <http://c> ."


def test_query_forms(store):
    assert store.query("ASK { ?s ?p ?o }").form == "ASK"
    assert store.query("# SELECT in a comment\nDESCRIBE <http://a>").form == "DESCRIBE"
    assert store.query("CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"


def test_syntax_error_carries_position(store):
    with pytest.raises(QuerySyntaxError, match=r"1:\d+"):
        store.query("SELECT ?x WHERE { ?x ")


def test_data_survives_reopen(tmp_path):
    s = EmbeddedStore(tmp_path / "s")
    s.replace_graph(G1, b"<http://a> <http://p> <http://b> .")
    s.close()
    again = EmbeddedStore(tmp_path / "s")
    assert again.graphs() == [G1]
    assert again.delete_graph(G1) is True
    assert again.delete_graph(G1) is False


def test_replace_graphs_writes_a_batch_atomically(tmp_path):
    s = EmbeddedStore(tmp_path / "s")
    s.replace_graphs({G1: b'<http://a> <http://p> "x ." .\n# comment\n', G2: b"<http://a> <http://p> <http://c> . # c\n"})
    assert s.graphs() == [G1, G2]
    assert {str(r["g"]) for r in s.query("SELECT ?g { GRAPH ?g { ?s ?p ?o } }").rows()} == {G1, G2}
    assert s.query("ASK { GRAPH <urn:x-arq:DefaultGraph> { ?s ?p ?o } }").boolean() is False
    assert list(s.query("SELECT * { ?s ?p ?o }", Dataset(union_default=False)).rows()) == []
    # one bad graph in a batch: nothing of the batch is written, the old graphs stay
    with pytest.raises(QuerySyntaxError):
        s.replace_graphs({G1: b"<http://a> <http://p> <http://new> .\n", "http://example.org/g/3": b"<http://a> <http://p> ."})
    assert s.graphs() == [G1, G2]
    assert {str(r["o"]) for r in s.query(f"SELECT ?o {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}").rows()} == {"x ."}
    # replacing an existing graph in a batch replaces exactly it
    s.replace_graphs({G1: b"<http://a> <http://p> <http://new> .\n"})
    assert {str(r["o"]) for r in s.query(f"SELECT ?o {{ GRAPH <{G1}> {{ ?s ?p ?o }} }}").rows()} == {"http://new"}
    assert s.stats().quads == 2
    s.close()


def test_a_batch_of_new_graphs_with_one_malformed_writes_nothing(tmp_path):
    s = EmbeddedStore(tmp_path / "s")
    with pytest.raises(QuerySyntaxError):
        s.replace_graphs({G1: b"<http://a> <http://p> <http://b> .\n", G2: b"<http://a> <http://p> <http://c .\n"})
    assert s.graphs() == [] and s.stats().quads == 0
    s.close()


TRICKY = [
    (URIRef("http://a"), URIRef("http://p"), Literal('ends with a dot .\nand "quotes" .\r\n . \\ on a new line')),
    (URIRef("http://a"), URIRef("http://p"), Literal("dos, con acento", lang="es")),
]


@pytest.mark.parametrize("how", ["replace_graphs", "rebuild"])
def test_literals_with_line_breaks_and_dots_survive_both_write_paths(tmp_path, how):
    from kg.rdf.ntriples import ntriples

    s = EmbeddedStore(tmp_path / "store")
    data = ntriples(TRICKY)
    s.replace_graphs({G1: data}) if how == "replace_graphs" else s.rebuild([{G1: data}])
    got = {(r["s"], r["p"], r["o"]) for r in s.query("SELECT ?s ?p ?o { GRAPH <%s> { ?s ?p ?o } }" % G1).rows()}
    s.close()
    assert got == set(TRICKY)


def test_rebuild_replaces_the_whole_store_and_leaves_no_sibling_folders(tmp_path, store):
    store.rebuild([{G2: b"<http://a> <http://p> <http://d> ."}, {"http://example.org/g/3": b'<http://x> <http://p> "1" .'}])
    assert store.graphs() == [G2, "http://example.org/g/3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store.lock"]


def test_a_store_failure_during_rebuild_leaves_the_store_as_it_was(tmp_path, store):
    with pytest.raises(QuerySyntaxError, match=f"graph <{G1}>: .*line 1"):
        store.rebuild([{G2: b"<http://a> <http://p> <http://d> ."}, {G1: b"<http://a> <http://p> oops ."}])
    assert store.graphs() == [G1, G2]
    assert len(list(store.query("SELECT * { ?s ?p ?o }").rows())) == 3
    assert not (tmp_path / "store.new").exists()
