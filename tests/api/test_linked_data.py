"""Every entity, claim and article IRI dereferences (303 policy); the ontology is served."""

import httpx
import pytest
from rdflib import Graph, URIRef

from tests.api.analyst_fixture import MDC, build_store
from tests.live_server import live_server

ARCON = "https://w3id.org/arcon/ontology#"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    root = tmp_path_factory.mktemp("ld")
    store = build_store(root)
    with live_server(store, env={"ARCON_ONTOLOGY_DIR": str(root / "ontology")}) as url:
        yield url


def test_303_to_html_or_data_by_accept(api):
    path = MDC.removeprefix("https://w3id.org/arcon/")
    html = httpx.get(api + path, headers={"Accept": "text/html"})
    assert html.status_code == 303 and html.headers["location"] == "/page/criminal-group/mafia-de-la-cocaina"
    ttl = httpx.get(api + path, headers={"Accept": "text/turtle"})
    assert ttl.status_code == 303 and ttl.headers["location"].endswith(".ttl")
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        r = httpx.get(api + path, headers={"Accept": accept}, follow_redirects=True)
        assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
        g = Graph().parse(data=r.content, format=fmt)
        assert (URIRef(MDC), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None) in g


def test_entity_page_shows_label_type_aliases_and_claims_with_evidence(api):
    r = httpx.get(api + "id/criminal-group/mafia-de-la-cocaina", follow_redirects=True)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<h1>Mafia de la Cocaína</h1>" in page
    assert "arcon:DrugTraffickingOrganization" in page
    assert "Relations from Mafia de la Cocaína" in page and "Relations to Mafia de la Cocaína" in page
    assert "“Mafia de la Cocaína paid officers of the National Police of Peru in Ucayali.”" in page
    assert 'href="https://news.example/2013/03/ucayali-bribes"' in page  # the article link
    assert 'href="/id/state-institution/national-police-of-peru"' in page  # the other party, dereferenceable here


def test_claim_and_article_iris_dereference(api):
    claims = httpx.get(api + "sparql", params={"query": f"SELECT ?c ?a {{ ?c <{ARCON}article> ?a }} LIMIT 1"}).json()
    row = claims["results"]["bindings"][0]
    for iri in (row["c"]["value"], row["a"]["value"]):
        r = httpx.get(api + iri.removeprefix("https://w3id.org/arcon/"), follow_redirects=True)
        assert r.status_code == 200, iri
    article_page = httpx.get(api + row["a"]["value"].removeprefix("https://w3id.org/arcon/"), follow_redirects=True).text
    assert "dcterms:title" in article_page


def test_unknown_iri_is_404(api):
    assert httpx.get(api + "id/criminal-group/nobody", follow_redirects=True).status_code == 404
    assert httpx.get(api + "data/criminal-group/nobody.ttl").status_code == 404


def test_ontology_in_turtle_rdfxml_and_html(api):
    ttl = httpx.get(api + "ontology", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=ttl.text, format="turtle")
    assert (URIRef(ARCON + "Claim"), None, None) in g
    xml = httpx.get(api + "ontology", headers={"Accept": "application/rdf+xml"})
    assert len(Graph().parse(data=xml.content, format="xml")) == len(g)
    html = httpx.get(api + "ontology", headers={"Accept": "text/html"}).text
    assert 'id="Claim"' in html and "arcon:bribes" in html
