"""The SPARQL 1.1 Protocol endpoint: ``/sparql`` (query and update) and ``/update``."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from starlette.responses import Response

from kg.api.describe import service_description
from kg.api.engine import Engine
from kg.api.negotiation import GRAPH_FORMATS, RESULT_FORMATS, NotAcceptable, choose, content_type
from kg.api.protocol import Operation, ProtocolError, apply_update_dataset, read_operation
from kg.api.results import error_response, run_to_response, worker_error_response
from kg.api.settings import Settings
from kg.api.workers import PoolBusy, QueryJob, QueryTimeout, WorkerError, WriteJob
from kg.store.base import Dataset
from kg.store.sparql_text import query_form

SD_FORMATS = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")


def endpoint_url(request: Request, settings: Settings, path: str = "sparql") -> str:
    base = settings.public_url.rstrip("/") + "/" if settings.public_url else str(request.base_url)
    return base + path


def check_token(request: Request, settings: Settings) -> Response | None:
    """None when the request may write; else the 401/403 to answer."""
    if not settings.update_token:
        return error_response(403, "this endpoint is read-only: the operator has configured no update token")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return error_response(401, "updates need 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(token.strip().encode(), settings.update_token.encode()):
        return error_response(
            401, "the update token is not valid", {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        )
    return None


def _format_param(op: Operation) -> str | None:
    values = op.params.get("format") or op.params.get("output")
    return values[0] if values else None


async def answer_query(request: Request, engine: Engine, settings: Settings, op: Operation) -> Response:
    form = query_form(op.text) or "SELECT"
    offers = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else RESULT_FORMATS
    try:
        media_type = choose(request.headers.get("accept"), offers, _format_param(op))
    except NotAcceptable as exc:
        return error_response(406, str(exc))
    dataset = Dataset(
        default_graphs=op.default_graphs, named_graphs=op.named_graphs, union_default=settings.union_default_graph
    )
    job = QueryJob(
        sparql=op.text,
        media_type=media_type,
        dataset=dataset,
        base_iri=endpoint_url(request, settings),
        max_bytes=settings.max_result_bytes,
    )
    return await run_to_response(
        request,
        engine.stream(job),
        media_type,
        threshold=settings.stream_threshold,
        timeout=settings.query_timeout,
        head_only=request.method == "HEAD",
    )


async def answer_update(request: Request, engine: Engine, settings: Settings, op: Operation) -> Response:
    refused = check_token(request, settings)
    if refused is not None:
        return refused
    text = apply_update_dataset(op.text, op.default_graphs, op.named_graphs)
    try:
        await engine.write(WriteJob(op="update", sparql=text, base_iri=endpoint_url(request, settings)))
    except (WorkerError, QueryTimeout, PoolBusy) as exc:
        return worker_error_response(exc, settings.query_timeout)
    return Response(status_code=204)


def describe_service(request: Request, settings: Settings) -> Response:
    try:
        media_type = choose(request.headers.get("accept"), SD_FORMATS)
    except NotAcceptable as exc:
        return error_response(406, str(exc))
    graph = service_description(
        endpoint_url(request, settings),
        updates=bool(settings.update_token),
        union_default=settings.union_default_graph,
        void_url=endpoint_url(request, settings, ".well-known/void"),
        result_types=RESULT_FORMATS + GRAPH_FORMATS,
    )
    fmt = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/n-triples": "nt", "application/ld+json": "json-ld"}
    body = graph.serialize(format=fmt[media_type], encoding="utf-8")
    return Response(body, media_type=content_type(media_type), headers={"Vary": "Accept"})


def router(engine: Engine, settings: Settings) -> APIRouter:
    r = APIRouter(tags=["SPARQL 1.1 Protocol"])

    async def read(request: Request) -> Operation | Response:
        body = await request.body() if request.method == "POST" else b""
        try:
            return read_operation(
                request.method, request.headers.get("content-type"), request.scope.get("query_string", b""), body
            )
        except ProtocolError as exc:
            return error_response(exc.status, exc.message)

    @r.api_route(
        "/sparql",
        methods=["GET", "POST", "HEAD"],
        summary="SPARQL 1.1 query and update",
        description=(
            "Query with GET `?query=`, a form POST (`query=`) or a POST of `application/sparql-query`; "
            "update with a form POST (`update=`) or `application/sparql-update` and a bearer token. "
            "Without a query, GET returns the SPARQL Service Description."
        ),
    )
    async def sparql(request: Request) -> Response:
        op = await read(request)
        if isinstance(op, Response):
            return op
        try:
            if op.kind == "none":
                return describe_service(request, settings)
            if op.kind == "update":
                return await answer_update(request, engine, settings, op)
            return await answer_query(request, engine, settings, op)
        except ProtocolError as exc:
            return error_response(exc.status, exc.message)

    @r.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
    async def wrong_method(request: Request) -> Response:
        return error_response(405, f"{request.method} is not a SPARQL protocol method; use GET or POST", {"Allow": "GET, POST, HEAD"})

    @r.post("/update", summary="SPARQL 1.1 update (bearer token required)")
    async def update(request: Request) -> Response:
        op = await read(request)
        if isinstance(op, Response):
            return op
        if op.kind != "update":
            return error_response(400, "/update takes updates only ('update=' or application/sparql-update); query at /sparql")
        try:
            return await answer_update(request, engine, settings, op)
        except ProtocolError as exc:
            return error_response(exc.status, exc.message)

    return r
