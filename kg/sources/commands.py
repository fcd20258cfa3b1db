"""`arcon fetch …`: download articles from news APIs into JSON Lines for `arcon ingest` / `arcon extract`."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from kg.sources import guardian
from kg.sources.errors import SourceError
from kg.sources.throttle import RateLimiter, RetryPolicy


@click.group()
def fetch() -> None:
    """Download articles from news APIs as JSON Lines."""


@fetch.command("guardian")
@click.option("--query", "-q", required=True, help='Search terms, e.g. "Peru cocaine" (the API\'s AND/OR/NOT and quotes work).')
@click.option("--from", "from_date", metavar="YYYY-MM-DD", help="Published on or after this date.")
@click.option("--to", "to_date", metavar="YYYY-MM-DD", help="Published on or before this date.")
@click.option("--section", help="Only this Guardian section, e.g. world.")
@click.option(
    "--out", "-o", type=click.File("w", encoding="utf-8", lazy=True), default="-", show_default="stdout",
    help="JSON Lines file to write.",
)
@click.option("--page-size", type=int, default=50, show_default=True, help=f"Results per request (1–{guardian.MAX_PAGE_SIZE}).")
@click.option("--max-pages", type=int, help="Stop after this many pages (each page is one request of the daily quota).")
@click.option("--rate", type=float, default=guardian.DEFAULT_RATE, show_default=True, help="Requests per second at most.")
@click.option("--retries", type=int, default=5, show_default=True, help="Attempts per request on HTTP 429, 5xx or timeouts.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds to wait for one answer.")
def guardian_command(
    query: str,
    from_date: str | None,
    to_date: str | None,
    section: str | None,
    out: click.utils.LazyFile,
    page_size: int,
    max_pages: int | None,
    rate: float,
    retries: int,
    timeout: float,
) -> None:
    """Search the Guardian Open Platform and write the articles as JSON Lines.

    The API key is read from the GUARDIAN_API_KEY environment variable.

    \b
    Example:
      arcon fetch guardian --query "Peru cocaine" --from 2013-01-01 --to 2013-12-31 --out guardian-2013.jsonl
    """
    console = Console(stderr=True, soft_wrap=True)  # messages stay one line each
    try:
        search = guardian.GuardianQuery(
            q=query, from_date=from_date, to_date=to_date, section=section, page_size=page_size, max_pages=max_pages
        )
        if rate <= 0:
            raise guardian.GuardianError(f"--rate must be a positive number of requests per second, got {rate}")
        if retries < 1:
            raise guardian.GuardianError(f"--retries must be at least 1, got {retries}")
        api_key = guardian.api_key_from_environment()
        progress = Progress(
            TextColumn("[bold]Guardian[/] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("pages"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        )
        with guardian.http_client(timeout) as http, progress:
            task = progress.add_task(repr(query), total=None)

            def on_page(page: guardian.GuardianPage) -> None:
                total = min(page.pages, max_pages) if max_pages else page.pages
                progress.update(task, completed=page.number, total=max(total, page.number))

            def on_skip(problem: SourceError) -> None:
                progress.console.print(f"skipped {problem}", highlight=False, markup=False)

            api = guardian.GuardianAPI(
                api_key,
                http,
                limiter=RateLimiter(rate),
                retry=RetryPolicy(attempts=retries),
                on_retry=lambda message: progress.console.print(message, highlight=False, markup=False),
            )
            summary = guardian.fetch_to_jsonl(api, search, out, on_page=on_page, on_skip=on_skip)
    except guardian.GuardianError as error:
        raise click.ClickException(str(error)) from None
    finally:
        if out.name != "-":
            out.close()
    destination = "stdout" if out.name == "-" else out.name
    console.print(
        f"wrote {summary.written} articles to {destination} "
        f"({summary.pages} pages, {summary.requests} requests, {summary.skipped} skipped without body text)",
        highlight=False,
        markup=False,
    )
