"""Time and size limits that really hold, on a live server with worker processes."""

import time

import httpx
import pytest

from kg.store.embedded import EmbeddedStore
from tests.live_server import live_server

# 5 joins over 200 triples: 200^5 rows to count, far beyond any time limit here.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("limits") / "store"
    s = EmbeddedStore(path)
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "value number {i} with some padding text" .' for i in range(200)]
    s.replace_graph("http://example.org/g", "\n".join(lines).encode())
    s.close()
    return path


def _wait_until(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_timeout_answers_503_and_kills_the_worker(store):
    with live_server(store, env={"ARCON_QUERY_TIMEOUT": "2", "ARCON_WORKERS": "1"}) as url:
        before = url.worker_pids()
        start = time.monotonic()
        r = httpx.get(url + "sparql", params={"query": ENDLESS}, timeout=30)
        assert r.status_code == 503
        assert "time limit of 2 s" in r.text
        assert time.monotonic() - start < 6
        # The worker that ran it is gone (not left computing), and a fresh one serves.
        assert _wait_until(lambda: before - url.worker_pids(), 5), "the timed-out query is still running"
        ok = httpx.get(url + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert ok.json()["boolean"] is True


def test_a_client_that_disconnects_frees_its_query(store):
    with live_server(store, env={"ARCON_QUERY_TIMEOUT": "60", "ARCON_WORKERS": "1"}) as url:
        before = url.worker_pids()
        with pytest.raises(httpx.ReadTimeout):
            httpx.get(url + "sparql", params={"query": ENDLESS}, timeout=1)
        # Long before the 60 s limit, the worker is killed and replaced.
        assert _wait_until(lambda: before - url.worker_pids(), 5), "the abandoned query is still running"
        ok = httpx.get(url + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
        assert ok.status_code == 200


def test_result_over_the_size_limit_is_an_error_not_a_truncated_200(store):
    env = {"ARCON_MAX_RESULT_BYTES": "5000", "ARCON_STREAM_THRESHOLD": "65536"}
    with live_server(store, env=env) as url:
        r = httpx.get(url + "sparql", params={"query": "SELECT * { ?s ?p ?o }"})
        assert r.status_code == 422
        assert "larger than the limit of 5000 bytes" in r.text
        small = httpx.get(url + "sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 3"})
        assert small.status_code == 200


def test_a_streamed_result_over_the_limit_is_aborted(store):
    # 200^2 rows of JSON (~10 MB) stream past the 64 KiB threshold, then hit the 1 MB limit.
    env = {"ARCON_MAX_RESULT_BYTES": "1000000", "ARCON_STREAM_THRESHOLD": "65536"}
    with live_server(store, env=env) as url:
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(url + "sparql", params={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f }"}, timeout=30)


def test_large_results_stream_in_full(store):
    env = {"ARCON_STREAM_THRESHOLD": "65536"}
    with live_server(store, env=env) as url:
        with httpx.stream("GET", url + "sparql", params={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f }", "format": "csv"}) as r:
            assert r.status_code == 200
            assert "content-length" not in r.headers  # streamed (chunked), not built whole
            lines = sum(chunk.count("\n") for chunk in r.iter_text())
        assert lines == 200 * 200 + 1
