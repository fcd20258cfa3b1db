"""Many readers while another process ingests and the API itself updates: consistent snapshots."""

import subprocess
import sys
import textwrap
import threading

import httpx

from kg.store import snapshots
from kg.store.embedded import EmbeddedStore
from tests.api.conftest import TOKEN
from tests.live_server import live_server

N = 300  # triples per version of the graph
G = "http://example.org/ingested"
COUNT = "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?v) AS ?versions) (MAX(?v) AS ?version) WHERE { GRAPH <%s> { ?s <http://example.org/v> ?v } }" % G

# What `arcon ingest` does to the store: write in one transaction, then publish a snapshot.
INGEST = textwrap.dedent(
    """
    import sys, time
    from kg.store.embedded import EmbeddedStore
    from kg.store import snapshots
    primary, rounds, n, g = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    for k in range(1, rounds + 1):
        while True:
            try:
                store = EmbeddedStore(primary)
                break
            except Exception as exc:  # the API's writer holds the lock for a moment
                if "lock" not in str(exc).lower():
                    raise
                time.sleep(0.02)
        data = "\\n".join(f'<http://example.org/s{i}> <http://example.org/v> "{k}" .' for i in range(n))
        store.replace_graph(g, data.encode())
        snapshots.publish(store, primary)
        store.close()
    """
)


def test_readers_see_whole_versions_while_an_ingest_and_updates_write(tmp_path):
    primary = tmp_path / "store"
    s = EmbeddedStore(primary)
    s.replace_graph(G, "\n".join(f'<http://example.org/s{i}> <http://example.org/v> "0" .' for i in range(N)).encode())
    s.close()
    with live_server(primary, token=TOKEN, env={"ARCON_WORKERS": "2"}) as url:
        ingest = subprocess.Popen([sys.executable, "-c", INGEST, str(primary), "25", str(N), G])
        seen: list[tuple[int, int, int]] = []
        errors: list[str] = []

        def reader() -> None:
            with httpx.Client(timeout=60) as client:
                while ingest.poll() is None:
                    r = client.get(url + "sparql", params={"query": COUNT})
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {r.text}")
                        continue
                    b = r.json()["results"]["bindings"][0]
                    seen.append((int(b["n"]["value"]), int(b["versions"]["value"]), int(b["version"]["value"])))

        def updater() -> None:
            with httpx.Client(timeout=60) as client:
                i = 0
                while ingest.poll() is None:
                    i += 1
                    r = client.post(
                        url + "update",
                        data={"update": f"INSERT DATA {{ GRAPH <http://example.org/api> {{ <http://example.org/u{i}> a <http://example.org/U> }} }}"},
                        headers={"Authorization": f"Bearer {TOKEN}"},
                    )
                    if r.status_code != 204:
                        errors.append(f"update {r.status_code} {r.text}")

        threads = [threading.Thread(target=reader) for _ in range(8)] + [threading.Thread(target=updater)]
        for t in threads:
            t.start()
        assert ingest.wait(120) == 0
        for t in threads:
            t.join(60)
        assert not errors, errors[:5]
        assert len(seen) > 20
        # Every answer counts one whole version: never a mix of two, never a half-written graph.
        assert {(n, versions) for n, versions, _ in seen} == {(N, 1)}
        assert len({version for _, _, version in seen}) > 3, "readers never moved to newer snapshots"
        final = httpx.get(url + "sparql", params={"query": f"SELECT DISTINCT ?v WHERE {{ GRAPH <{G}> {{ ?s ?p ?v }} }}"}).json()
        assert [b["v"]["value"] for b in final["results"]["bindings"]] == ["25"]
        api_rows = httpx.get(url + "sparql", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH <http://example.org/api> { ?s ?p ?o } }"}).json()
        assert int(api_rows["results"]["bindings"][0]["n"]["value"]) > 0
    # Old snapshots are collected: only the current one and those still leased remain.
    remaining = [p for p in snapshots.snapshot_root(primary).iterdir() if p.is_dir()]
    assert len(remaining) <= 3
