"""`arcon query`, `arcon store` and `arcon validate` on a real store built by `arcon ingest`."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDFS

from conftest import ontology_folder
from graph_fixtures import UCA, article, write_corpus
from kg.cli import cli
from kg.namespaces import ARCON
from kg.rdf import iris

COUNT = "SELECT (COUNT(?c) AS ?claims) WHERE { ?c a <https://w3id.org/arcon/ontology#Claim> }"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kg")
    write_corpus(folder / "corpus", 3)
    mp = pytest.MonkeyPatch()
    mp.setenv("ARCON_ONTOLOGY_DIR", str(ontology_folder()))
    result = CliRunner().invoke(cli, ["ingest", str(folder / "corpus" / "articles.jsonl"), "--extractions",
                                      str(folder / "corpus" / "extractions.jsonl"), "--store", str(folder / "store")])
    assert result.exit_code == 0, result.output
    yield folder
    mp.undo()


def arcon(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


def test_query_formats(built):
    store = str(built / "store")
    assert arcon("query", COUNT, "--store", store, "--format", "csv").stdout_bytes == b"claims\r\n15\r\n"
    assert arcon("query", COUNT, "--store", store, "--format", "tsv").output.splitlines() == [
        "?claims", "15"]
    answer = json.loads(arcon("query", COUNT, "--store", store, "--format", "json").output)
    assert answer["results"]["bindings"][0]["claims"]["value"] == "15"
    table = arcon("query", COUNT, "--store", store).output
    assert table.splitlines()[0].strip() == "claims" and "(1 row)" in table


def test_query_from_a_file_and_environment_store(built, tmp_path):
    rq = tmp_path / "places.rq"
    rq.write_text("PREFIX arcon: <https://w3id.org/arcon/ontology#>\n"
                  "SELECT DISTINCT ?place WHERE { ?c arcon:place ?place }\n")
    result = arcon("query", str(rq), "--format", "csv", env={"ARCON_STORE": str(built / "store")})
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["place", UCA]


def test_bad_query_is_one_line_with_position_and_no_traceback(built):
    result = arcon("query", "SELECT ?x WHERE { ?x ", "--store", str(built / "store"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: query failed:") and "1:" in result.output
    assert "Traceback" not in result.output


def test_missing_store_is_a_clear_error(tmp_path):
    result = arcon("query", COUNT, "--store", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert f"no store at {tmp_path / 'nowhere'}" in result.output


def test_store_stats_dump_and_delete(built, tmp_path):
    store = str(tmp_path / "copy")
    shutil.copytree(built / "store", store)
    stats = arcon("store", "stats", "--store", store).output
    assert "documents  3" in stats and "claims     15" in stats and "entities   6 described" in stats
    graph = iris.document_graph(article(2).document.id)
    dumped = arcon("store", "dump", "--store", store, "--graph", graph, "--format", "nt").output
    assert "Police in Ucayali, report 2" in dumped
    assert arcon("store", "dump", "--store", store, "--format", "nt").exit_code == 1
    deleted = arcon("store", "delete", article(2).document.id, "--store", store)
    assert deleted.exit_code == 0 and graph in deleted.output
    assert "documents  2" in arcon("store", "stats", "--store", store).output
    again = arcon("store", "delete", article(2).document.id, "--store", store)
    assert again.exit_code == 1 and "no graph for" in again.output


def test_validate_a_clean_store(built):
    result = arcon("validate", "--store", str(built / "store"))
    assert result.exit_code == 0, result.output
    assert "conforms: no violations" in result.output


def test_an_ontology_change_that_invalidates_stored_data_is_reported(built, tmp_path):
    copy = tmp_path / "ontology"
    shutil.copytree(ontology_folder(), copy)
    for path in copy.glob("*.ttl"):
        g = Graph().parse(path)
        if (ARCON.operatesIn, RDFS.range, None) in g:
            g.remove((ARCON.operatesIn, RDFS.range, None))
            g.add((ARCON.operatesIn, RDFS.range, ARCON.Country))
            g.serialize(path, format="turtle")
    env = {"ARCON_ONTOLOGY_DIR": str(copy)}
    result = arcon("validate", "--store", str(built / "store"), env=env)
    assert result.exit_code == 1
    text = result.output
    assert "the object of a 'operatesIn' claim must be an instance of Country (the range of arcon:operatesIn" in text
    assert "value:      ref:place/pe-uca" in text
    assert "3 violations in 3 graphs" in text
    assert "the ontology files differ from the store's ontology graph" in text
    ttl = arcon("validate", "--store", str(built / "store"), "--format", "ttl", env=env)
    report = Graph().parse(data=ttl.stdout, format="turtle")
    assert len(list(report.subjects(predicate=None, object=None))) > 3
    assert "sh:conforms false" in ttl.stdout
