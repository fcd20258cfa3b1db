"""Answers kept per snapshot and shared between identical requests, on a real engine with worker processes."""

import asyncio

import httpx
import pytest

from kg.api.engine import EmbeddedEngine
from kg.api.settings import Settings
from kg.api.workers import QueryJob, QueryTimeout, WriteJob
from kg.store.embedded import EmbeddedStore
from tests.live_server import live_server

JSON = "application/sparql-results+json"
COUNT = QueryJob(sparql="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", media_type=JSON)
# Three joins over 200 triples: 8 million rows to count, a second or more of work.
SLOW = QueryJob(sparql="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", media_type=JSON)
ENDLESS = QueryJob(sparql="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }",
                   media_type=JSON)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store"
    s = EmbeddedStore(path)
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "value {i}" .' for i in range(200)]
    s.replace_graph("http://example.org/g", "\n".join(lines).encode())
    s.close()
    return path


async def answer(engine, job) -> bytes:
    out = b""
    async for msg in engine.stream(job):
        out += msg[1]
    return out


def on_engine(store, settings, body):
    """Run ``body(engine)`` on a started engine over ``store`` (real worker processes)."""

    async def main():
        engine = EmbeddedEngine(store, settings)
        await engine.start()
        try:
            return await body(engine)
        finally:
            await engine.close()

    return asyncio.run(main())


def test_an_answer_is_kept_until_the_data_changes(store):
    async def body(engine):
        first, second = await answer(engine, COUNT), await answer(engine, COUNT)
        assert first == second and b'"200"' in first
        assert (engine.cache.misses, engine.cache.hits) == (1, 1)
        # A write publishes a new snapshot: the kept answer is not served any more.
        await engine.write(WriteJob(op="update", sparql="INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/x> <http://example.org/p> 1 } }"))
        assert b'"201"' in await answer(engine, COUNT)
        assert (engine.cache.misses, engine.cache.hits) == (2, 1)
        # Other parameters, other answer.
        other = QueryJob(sparql=COUNT.sparql, media_type="text/csv")
        assert (await answer(engine, other)).splitlines()[1] == b"201"
        assert engine.cache.misses == 3

    on_engine(store, Settings(workers=1), body)


def test_identical_requests_share_one_run(store):
    async def body(engine):
        answers = await asyncio.gather(*(answer(engine, SLOW) for _ in range(6)))
        assert len(set(answers)) == 1 and b'"8000000"' in answers[0]
        # One worker ran the query once; the five others waited for it.
        assert (engine.cache.misses, engine.cache.shared, engine.cache.hits) == (1, 5, 0)

    on_engine(store, Settings(workers=1), body)


def test_waiters_share_a_timeout_instead_of_queueing_for_their_own(store):
    async def body(engine):
        loop = asyncio.get_running_loop()
        start = loop.time()
        results = await asyncio.gather(*(answer(engine, ENDLESS) for _ in range(3)), return_exceptions=True)
        assert all(isinstance(r, QueryTimeout) for r in results), results
        # One time limit for all three, not three in a row on the single worker.
        assert loop.time() - start < 2 * 1.5
        assert (engine.cache.misses, engine.cache.shared) == (1, 2)

    on_engine(store, Settings(workers=1, query_timeout=1.5), body)


def test_answers_over_a_quarter_of_the_cache_are_not_kept_and_zero_turns_it_off(store):
    listing = QueryJob(sparql="SELECT * WHERE { ?s ?p ?o }", media_type=JSON)  # ~20 KB

    async def body(engine):
        first = await answer(engine, listing)
        assert first == await answer(engine, listing) and len(first) > 15_000
        return engine.cache.misses, engine.cache.hits, engine.cache.size

    assert on_engine(store, Settings(workers=1, result_cache_bytes=60_000), body) == (2, 0, 0)
    assert on_engine(store, Settings(workers=1, result_cache_bytes=0), body) == (0, 0, 0)
    # Streamed (over the 4 KiB threshold) and still kept whole.
    misses, hits, size = on_engine(store, Settings(workers=1, stream_threshold=4096), body)
    assert (misses, hits) == (1, 1) and size > 15_000


def test_a_burst_of_slow_identical_requests_gets_no_503(store):
    """32 clients asking the same slow query of a server with one worker and a 5 s limit.

    Without sharing, the requests queue for the worker one after the other and
    all but the first few wait past the limit (503 'all workers are busy').
    """
    with live_server(store, env={"ARCON_WORKERS": "1", "ARCON_QUERY_TIMEOUT": "5"}) as url:

        async def burst():
            async with httpx.AsyncClient(timeout=30) as client:
                return await asyncio.gather(
                    *(client.get(url + "sparql", params={"query": SLOW.sparql}, headers={"Accept": JSON}) for _ in range(32))
                )

        responses = asyncio.run(burst())
        assert [r.status_code for r in responses] == [200] * 32
        assert {r.json()["results"]["bindings"][0]["n"]["value"] for r in responses} == {"8000000"}


def test_different_slow_requests_queue_for_a_busy_worker_up_to_the_queue_limit(store):
    """Four different slow queries for one worker: they wait their turn (ARCON_QUEUE_TIMEOUT,
    120 s by default), and only a request that waits longer than that gets 503."""
    queries = [SLOW.sparql + f"\n# variant {i}" for i in range(4)]

    def burst(url: str) -> list[int]:
        async def run():
            async with httpx.AsyncClient(timeout=120) as client:
                return await asyncio.gather(
                    *(client.get(url + "sparql", params={"query": q}, headers={"Accept": JSON}) for q in queries)
                )

        return [r.status_code for r in asyncio.run(run())]

    no_cache = {"ARCON_WORKERS": "1", "ARCON_RESULT_CACHE_BYTES": "0"}
    with live_server(store, env={**no_cache, "ARCON_QUEUE_TIMEOUT": "0.05"}) as url:
        codes = burst(url)
        assert 200 in codes and 503 in codes, codes
    with live_server(store, env=no_cache) as url:
        assert burst(url) == [200] * 4
