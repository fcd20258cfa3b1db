"""Graph Store HTTP Protocol beyond the W3C tests: auth, bad uploads, the union default."""

import httpx

from tests.api.conftest import G1, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TTL = {"Content-Type": "text/turtle"}


def test_reads_are_open_and_writes_refused_without_token(server):
    r = httpx.get(server + "rdf-graphs", params={"graph": G1}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200 and r.text.count(" .") == 2
    put = httpx.put(server + "rdf-graphs", params={"graph": G1}, content=b"<http://a> <http://b> <http://c> .", headers=TTL)
    assert put.status_code == 403
    assert httpx.delete(server + "rdf-graphs", params={"graph": G1}).status_code == 403
    assert httpx.get(server + "rdf-graphs", params={"graph": G1}).text.count("example.org/a") >= 1


def test_malformed_upload_is_400_and_the_graph_is_kept(rw_server):
    before = httpx.get(rw_server + "rdf-graphs", params={"graph": G1}, headers={"Accept": "application/n-triples"}).text
    r = httpx.put(rw_server + "rdf-graphs", params={"graph": G1}, content=b"<http://a> <http://b> .", headers={**TTL, **AUTH})
    assert r.status_code == 400 and "malformed RDF" in r.text and "line 1 column 23" in r.text
    after = httpx.get(rw_server + "rdf-graphs", params={"graph": G1}, headers={"Accept": "application/n-triples"}).text
    assert sorted(after.splitlines()) == sorted(before.splitlines())


def test_unsupported_upload_type_is_415(rw_server):
    r = httpx.post(rw_server + "rdf-graphs", params={"graph": G1}, content=b"x", headers={"Content-Type": "image/png", **AUTH})
    assert r.status_code == 415


def test_identification_errors(server):
    assert httpx.get(server + "rdf-graphs").status_code == 400
    assert httpx.get(server + "rdf-graphs", params={"graph": "no iri"}).status_code == 400
    r = httpx.get(server + "rdf-graphs?default&graph=http%3A%2F%2Fx")
    assert r.status_code == 400 and "not both" in r.text
    assert httpx.get(server + "rdf-graphs", params={"graph": "http://example.org/none"}).status_code == 404


def test_injection_through_the_graph_iri_is_refused(rw_server):
    evil = "http://x> } ; DROP ALL ; INSERT DATA { GRAPH <http://y"
    r = httpx.put(rw_server + "rdf-graphs", params={"graph": evil}, content=b"", headers={**TTL, **AUTH})
    assert r.status_code == 400
    assert httpx.get(rw_server + "rdf-graphs", params={"graph": G1}).status_code == 200
