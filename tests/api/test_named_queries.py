"""Named queries on the analyst fixture corpus: expected rows, formats, safe binding, CLI."""

import csv
import io

import httpx
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.query.named import NamedQueryError, load_all, parse
from tests.api.analyst_fixture import MDC, NPP, build_store
from tests.live_server import live_server

ID = "https://w3id.org/arcon/id/"
CONCEPT = "https://w3id.org/arcon/concept/"
ARCON = "https://w3id.org/arcon/ontology#"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("analyst"))


@pytest.fixture(scope="module")
def api(corpus):
    with live_server(corpus) as url:
        yield url


def rows(api, name, **params):
    r = httpx.get(f"{api}queries/{name}", params=params, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def pick(table, *columns):
    return [tuple(row.get(c) for c in columns) for row in table]


def test_corruption_ties(api):
    got = rows(api, "corruption-ties", country="PE", year="2013")
    assert pick(got, "actorLabel", "mechanism", "targetLabel", "articles") == [
        ("Mafia de la Cocaína", CONCEPT + "corruption/bribery", "National Police of Peru", "2"),
        ("mayor of Tocache", CONCEPT + "corruption/collusion", "Mafia de la Cocaína", "1"),
        ("police officers", CONCEPT + "corruption/protection", "Mafia de la Cocaína", "1"),  # the denial is left out
    ]
    assert {r["country"] for r in got} == {"PE"} and {r["year"] for r in got} == {"2013"}


def test_the_year_filters_by_publication_year(api):
    got = rows(api, "corruption-ties", country="PE", year="2014")
    assert pick(got, "actor", "target", "articles") == [(MDC, NPP, "1")]
    assert rows(api, "corruption-ties", country="MX", year="2013") == []
    by_year = rows(api, "coopted-institutions", country="PE")  # year left out: one row per year
    assert pick(by_year, "year", "institutionLabel", "articles") == [
        ("2013", "National Police of Peru", "2"),
        ("2014", "National Police of Peru", "1"),
    ]


def test_coopted_institutions(api):
    got = rows(api, "coopted-institutions", country="PE", year="2013")
    assert pick(got, "institution", "articles", "actors", "mechanisms") == [(NPP, "2", "1", "bribery")]


def test_criminal_groups_by_region_and_market(api):
    got = rows(api, "criminal-groups", country="PE", year="2013")
    assert pick(got, "group", "placeLabel", "market", "articles") == [
        (MDC, "Ucayali", CONCEPT + "market/cocaine-trafficking", "1"),
        (ID + "criminal-group/shining-path", "San Martín", CONCEPT + "market/coca-cultivation", "1"),
    ]


def test_protection(api):
    got = rows(api, "protection", country="PE", year="2013")
    assert pick(got, "protectorLabel", "protectedLabel", "placeLabel", "articles") == [
        ("police officers", "Mafia de la Cocaína", "Ucayali", "1")
    ]


def test_international_links(api):
    got = rows(api, "international-links", country="PE", year="2013")
    assert pick(got, "foreignLabel", "home", "relation", "localLabel") == [
        ("Sinaloa Cartel", "MX", ARCON + "cooperatesWith", "Mafia de la Cocaína")
    ]


def test_harms(api):
    got = rows(api, "harms", country="PE", year="2013")
    assert pick(got, "harm", "victimClass", "placeLabel", "claims") == [
        (CONCEPT + "harm/displacement", ARCON + "IndigenousCommunity", "San Martín", "1"),
        (CONCEPT + "harm/killing", ARCON + "Farmers", "VRAEM", "1"),
    ]


def test_supply_chain(api):
    got = rows(api, "supply-chain", country="PE", year="2013")
    assert pick(got, "chain", "placeLabel", "stage", "groups") == [
        (CONCEPT + "market/cocaine-trade", "San Martín", CONCEPT + "market/coca-cultivation", "1"),
        (CONCEPT + "market/cocaine-trade", "Ucayali", CONCEPT + "market/cocaine-trafficking", "1"),
    ]


def test_timeline(api):
    got = rows(api, "timeline", country="PE", year="2013")
    months = {}
    for r in got:
        months[r["month"]] = months.get(r["month"], 0) + int(r["claims"])
    assert months == {"2013-03": 4, "2013-07": 6}


def test_neighbourhood_and_evidence(api):
    got = rows(api, "neighbourhood", actor=MDC, year="2013")
    assert ("out", ARCON + "bribes", NPP, "2", "0") in pick(got, "direction", "relation", "other", "claims", "denied")
    assert ("in", ARCON + "protects", ID + "public-official/police-officers", "2", "2") in pick(
        got, "direction", "relation", "other", "claims", "denied"
    )
    claim = next(r for r in rows(api, "neighbourhood", actor=MDC) if r["relation"] == ARCON + "colludesWith")
    assert claim["otherLabel"] == "mayor of Tocache"
    ties = httpx.get(
        api + "sparql",
        params={"query": f"SELECT ?c {{ ?c <{ARCON}relation> <{ARCON}colludesWith> }}"},
    ).json()["results"]["bindings"]
    (evidence,) = rows(api, "evidence", claim=ties[0]["c"]["value"])
    assert evidence["sentence"] == "The mayor of Tocache colluded with the Mafia de la Cocaína in San Martín."
    assert evidence["url"] == "https://news.example/2013/07/san-martin-mayor"
    assert evidence["title"] == "Mayor colluded with traffickers"
    assert evidence["status"] == CONCEPT + "status/charged"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_every_result_format(api, fmt):
    r = httpx.get(f"{api}queries/coopted-institutions", params={"country": "PE", "year": "2013", "format": fmt})
    assert r.status_code == 200
    assert "National Police of Peru" in r.text
    if fmt == "csv":
        assert list(csv.DictReader(io.StringIO(r.text)))[0]["articles"] == "2"


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("corruption-ties", {"country": 'PE" } ; DROP ALL ; #', "year": "2013"}, "ISO 3166-1"),
        ("corruption-ties", {"country": "PE", "year": "2013) || (1"}, "a year"),
        ("corruption-ties", {"country": "PE", "year": "2013", "graph": "x"}, "no parameter graph"),
        ("corruption-ties", {"year": "2013"}, "needs the parameter country"),
        ("neighbourhood", {"actor": "http://x/> } UNION { ?s ?p ?o"}, "absolute IRI"),
        ("evidence", {"claim": "not an iri"}, "absolute IRI"),
    ],
)
def test_injection_attempts_are_refused(api, name, params, message):
    r = httpx.get(f"{api}queries/{name}", params=params)
    assert r.status_code == 400
    assert message in r.text
    still = rows(api, "coopted-institutions", country="PE", year="2013")
    assert len(still) == 1


def test_a_valid_but_hostile_value_is_only_a_value(api):
    # Passes the IRI check, reaches the store as one term, matches nothing.
    assert rows(api, "neighbourhood", actor="urn:x:?actor%20%7D") == []
    assert rows(api, "neighbourhood", actor=f"{MDC}?x=1") == []


def test_listing_and_openapi(api):
    listing = httpx.get(api + "queries").json()
    assert len(listing) == len(load_all()) == 10
    ties = next(q for q in listing if q["name"] == "corruption-ties")
    assert [(p["name"], p["type"], p["required"]) for p in ties["params"]] == [("country", "country", True), ("year", "year", False)]
    spec = httpx.get(api + "openapi.json").json()
    params = spec["paths"]["/queries/corruption-ties"]["get"]["parameters"]
    assert (params[0]["name"], params[0]["in"], params[0]["required"]) == ("country", "query", True)
    assert params[0]["schema"]["pattern"] == "^[A-Za-z]{2}$"
    assert params[1]["schema"]["type"] == "integer"
    assert httpx.get(api + "queries/no-such-query").status_code == 404


def test_cli_runs_a_named_query(corpus):
    result = CliRunner().invoke(
        cli, ["query", "coopted-institutions", "--param", "country=PE", "--param", "year=2013", "--format", "csv", "--store", str(corpus)]
    )
    assert result.exit_code == 0, result.output
    assert list(csv.DictReader(io.StringIO(result.output)))[0]["institutionLabel"] == "National Police of Peru"
    bad = CliRunner().invoke(cli, ["query", "coopted-institutions", "--param", "country=Peru", "--store", str(corpus)])
    assert bad.exit_code == 1 and "ISO 3166-1" in bad.output


def test_a_broken_query_file_is_caught_with_a_precise_message():
    good = (load_all()["protection"]).sparql
    with pytest.raises(NamedQueryError, match="must appear in the SELECT clause"):
        parse("broken", good.replace("SELECT ?country ?year", "SELECT ?year"))
    with pytest.raises(NamedQueryError, match="needs at least '#\\+ summary"):
        parse("broken", "SELECT * { ?s ?p ?o }")
    with pytest.raises(NamedQueryError, match="unknown type 'colour'"):
        parse("broken", "#+ summary: x\n#+ params:\n#+   - name: s\n#+     type: colour\nSELECT ?s { ?s ?p ?o }")
