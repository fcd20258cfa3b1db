"""The Guardian Open Platform content API → JSON Lines that :func:`kg.sources.read_documents` reads.

One search (``GET https://content.guardianapis.com/search``) with a query,
a date range and an optional section, paged with ``page``/``page-size``
(at most 200 per page), oldest first so that pages stay stable while new
articles are published, asking for ``show-fields=bodyText,headline,byline,trailText``.
A page answers ``{"response": {"status": "ok", "total", "currentPage",
"pages", "results": [{"id", "type", "sectionName", "webPublicationDate",
"webTitle", "webUrl", "fields": {…}}, …]}}``.

Pacing: a client-side :class:`~kg.sources.throttle.RateLimiter` (the free
developer key allows 1 request per second and 500 per day), and retries with
exponential backoff on HTTP 429 (honouring ``Retry-After``), 5xx and network
timeouts. Other errors (an invalid key is HTTP 401) stop at once with the
API's own message. The API key travels as the ``api-key`` query parameter and
never appears in a message.

Each article becomes one JSON line: ``id`` and ``url`` (the ``webUrl``),
``title`` (the headline), ``published`` (``webPublicationDate``),
``publisher`` ("The Guardian"), ``text`` (``bodyText``), plus ``byline``,
``trail_text``, ``section``, ``guardian_id`` and ``type`` for the curious.
Results without body text (galleries, videos, some live blogs) are skipped
and reported.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import httpx

from kg.sources.errors import SourceError
from kg.sources.throttle import RateLimiter, RetryPolicy, retry_after_seconds

SEARCH_URL = "https://content.guardianapis.com/search"
API_KEY_VARIABLE = "GUARDIAN_API_KEY"
PUBLISHER = "The Guardian"
SHOW_FIELDS = "bodyText,headline,byline,trailText"
MAX_PAGE_SIZE = 200
DEFAULT_RATE = 1.0  # requests per second allowed to a free developer key
_RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
_PAGE_BEYOND_END = "requested page is beyond the number of available pages"


_MISSING_KEY = f"{API_KEY_VARIABLE} is not set: get a free key at https://open-platform.theguardian.com/access/"


class GuardianError(Exception):
    """The fetch cannot go on; the message is one line for the user."""


def api_key_from_environment(environ: Mapping[str, str] = os.environ) -> str:
    """The key from ``GUARDIAN_API_KEY``, or a :class:`GuardianError` saying where to get one."""
    key = environ.get(API_KEY_VARIABLE, "").strip()
    if not key:
        raise GuardianError(_MISSING_KEY)
    return key


@dataclass(frozen=True)
class GuardianQuery:
    """What to search for. Dates are ``YYYY-MM-DD`` and inclusive, as the API reads them."""

    q: str
    from_date: str | None = None
    to_date: str | None = None
    section: str | None = None
    page_size: int = 50
    max_pages: int | None = None

    def __post_init__(self) -> None:
        if not self.q.strip():
            raise GuardianError("the search query is empty")
        for name, value in (("from", self.from_date), ("to", self.to_date)):
            if value is not None and not _is_iso_date(value):
                raise GuardianError(f"--{name} {value!r} is not a date (expected YYYY-MM-DD)")
        if self.from_date and self.to_date and self.from_date > self.to_date:
            raise GuardianError(f"--from {self.from_date} is after --to {self.to_date}")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise GuardianError(f"--page-size must be between 1 and {MAX_PAGE_SIZE}, got {self.page_size}")
        if self.max_pages is not None and self.max_pages < 1:
            raise GuardianError(f"--max-pages must be at least 1, got {self.max_pages}")

    def params(self, page: int) -> dict[str, str]:
        """Query parameters of one search page (without the key)."""
        params = {
            "q": self.q,
            "page": str(page),
            "page-size": str(self.page_size),
            "order-by": "oldest",
            "show-fields": SHOW_FIELDS,
        }
        if self.from_date:
            params["from-date"] = self.from_date
        if self.to_date:
            params["to-date"] = self.to_date
        if self.section:
            params["section"] = self.section
        return params


@dataclass(frozen=True)
class GuardianPage:
    """One page of search results as the API numbers it."""

    number: int
    pages: int
    total: int
    results: list[dict[str, Any]]


@dataclass(frozen=True)
class FetchSummary:
    written: int
    skipped: int
    pages: int
    requests: int


class GuardianAPI:
    """A paced, retrying client for the search endpoint. Pass an ``httpx.Client`` (tests give it a mock transport)."""

    def __init__(
        self,
        api_key: str,
        http: httpx.Client,
        *,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        on_retry: Callable[[str], None] = lambda message: None,
        url: str = SEARCH_URL,
    ) -> None:
        if not api_key:
            raise GuardianError(_MISSING_KEY)
        self._key = api_key
        self._http = http
        self._limiter = limiter or RateLimiter(DEFAULT_RATE)
        self._retry = retry or RetryPolicy()
        self._sleep = sleep or self._limiter.sleep
        self._on_retry = on_retry
        self._url = url
        self.requests = 0

    def pages(self, query: GuardianQuery) -> Iterator[GuardianPage]:
        """Every page of the search, up to ``query.max_pages``."""
        number = 1
        while True:
            page = self.page(query, number)
            if page is None:
                return
            yield page
            if page.number >= page.pages or (query.max_pages is not None and number >= query.max_pages):
                return
            number += 1

    def page(self, query: GuardianQuery, number: int) -> GuardianPage | None:
        """One page; None when the API says the page is past the end (results shrank meanwhile)."""
        body = self._get({**query.params(number), "api-key": self._key}, allow_past_end=number > 1)
        if body is None:
            return None
        response = body.get("response") if isinstance(body, dict) else None
        if not isinstance(response, dict):
            raise GuardianError("unexpected answer from the Guardian API: no 'response' object")
        if response.get("status") != "ok":
            raise GuardianError(f"the Guardian API answered status {response.get('status')!r}: {_message(body)}")
        results = response.get("results")
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise GuardianError("unexpected answer from the Guardian API: 'response.results' is not a list of objects")
        return GuardianPage(
            number=_count(response, "currentPage", number),
            pages=_count(response, "pages", 0),
            total=_count(response, "total", 0),
            results=results,
        )

    def _get(self, params: dict[str, str], *, allow_past_end: bool) -> Any:
        """GET with pacing and retries; the decoded JSON body of a 200, None past the last page."""
        attempts = self._retry.attempts
        for attempt in range(1, attempts + 1):
            self._limiter.wait()
            self.requests += 1
            wait = self._retry.delay(attempt)
            try:
                response = self._http.get(self._url, params=params)
            except httpx.TimeoutException:
                problem = "the request timed out"
            except httpx.TransportError as error:
                problem = f"network error ({type(error).__name__})"
            else:
                if response.status_code == 200:
                    try:
                        return response.json()
                    except ValueError:
                        raise GuardianError("the Guardian API answered HTTP 200 with a body that is not JSON") from None
                message = _message(_json_or_none(response))
                if response.status_code == 400 and allow_past_end and message == _PAGE_BEYOND_END:
                    return None
                problem = f"HTTP {response.status_code}" + (f" ({message})" if message else "")
                if response.status_code not in _RETRIED_STATUSES:
                    hint = f"; check {API_KEY_VARIABLE}" if response.status_code in (401, 403) else ""
                    raise GuardianError(f"the Guardian API refused the request: {problem}{hint}")
                asked = retry_after_seconds(response.headers.get("Retry-After"))
                if asked is not None:
                    if asked > self._retry.max_delay:
                        raise GuardianError(
                            f"the Guardian API asks to wait {asked:.0f} s before the next request: {problem}; "
                            "the daily quota may be used up, try again later"
                        )
                    wait = asked
            if attempt == attempts:
                raise GuardianError(f"gave up after {attempts} attempts; the last one failed: {problem}")
            self._on_retry(f"{problem}; retrying in {wait:g} s (attempt {attempt + 1} of {attempts})")
            self._sleep(wait)
        raise AssertionError("unreachable")


def result_record(result: dict[str, Any]) -> dict[str, Any] | SourceError:
    """One search result → a JSON Lines record, or why it is skipped."""
    url = result.get("webUrl")
    fields = result.get("fields") if isinstance(result.get("fields"), dict) else {}
    if not isinstance(url, str) or not url:
        return SourceError("guardian", f"result {result.get('id')!r} has no webUrl")
    text = fields.get("bodyText")
    if not isinstance(text, str) or not text.strip():
        return SourceError(url, f"no body text (type {result.get('type', 'unknown')})")
    return {
        "id": url,
        "url": url,
        "title": fields.get("headline") or result.get("webTitle"),
        "published": result.get("webPublicationDate"),
        "publisher": PUBLISHER,
        "text": text,
        "byline": fields.get("byline"),
        "trail_text": fields.get("trailText"),
        "section": result.get("sectionName"),
        "guardian_id": result.get("id"),
        "type": result.get("type"),
    }


def fetch_to_jsonl(
    api: GuardianAPI,
    query: GuardianQuery,
    out: TextIO,
    *,
    on_page: Callable[[GuardianPage], None] = lambda page: None,
    on_skip: Callable[[SourceError], None] = lambda problem: None,
) -> FetchSummary:
    """Write every article of the search to ``out`` as JSON Lines, one complete line at a time.

    If the API fails midway, the lines already written stay valid and the
    :class:`GuardianError` propagates.
    """
    written = skipped = pages = 0
    seen: set[str] = set()
    try:
        for page in api.pages(query):
            pages += 1
            for result in page.results:
                record = result_record(result)
                if isinstance(record, SourceError):
                    skipped += 1
                    on_skip(record)
                    continue
                if record["id"] in seen:
                    continue  # the same article on two pages: results moved while paging
                seen.add(record["id"])
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
                written += 1
            on_page(page)
    except GuardianError as error:
        if written:
            raise GuardianError(f"{error} (the {written} articles written before are complete)") from None
        raise
    return FetchSummary(written=written, skipped=skipped, pages=pages, requests=api.requests)


def http_client(timeout: float) -> httpx.Client:
    """The HTTP client the command uses (a seam for tests, which give theirs a mock transport)."""
    return httpx.Client(timeout=timeout, headers={"User-Agent": "arcon-kg (https://w3id.org/arcon)"})


def _message(body: Any) -> str:
    """The human message of an API error body: ``response.message`` or the gateway's ``message``."""
    if isinstance(body, dict):
        inner = body.get("response")
        if isinstance(inner, dict) and isinstance(inner.get("message"), str):
            return inner["message"]
        if isinstance(body.get("message"), str):
            return body["message"]
    return ""


def _count(response: dict[str, Any], key: str, default: int) -> int:
    value = response.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise GuardianError(f"unexpected answer from the Guardian API: 'response.{key}' is {value!r}, not a number")
    return value


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _is_iso_date(value: str) -> bool:
    try:
        return dt.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False
