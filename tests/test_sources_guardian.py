"""The Guardian client: pagination, pacing, retries, errors, and JSON Lines that the reader reads back.

The API itself is out of reach here, so recorded answers shaped like the real
ones (tests/fixtures/guardian/) are served through httpx.MockTransport. The
clock and sleep are injected, so the pacing is asserted to the second without
sleeping.
"""

from __future__ import annotations

import email.utils
import io
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.sources import Document, SourceError, guardian, read_documents
from kg.sources.guardian import FetchSummary, GuardianAPI, GuardianError, GuardianQuery, fetch_to_jsonl
from kg.sources.throttle import RateLimiter, RetryPolicy, retry_after_seconds

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "guardian"
KEY = "test-key-0000"
QUERY = GuardianQuery(q="Peru cocaine", from_date="2013-01-01", to_date="2013-12-31", page_size=2)


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def page_answer(request: httpx.Request) -> httpx.Response:
    """The recorded search: the page the request asks for."""
    return httpx.Response(200, json=fixture(f"search-page-{request.url.params['page']}.json"))


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


class Recorder:
    """A mock transport handler that answers from a script and keeps every request."""

    def __init__(self, *script: Callable[[httpx.Request], httpx.Response] | httpx.Response) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return answer(request) if callable(answer) else answer


def make_api(handler: Recorder, clock: FakeClock, *, rate: float = 1.0, attempts: int = 3) -> tuple[GuardianAPI, list[str]]:
    retries: list[str] = []
    api = GuardianAPI(
        KEY,
        httpx.Client(transport=httpx.MockTransport(handler)),
        limiter=RateLimiter(rate, clock=clock.clock, sleep=clock.sleep),
        retry=RetryPolicy(attempts=attempts, backoff=2.0, max_delay=120.0),
        on_retry=retries.append,
    )
    return api, retries


def run(api: GuardianAPI, query: GuardianQuery = QUERY) -> tuple[FetchSummary, list[dict], list[str]]:
    out = io.StringIO()
    skipped: list[str] = []
    summary = fetch_to_jsonl(api, query, out, on_skip=lambda problem: skipped.append(str(problem)))
    return summary, [json.loads(line) for line in out.getvalue().splitlines()], skipped


# --- pagination and parameters --------------------------------------------------------


def test_every_page_is_fetched_with_the_documented_parameters():
    handler, clock = Recorder(page_answer), FakeClock()
    api, _ = make_api(handler, clock)
    summary, records, skipped = run(api, GuardianQuery(q="Peru cocaine", from_date="2013-01-01",
                                                      to_date="2013-12-31", section="world", page_size=2))
    assert summary == FetchSummary(written=4, skipped=1, pages=3, requests=3)
    assert [dict(r.url.params) for r in handler.requests] == [
        {"q": "Peru cocaine", "page": str(n), "page-size": "2", "order-by": "oldest",
         "show-fields": "bodyText,headline,byline,trailText", "from-date": "2013-01-01",
         "to-date": "2013-12-31", "section": "world", "api-key": KEY}
        for n in (1, 2, 3)
    ]
    assert {str(r.url.copy_with(query=None)) for r in handler.requests} == {"https://content.guardianapis.com/search"}
    assert clock.sleeps == [1.0, 1.0]  # one request per second
    assert [r["title"] for r in records] == [
        "Shining Path remnants tighten grip on Peru's cocaine valley",
        "Peruvian police officers accused of taking bribes from drug gangs in Ucayali",
        "Small planes carry Peru's cocaine to Bolivia as trafficking routes shift",
        "Peru seizes record cocaine haul in Callao port",
    ]
    assert skipped == [
        "https://www.theguardian.com/world/video/2013/aug/20/peru-coca-eradication-video-example: "
        "no body text (type video)"
    ]


def test_max_pages_stops_early():
    handler, clock = Recorder(page_answer), FakeClock()
    api, _ = make_api(handler, clock)
    summary, _, _ = run(api, GuardianQuery(q="Peru cocaine", page_size=2, max_pages=2))
    assert (summary.pages, summary.requests, summary.written) == (2, 2, 3)


def test_a_search_without_results_makes_one_request():
    handler, clock = Recorder(httpx.Response(200, json=fixture("search-empty.json"))), FakeClock()
    api, _ = make_api(handler, clock)
    assert run(api)[0] == FetchSummary(written=0, skipped=0, pages=1, requests=1)


def test_results_that_shrink_while_paging_end_the_search_cleanly():
    handler = Recorder(page_answer, httpx.Response(400, json=fixture("error-400-page-beyond.json")))
    api, _ = make_api(handler, FakeClock())
    summary, _, _ = run(api)
    assert (summary.pages, summary.requests, summary.written) == (1, 2, 2)


def test_an_article_seen_on_two_pages_is_written_once():
    moved = fixture("search-page-2.json")
    moved["response"]["results"].insert(0, fixture("search-page-1.json")["response"]["results"][1])
    handler = Recorder(page_answer, httpx.Response(200, json=moved), page_answer)
    api, _ = make_api(handler, FakeClock())
    summary, records, _ = run(api)
    assert summary.written == 4
    assert len({r["id"] for r in records}) == len(records) == 4


# --- JSON Lines round trip -----------------------------------------------------------------


def test_written_jsonl_reads_back_as_documents(tmp_path: Path):
    api, _ = make_api(Recorder(page_answer), FakeClock())
    path = tmp_path / "guardian.jsonl"
    with path.open("w", encoding="utf-8") as out:
        fetch_to_jsonl(api, QUERY, out)
    items = list(read_documents([path]))
    assert not [str(x) for x in items if isinstance(x, SourceError)]
    results = [r for n in (1, 2, 3) for r in fixture(f"search-page-{n}.json")["response"]["results"] if r["fields"]["bodyText"]]
    assert items == [
        Document(
            id=r["webUrl"],
            text=r["fields"]["bodyText"],
            title=r["fields"]["headline"],
            url=r["webUrl"],
            published=r["webPublicationDate"][:10],
            publisher="The Guardian",
            language="en",
            source=f"{path}:{line}",
        )
        for line, r in enumerate(results, start=1)
    ]


# --- retries and pacing ----------------------------------------------------------------------


def single_page() -> GuardianQuery:
    return GuardianQuery(q="Peru cocaine", page_size=2, max_pages=1)


def test_429_waits_as_long_as_retry_after_says_then_succeeds():
    limited = httpx.Response(429, json=fixture("error-429-rate-limit.json"), headers={"Retry-After": "7"})
    handler, clock = Recorder(limited, page_answer), FakeClock()
    api, retries = make_api(handler, clock)
    summary, _, _ = run(api, single_page())
    assert (summary.requests, summary.written) == (2, 2)
    assert clock.sleeps == [7.0]  # the limiter's 1 s had passed within the 7 s
    assert retries == ["HTTP 429 (API rate limit exceeded); retrying in 7 s (attempt 2 of 3)"]


def test_429_without_retry_after_backs_off():
    handler, clock = Recorder(httpx.Response(429, json=fixture("error-429-rate-limit.json")), page_answer), FakeClock()
    api, _ = make_api(handler, clock)
    run(api, single_page())
    assert clock.sleeps == [2.0]


def test_500_then_success_backs_off_exponentially():
    failure = httpx.Response(500, json={"message": "An unexpected error occurred"})
    handler, clock = Recorder(failure, httpx.Response(502, text="<html>Bad Gateway</html>"), page_answer), FakeClock()
    api, retries = make_api(handler, clock)
    summary, _, _ = run(api, single_page())
    assert (summary.requests, summary.written) == (3, 2)
    assert clock.sleeps == [2.0, 4.0]
    assert retries == [
        "HTTP 500 (An unexpected error occurred); retrying in 2 s (attempt 2 of 3)",
        "HTTP 502; retrying in 4 s (attempt 3 of 3)",
    ]


def test_a_timeout_is_retried():
    def time_out(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    handler, clock = Recorder(time_out, page_answer), FakeClock()
    api, retries = make_api(handler, clock)
    assert run(api, single_page())[0].written == 2
    assert retries == ["the request timed out; retrying in 2 s (attempt 2 of 3)"]


def test_persistent_server_errors_give_up_after_the_last_attempt():
    handler, clock = Recorder(httpx.Response(503, text="Service Unavailable")), FakeClock()
    api, _ = make_api(handler, clock)
    with pytest.raises(GuardianError) as error:
        run(api, single_page())
    assert str(error.value) == "gave up after 3 attempts; the last one failed: HTTP 503"
    assert len(handler.requests) == 3
    assert clock.sleeps == [2.0, 4.0]


def test_an_invalid_key_stops_at_once_with_the_apis_message():
    handler, clock = Recorder(httpx.Response(401, json=fixture("error-401-invalid-key.json"))), FakeClock()
    api, _ = make_api(handler, clock)
    with pytest.raises(GuardianError) as error:
        run(api)
    assert str(error.value) == (
        "the Guardian API refused the request: HTTP 401 (Invalid authentication credentials); check GUARDIAN_API_KEY"
    )
    assert KEY not in str(error.value)
    assert len(handler.requests) == 1 and clock.sleeps == []


def test_a_retry_after_beyond_the_limit_stops_instead_of_waiting():
    limited = httpx.Response(429, json=fixture("error-429-rate-limit.json"), headers={"Retry-After": "86400"})
    handler, clock = Recorder(limited), FakeClock()
    api, _ = make_api(handler, clock)
    with pytest.raises(GuardianError) as error:
        run(api)
    assert str(error.value) == (
        "the Guardian API asks to wait 86400 s before the next request: HTTP 429 (API rate limit exceeded); "
        "the daily quota may be used up, try again later"
    )
    assert clock.sleeps == []


def test_a_failure_midway_keeps_the_lines_already_written():
    quota = httpx.Response(429, json=fixture("error-429-rate-limit.json"), headers={"Retry-After": "3600"})
    handler = Recorder(page_answer, quota)
    api, _ = make_api(handler, FakeClock())
    out = io.StringIO()
    with pytest.raises(GuardianError) as error:
        fetch_to_jsonl(api, QUERY, out)
    assert str(error.value).endswith("try again later (the 2 articles written before are complete)")
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [
        r["webUrl"] for r in fixture("search-page-1.json")["response"]["results"]
    ]


def test_an_error_status_in_a_200_body_is_reported():
    handler = Recorder(httpx.Response(200, json={"response": {"status": "error", "message": "Search is down"}}))
    api, _ = make_api(handler, FakeClock())
    with pytest.raises(GuardianError, match=r"^the Guardian API answered status 'error': Search is down$"):
        run(api)


def test_the_rate_limiter_spaces_requests():
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock.clock, sleep=clock.sleep)
    limiter.wait()
    limiter.wait()
    clock.now += 0.2  # work between requests counts towards the interval
    limiter.wait()
    clock.now += 5.0
    limiter.wait()
    assert clock.sleeps == [0.5, 0.3]


def test_retry_after_accepts_seconds_and_http_dates():
    when = 1_700_000_000.0
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds(email.utils.formatdate(when + 30, usegmt=True), now=lambda: when) == 30.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"q": "  "}, "the search query is empty"),
        ({"q": "Peru", "from_date": "2013-13-01"}, "--from '2013-13-01' is not a date (expected YYYY-MM-DD)"),
        ({"q": "Peru", "to_date": "31/12/2013"}, "--to '31/12/2013' is not a date (expected YYYY-MM-DD)"),
        ({"q": "Peru", "from_date": "2014-01-01", "to_date": "2013-01-01"},
         "--from 2014-01-01 is after --to 2013-01-01"),
        ({"q": "Peru", "page_size": 500}, "--page-size must be between 1 and 200, got 500"),
        ({"q": "Peru", "max_pages": 0}, "--max-pages must be at least 1, got 0"),
    ],
)
def test_bad_queries_are_refused_before_any_request(arguments: dict, message: str):
    with pytest.raises(GuardianError) as error:
        GuardianQuery(**arguments)
    assert str(error.value) == message


# --- the command -----------------------------------------------------------------------------


@pytest.fixture()
def recorded_api(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Point the command's HTTP client at the recorded answers."""
    handler = Recorder(page_answer)
    monkeypatch.setattr(guardian, "http_client", lambda timeout: httpx.Client(transport=httpx.MockTransport(handler)))
    return handler


def test_command_writes_jsonl_that_reads_back(tmp_path: Path, recorded_api: Recorder):
    out = tmp_path / "guardian.jsonl"
    result = CliRunner().invoke(
        cli,
        ["fetch", "guardian", "--query", "Peru cocaine", "--from", "2013-01-01", "--to", "2013-12-31",
         "--page-size", "2", "--rate", "1000", "--out", str(out)],
        env={"GUARDIAN_API_KEY": KEY},
    )
    assert result.exit_code == 0, result.output
    assert f"wrote 4 articles to {out} (3 pages, 3 requests, 1 skipped without body text)" in result.stderr
    video = "https://www.theguardian.com/world/video/2013/aug/20/peru-coca-eradication-video-example"
    assert f"skipped {video}: no body text (type video)" in result.stderr
    docs = list(read_documents([out]))
    assert [d.publisher for d in docs] == ["The Guardian"] * 4
    assert all(isinstance(d, Document) and d.id.startswith("https://www.theguardian.com/") for d in docs)


def test_command_writes_to_stdout_by_default(recorded_api: Recorder):
    result = CliRunner().invoke(
        cli, ["fetch", "guardian", "-q", "Peru", "--page-size", "2", "--max-pages", "1", "--rate", "1000"],
        env={"GUARDIAN_API_KEY": KEY},
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["publisher"] for line in result.stdout.splitlines()] == ["The Guardian"] * 2


def test_command_without_a_key_says_where_to_get_one(tmp_path: Path, recorded_api: Recorder):
    result = CliRunner().invoke(cli, ["fetch", "guardian", "-q", "Peru", "--out", str(tmp_path / "x.jsonl")],
                                env={"GUARDIAN_API_KEY": ""})
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: GUARDIAN_API_KEY is not set: get a free key at https://open-platform.theguardian.com/access/\n"
    )
    assert recorded_api.requests == []
    assert not (tmp_path / "x.jsonl").exists()


def test_command_with_an_invalid_key_fails_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    handler = Recorder(httpx.Response(401, json=fixture("error-401-invalid-key.json")))
    monkeypatch.setattr(guardian, "http_client", lambda timeout: httpx.Client(transport=httpx.MockTransport(handler)))
    result = CliRunner().invoke(cli, ["fetch", "guardian", "-q", "Peru", "--out", str(tmp_path / "x.jsonl")],
                                env={"GUARDIAN_API_KEY": "wrong"})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: the Guardian API refused the request: HTTP 401 (Invalid authentication credentials); "
        "check GUARDIAN_API_KEY"
    )
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.jsonl").exists()


def test_an_unexpected_page_shape_is_reported():
    broken = fixture("search-page-1.json")
    broken["response"]["pages"] = "three"
    api, _ = make_api(Recorder(httpx.Response(200, json=broken)), FakeClock())
    with pytest.raises(GuardianError) as error:
        run(api)
    assert str(error.value) == "unexpected answer from the Guardian API: 'response.pages' is 'three', not a number"
