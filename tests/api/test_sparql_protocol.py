"""The SPARQL 1.1 Protocol on a live server: methods, formats, errors, auth."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph, URIRef

from tests.api.conftest import G1, G2, TOKEN

SELECT = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s"


def test_get_post_form_and_post_direct_give_the_same_rows(server):
    get = httpx.get(server + "sparql", params={"query": SELECT})
    form = httpx.post(server + "sparql", data={"query": SELECT})
    direct = httpx.post(server + "sparql", content=SELECT, headers={"Content-Type": "application/sparql-query"})
    for r in (get, form, direct):
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/sparql-results+json"
    rows = get.json()["results"]["bindings"]
    assert [(b["s"]["value"], b["o"]["value"]) for b in rows] == [
        ("http://example.org/a", "x"),
        ("http://example.org/b", "http://example.org/a"),
    ]
    assert form.json() == get.json() == direct.json()


def test_union_default_graph_and_protocol_dataset(server):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    n = lambda r: int(r.json()["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert n(httpx.get(server + "sparql", params={"query": q})) == 3
    assert n(httpx.get(server + "sparql", params={"query": q, "default-graph-uri": G2})) == 1
    named = httpx.get(
        server + "sparql",
        params={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": G1},
    )
    assert {b["g"]["value"] for b in named.json()["results"]["bindings"]} == {G1}


def test_from_clause_is_honoured_with_union_default(server):
    r = httpx.get(server + "sparql", params={"query": f"SELECT (COUNT(*) AS ?n) FROM <{G2}> WHERE {{ ?s ?p ?o }}"})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/html;q=0.9, text/csv;q=0.5, */*;q=0.1", "text/csv; charset=utf-8"),
        ("application/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("text/*;q=0.2, application/sparql-results+xml;q=0.8", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
    ],
)
def test_select_content_negotiation(server, accept, expected):
    r = httpx.get(server + "sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"] == expected
    assert "Accept" in r.headers["vary"]


def test_select_bodies_in_each_format(server):
    xml = httpx.get(server + "sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"})
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert len(ET.fromstring(xml.content).findall(".//r:result", ns)) == 2
    rows = list(csv.DictReader(io.StringIO(httpx.get(server + "sparql", params={"query": SELECT, "format": "csv"}).text)))
    assert rows[0] == {"s": "http://example.org/a", "o": "x"}
    tsv = httpx.get(server + "sparql", params={"query": SELECT, "format": "tsv"}).text.splitlines()
    assert tsv[0] == "?s\t?o" and tsv[1] == '<http://example.org/a>\t"x"'


def test_ask_answers(server):
    r = httpx.post(server + "sparql", data={"query": "ASK { ?s <http://example.org/q> 1 }"})
    assert r.json() == {"head": {}, "boolean": True}
    r = httpx.get(server + "sparql", params={"query": "ASK { ?s ?p 42 }"}, headers={"Accept": "application/sparql-results+xml"})
    assert b"<boolean>false</boolean>" in r.content


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
    ],
)
def test_construct_in_every_rdf_format(server, accept, rdflib_format):
    q = "CONSTRUCT { ?s <http://example.org/p> ?o } WHERE { ?s <http://example.org/p> ?o }"
    r = httpx.get(server + "sparql", params={"query": q}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(accept)
    g = Graph()
    g.parse(data=r.content, format=rdflib_format)
    assert len(g) == 2


def test_describe_defaults_to_turtle(server):
    r = httpx.get(server + "sparql", params={"query": "DESCRIBE <http://example.org/a>"})
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    assert len(Graph().parse(data=r.text, format="turtle")) == 2


def test_format_parameter_overrides_accept(server):
    r = httpx.get(server + "sparql", params={"query": SELECT, "format": "tsv"}, headers={"Accept": "application/sparql-results+json"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")


def test_406_when_nothing_fits(server):
    r = httpx.get(server + "sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.text
    r = httpx.get(server + "sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert r.status_code == 406
    r = httpx.get(server + "sparql", params={"query": SELECT, "format": "turtle"})
    assert r.status_code == 406


def test_malformed_query_is_400_with_line_and_column(server):
    r = httpx.get(server + "sparql", params={"query": "SELECT ?s\nWHERE { ?s ?p }"})
    assert r.status_code == 400
    assert "malformed SPARQL" in r.text
    assert "2:" in r.text  # the error is on line 2


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "message"),
    [
        ("PUT", {"params": {"query": "ASK {}"}}, 405, "use GET or POST"),
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "exactly one"),
        ("POST", {"content": "ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "text/plain"),
        ("POST", {"content": "ASK {}"}, 415, "needs a Content-Type"),
        (
            "POST",
            {"content": "ASK {}".encode("utf-16"), "headers": {"Content-Type": "application/sparql-query; charset=UTF-16"}},
            415,
            "UTF-8",
        ),
        ("POST", {"content": b"ASK { \xff }", "headers": {"Content-Type": "application/sparql-query"}}, 400, "UTF-8"),
        ("POST", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}, 400, "not both"),
        ("GET", {"params": {"update": "CLEAR ALL"}}, 400, "POST"),
        ("GET", {"params": {"query": "ASK {}", "default-graph-uri": "not an iri"}}, 400, "absolute IRI"),
    ],
)
def test_protocol_errors(server, method, kwargs, status, message):
    r = httpx.request(method, server + "sparql", **kwargs)
    assert r.status_code == status, r.text
    assert message in r.text


def test_updates_are_refused_without_a_configured_token(server):
    for kwargs in (
        {"data": {"update": "CLEAR ALL"}},
        {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
    ):
        for path in ("sparql", "update"):
            r = httpx.post(server + path, **kwargs)
            assert r.status_code == 403
            assert "read-only" in r.text
    count = httpx.get(server + "sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert count.json()["results"]["bindings"][0]["n"]["value"] == "3"


def test_updates_need_the_right_token(rw_server):
    insert = "INSERT DATA { GRAPH <http://example.org/g/3> { <http://example.org/c> <http://example.org/p> 'new' } }"
    assert httpx.post(rw_server + "update", data={"update": insert}).status_code == 401
    wrong = httpx.post(rw_server + "update", data={"update": insert}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "not valid" in wrong.text
    ok = httpx.post(rw_server + "update", data={"update": insert}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 204, ok.text
    ask = httpx.get(rw_server + "sparql", params={"query": "ASK { <http://example.org/c> ?p 'new' }"})
    assert ask.json()["boolean"] is True


def test_update_syntax_error_is_400_and_changes_nothing(rw_server):
    r = httpx.post(
        rw_server + "sparql",
        content="INSERT DATA { <http://x> <http://y> }",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 400 and "1:" in r.text


def test_update_with_protocol_dataset(rw_server):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    update = "INSERT { GRAPH <http://example.org/out> { ?s a <http://example.org/Seen> } } WHERE { ?s <http://example.org/q> ?o }"
    r = httpx.post(
        rw_server + "sparql",
        params={"using-graph-uri": G1},
        content=update,
        headers={"Content-Type": "application/sparql-update", **auth},
    )
    assert r.status_code == 204, r.text
    ask = httpx.get(rw_server + "sparql", params={"query": "ASK { GRAPH <http://example.org/out> { <http://example.org/a> a <http://example.org/Seen> } }"})
    assert ask.json()["boolean"] is True
    conflict = httpx.post(
        rw_server + "sparql",
        params={"using-graph-uri": G1},
        content=f"WITH <{G2}> " + update.replace("GRAPH <http://example.org/out>", ""),
        headers={"Content-Type": "application/sparql-update", **auth},
    )
    assert conflict.status_code == 400 and "USING/WITH" in conflict.text


def test_body_over_the_limit_is_413(server):
    r = httpx.post(server + "sparql", content=b"#" * (17 * 1024 * 1024), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413
    assert "limit" in r.text


def test_service_description_and_void(server):
    sd = httpx.get(server + "sparql", headers={"Accept": "application/rdf+xml"})
    assert sd.headers["content-type"] == "application/rdf+xml"
    g = Graph().parse(data=sd.text, format="xml")
    endpoints = set(g.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#endpoint")))
    assert endpoints == {URIRef(server + "sparql")}
    void = Graph().parse(data=httpx.get(server + ".well-known/void").text, format="turtle")
    q = "SELECT ?t ?d WHERE { ?ds <http://rdfs.org/ns/void#triples> ?t ; <http://rdfs.org/ns/void#documents> ?d }"
    (row,) = list(void.query(q))
    assert (int(row.t), int(row.d)) == (3, 2)


def test_cors_on_get_by_default(server):
    r = httpx.get(server + "sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.net"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = httpx.options(
        server + "sparql", headers={"Origin": "https://example.net", "Access-Control-Request-Method": "POST"}
    )
    assert pre.status_code == 400  # POST is not allowed cross-origin by default


def test_gzip_for_large_results(server):
    q = "SELECT ?i WHERE { VALUES ?x { 1 2 3 4 5 6 7 8 9 10 } VALUES ?y { 1 2 3 4 5 6 7 8 9 10 } BIND(?x * ?y AS ?i) }"
    r = httpx.get(server + "sparql", params={"query": q}, headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert len(json.loads(r.content)["results"]["bindings"]) == 100
