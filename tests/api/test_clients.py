"""Real clients against a live server: SPARQLWrapper, rdflib's SPARQLStore, pandas, kg.client."""

import io

import httpx
import pandas as pd
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from kg.client import QueryError, named, query
from tests.api.analyst_fixture import MDC, build_store
from tests.live_server import live_server

ARCON = "https://w3id.org/arcon/ontology#"


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    with live_server(build_store(tmp_path_factory.mktemp("clients"))) as url:
        yield url


def wrapper(api, q, fmt):
    sw = SPARQLWrapper(api + "sparql")
    sw.setQuery(q)
    sw.setReturnFormat(fmt)
    return sw.query().convert()


def test_sparqlwrapper_select_ask_construct(api):
    q = f"SELECT ?c WHERE {{ ?c <{ARCON}relation> <{ARCON}bribes> }}"
    assert len(wrapper(api, q, JSON)["results"]["bindings"]) == 3
    xml = wrapper(api, q, XML)
    assert len(xml.getElementsByTagName("result")) == 3
    csv_bytes = wrapper(api, q, CSV)
    assert csv_bytes.decode().splitlines()[0] == "c" and len(csv_bytes.decode().splitlines()) == 4
    assert wrapper(api, f"ASK {{ <{MDC}> ?p ?o }}", JSON)["boolean"] is True
    assert b"<boolean>true</boolean>" in wrapper(api, f"ASK {{ <{MDC}> ?p ?o }}", XML).toxml().encode()
    g = wrapper(api, f"CONSTRUCT {{ <{MDC}> ?p ?o }} WHERE {{ <{MDC}> ?p ?o }}", TURTLE)
    assert len(Graph().parse(data=g, format="turtle")) >= 3
    rdfxml = wrapper(api, f"CONSTRUCT {{ <{MDC}> ?p ?o }} WHERE {{ <{MDC}> ?p ?o }}", XML)
    assert len(rdfxml) >= 3  # SPARQLWrapper parses RDF/XML into an rdflib Graph


def test_rdflib_sparqlstore(api):
    g = Graph(store=SPARQLStore(api + "sparql", returnFormat="json"))
    labels = {str(o) for o in g.objects(URIRef(MDC), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert "Mafia de la Cocaína" in labels
    rows = list(g.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c <{ARCON}relation> ?r }}"))
    assert int(rows[0][0]) == 11


def test_pandas_reads_csv_results(api):
    r = httpx.get(api + "queries/corruption-ties", params={"country": "PE", "year": "2013", "format": "csv"})
    df = pd.read_csv(io.StringIO(r.text))
    assert list(df["articles"]) == [2, 1, 1]
    url = f"{api}queries/corruption-ties?country=PE&year=2013&format=csv"
    assert pd.read_csv(url)["actorLabel"].iloc[0] == "Mafia de la Cocaína"


def test_kg_client_types_the_columns(api):
    df = named(api, "corruption-ties", country="PE", year=2013)
    assert str(df["articles"].dtype) == "Int64" and list(df["articles"]) == [2, 1, 1]
    assert str(df["year"].dtype) == "Int64"
    assert str(df["actorLabel"].dtype) == "string"
    dated = query(api + "sparql", "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?a ?d ?c WHERE { ?a dcterms:issued ?d BIND(0.5 AS ?c) } ORDER BY ?d")
    assert pd.api.types.is_datetime64_any_dtype(dated["d"]) and dated["d"].iloc[0] == pd.Timestamp("2013-03-10")
    assert dated["c"].dtype == float
    with pytest.raises(QueryError, match="400: country"):
        named(api, "corruption-ties", country="Peru")
