"""Pacing requests to a rate-limited API: a client-side rate limiter and a retry policy.

Both take the clock and the sleep function as values, so tests can run a day of
pacing in microseconds and assert exactly how long the client would have waited.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class RateLimiter:
    """At most ``rate`` requests per second: :meth:`wait` sleeps until ``1/rate`` s have passed since the last request."""

    rate: float
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _last: float | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not self.rate > 0:
            raise ValueError(f"rate must be a positive number of requests per second, got {self.rate}")

    def wait(self) -> None:
        """Call just before each request."""
        if self._last is not None:
            delay = self._last + 1.0 / self.rate - self.clock()
            if delay > 0:
                self.sleep(delay)
        self._last = self.clock()


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a request that failed for a passing reason (429, 5xx, timeout).

    Waits ``backoff``, ``2 × backoff``, ``4 × backoff``… seconds, at most
    ``max_delay``; a server's ``Retry-After`` replaces the computed wait, and a
    ``Retry-After`` longer than ``max_delay`` ends the retries (a daily quota
    will not come back in a minute).
    """

    attempts: int = 5
    backoff: float = 2.0
    max_delay: float = 120.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"attempts must be at least 1, got {self.attempts}")

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return min(self.backoff * 2 ** (attempt - 1), self.max_delay)


def retry_after_seconds(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """The wait a ``Retry-After`` header asks for (delta-seconds or an HTTP date), else None."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now())
