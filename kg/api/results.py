"""Turn a running query into an HTTP response: whole when small, streamed when large.

A result up to ``stream_threshold`` bytes is collected first, so every failure
(syntax, time-out, size limit) still gets its proper status code. A larger
result is streamed as it is produced; if it then fails (time-out, size limit),
the connection is aborted before the final chunk, so the client sees an
incomplete response instead of a truncated answer behind a 200.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from kg.api.negotiation import content_type
from kg.api.workers import PoolBusy, QueryTimeout, WorkerError

log = logging.getLogger("kg.api")


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """Errors are plain text that says what went wrong and where."""
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def worker_error_response(exc: Exception, timeout: float) -> Response:
    if isinstance(exc, QueryTimeout):
        return error_response(503, f"the query was stopped after the time limit of {timeout:g} s")
    if isinstance(exc, PoolBusy):
        return error_response(503, str(exc), {"Retry-After": "5"})
    if isinstance(exc, WorkerError):
        if exc.kind == "syntax":
            return error_response(400, f"malformed SPARQL: {exc}")
        if exc.kind == "too_large":
            return error_response(422, f"{exc}; add a LIMIT or ask the operator to raise max_result_bytes")
        if exc.kind == "store" and "another process" in str(exc):
            return error_response(503, str(exc), {"Retry-After": "5"})
        log.error("query failed: %s", exc)
        return error_response(500, f"the query failed: {exc}")
    raise exc


async def _until_disconnect(request: Request) -> None:
    """Return when the client goes away (the body was already read)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def _first(stream: AsyncIterator[tuple], request: Request, threshold: int) -> tuple[list[bytes], bool]:
    """Collect messages up to ``threshold`` bytes; (chunks, finished)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        msg = await stream.__anext__()
        chunks.append(msg[1])
        size += len(msg[1])
        if msg[0] == "end":
            return chunks, True
        if size >= threshold:
            return chunks, False


async def run_to_response(
    request: Request,
    stream: AsyncIterator[tuple],
    media_type: str,
    *,
    threshold: int,
    timeout: float,
    headers: dict[str, str] | None = None,
    head_only: bool = False,
) -> Response:
    """Answer ``request`` with the serialised result coming from ``stream``."""
    headers = {"Vary": "Accept", **(headers or {})}
    collect = asyncio.ensure_future(_first(stream, request, threshold))
    gone = asyncio.ensure_future(_until_disconnect(request))
    try:
        await asyncio.wait({collect, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
    if not collect.done():  # the client left: stop the work
        collect.cancel()
        await asyncio.gather(collect, return_exceptions=True)
        await stream.aclose()  # type: ignore[attr-defined]
        return error_response(499, "client closed the request")
    try:
        chunks, finished = collect.result()
    except (WorkerError, QueryTimeout, PoolBusy) as exc:
        return worker_error_response(exc, timeout)
    if finished:
        await stream.aclose()  # type: ignore[attr-defined]  # hands the worker back
        body = b"".join(chunks)
        if head_only:
            headers["Content-Length"] = str(len(body))
            return Response(b"", headers=headers, media_type=content_type(media_type))
        return Response(body, headers=headers, media_type=content_type(media_type))

    async def rest() -> AsyncIterator[bytes]:
        try:
            for chunk in chunks:
                yield chunk
            async for msg in stream:
                yield msg[1]
        except (WorkerError, QueryTimeout) as exc:
            log.warning("aborting a streamed response: %s", exc)
            raise  # uvicorn ends the connection without the last chunk
        finally:
            await stream.aclose()  # type: ignore[attr-defined]

    return StreamingResponse(rest(), headers=headers, media_type=content_type(media_type))
