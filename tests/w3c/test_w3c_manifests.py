"""Every W3C SPARQL 1.1 Protocol, Graph Store and Service Description test, on a live server."""

import pytest

from kg.store.embedded import EmbeddedStore
from tests.live_server import live_server
from tests.w3c.runner import KNOWN_FAILURES, Failure, load_tests, run_test, suite_dir

TOKEN = "w3c-runner-token"

if suite_dir().is_dir():
    TESTS = load_tests()
    PARAMS = [pytest.param(t, id=t.id) for t in TESTS]
else:
    PARAMS = [
        pytest.param(
            None,
            id="w3c-suite-absent",
            marks=pytest.mark.skip(reason=f"W3C SPARQL 1.1 tests not found at {suite_dir()} (set ARCON_W3C_SPARQL11)"),
        )
    ]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = tmp_path_factory.mktemp("w3c") / "store"
    EmbeddedStore(store).close()
    with live_server(store, token=TOKEN) as url:
        yield url


def test_the_suite_has_every_manifest_entry():
    if not suite_dir().is_dir():
        pytest.skip(f"W3C SPARQL 1.1 tests not found at {suite_dir()}")
    assert len(TESTS) == 34 + 4 + 9 + 3


@pytest.mark.parametrize("test", PARAMS)
def test_w3c(server, test):
    reason = KNOWN_FAILURES.get(test.id)
    try:
        run_test(test, server, TOKEN)
    except Failure as exc:
        if reason:
            pytest.xfail(f"{reason} ({exc})")
        raise
    assert reason is None, f"{test.id} passes now: remove it from KNOWN_FAILURES"


def test_the_runner_catches_a_wrong_answer(server):
    """The runner is only worth something if it can fail: flip one expectation."""
    if not suite_dir().is_dir():
        pytest.skip("W3C suite absent")
    test = next(t for t in load_tests() if t.name == "query_get")
    test.steps[0].expected_boolean = False
    with pytest.raises(Failure, match="expected False"):
        run_test(test, server, TOKEN)


def test_the_schema_check_catches_a_bad_description():
    from rdflib import Graph

    from tests.w3c.sd_schema import check_service_description

    bad = Graph().parse(
        data="@prefix sd: <http://www.w3.org/ns/sparql-service-description#> . "
        "<http://x/s> a sd:Service ; sd:supportedLanguage sd:SPARQL12Query .",
        format="turtle",
    )
    problems = check_service_description(bad)
    assert any("endpoint" in p or "MinCount" in p for p in problems)
    assert any("SPARQL12Query" in p or "In" in p for p in problems)
