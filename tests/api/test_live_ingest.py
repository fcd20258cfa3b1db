"""A running `arcon serve` sees what a separate `arcon ingest` or `arcon store delete` writes.

Both commands publish a snapshot of the store when they are done (kg.store.snapshots.refresh),
and the server's query workers switch to the newest snapshot between queries:
no restart, and every answer is one consistent state.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from corpus_text import CORPUS, articles
from tests.live_server import live_server

ARCON = "https://w3id.org/arcon/ontology#"
ROOT = Path(__file__).resolve().parents[2]


def arcon(*args: str) -> subprocess.CompletedProcess:
    """The real command in its own process, as a user runs it beside the server."""
    env = {**os.environ, "ARCON_ONTOLOGY_DIR": str(ROOT / "ontology")}
    result = subprocess.run([sys.executable, "-m", "kg.cli", *args], env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def count(url: str, where: str) -> int:
    query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {where} }}"
    r = httpx.get(url + "sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def articles_in(url: str) -> int:
    return count(url, f"?x a <{ARCON}Article>")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_running_server_switches_to_what_a_separate_ingest_and_delete_wrote(tmp_path):
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    picked = [a for a in articles() if a.path.name.startswith("a-0")][:4]
    for a in picked[:2]:
        shutil.copy(a.path, first)
    for a in picked[2:]:
        shutil.copy(a.path, later)
    store = tmp_path / "store"
    arcon("ingest", str(first), "--store", str(store), "--quiet")  # spaCy, a first build
    with live_server(store) as url:
        assert articles_in(url) == 2
        claims_before = count(url, f"?x a <{ARCON}Claim>")
        arcon("ingest", str(later), "--store", str(store), "--quiet")  # another process, while serving
        assert articles_in(url) == 4
        assert count(url, f"?x a <{ARCON}Claim>") > claims_before
        # entity descriptions followed: one label per entity the new articles named
        assert count(url, f"?x <{ARCON}mentionedIn> ?a") == count(
            url, f"?x <{ARCON}mentionedIn> ?a . ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l")
        arcon("store", "delete", picked[3].url, "--store", str(store))
        assert articles_in(url) == 3
        arcon("ingest", str(first), str(later), "--store", str(store), "--quiet")  # brings it back
        assert articles_in(url) == 4
        assert httpx.get(url + "queries/criminal-groups", params={"country": "PE"}).status_code == 200
    assert CORPUS.is_dir()


def test_nothing_is_published_for_a_store_no_server_has_served(tmp_path):
    from graph_fixtures import write_corpus
    from kg.store import snapshots

    write_corpus(tmp_path / "corpus", 2)
    store = tmp_path / "store"
    arcon("ingest", str(tmp_path / "corpus" / "articles.jsonl"), "--extractions",
          str(tmp_path / "corpus" / "extractions.jsonl"), "--store", str(store), "--quiet")
    assert not snapshots.snapshot_root(store).exists()  # no copy of the store's files kept alive for nobody


def test_a_server_starts_on_the_store_as_it_is_not_on_an_old_snapshot(tmp_path):
    from kg.store.embedded import EmbeddedStore

    store = tmp_path / "store"
    s = EmbeddedStore(store)
    s.replace_graph("http://example.org/g", b"<http://example.org/a> <http://example.org/p> <http://example.org/b> .")
    s.close()
    with live_server(store) as url:
        assert count(url, "?x <http://example.org/p> ?o") == 1
    s = EmbeddedStore(store)  # written behind the back of any server: no snapshot published
    s.add_to_graph("http://example.org/g", b"<http://example.org/c> <http://example.org/p> <http://example.org/b> .",
                   "application/n-triples")
    s.close()
    with live_server(store) as url:
        assert count(url, "?x <http://example.org/p> ?o") == 2
