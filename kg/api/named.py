"""Named queries over HTTP: ``/queries`` lists them, ``/queries/{name}`` runs one.

Each query becomes its own route, so the OpenAPI document shows its summary,
description and typed parameters. Parameter values are validated by
`kg.query.named` and bound as RDF terms by the store, never spliced into text.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import JSONResponse, Response

from kg.api.engine import Engine
from kg.api.negotiation import RESULT_FORMATS, NotAcceptable, choose
from kg.api.results import error_response, run_to_response
from kg.api.settings import Settings
from kg.api.workers import QueryJob
from kg.query.named import NamedQuery, NamedQueryError, load_all
from kg.store.base import Dataset

_SCHEMA = {
    "string": {"type": "string", "maxLength": 200},
    "country": {"type": "string", "pattern": "^[A-Za-z]{2}$"},
    "region": {"type": "string", "pattern": "^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$"},
    "year": {"type": "integer", "minimum": 1800, "maximum": 2099},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "date": {"type": "string", "format": "date"},
    "iri": {"type": "string", "format": "uri"},
}


def describe(q: NamedQuery, base: str) -> dict:
    return {
        "name": q.name,
        "summary": q.summary,
        "description": q.description,
        "tags": list(q.tags),
        "url": f"{base}queries/{q.name}",
        "params": [
            {
                "name": p.name,
                "type": p.type.name,
                "required": p.required,
                "description": p.description,
                "default": p.default,
                "example": p.example,
            }
            for p in q.params
        ],
        "sparql": q.sparql,
    }


def _openapi_parameters(q: NamedQuery) -> list[dict]:
    params = [
        {
            "name": p.name,
            "in": "query",
            "required": p.required,
            "description": (p.description or p.type.hint) + (f" (default {p.default})" if p.default else ""),
            "schema": dict(_SCHEMA[p.type.name], **({"enum": list(p.values)} if p.values else {})),
            **({"example": p.example} if p.example else {}),
        }
        for p in q.params
    ]
    params.append(
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "Result format (json, xml, csv, tsv); overrides the Accept header",
            "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv"]},
        }
    )
    return params


def add_routes(app: FastAPI, engine: Engine, settings: Settings) -> dict[str, NamedQuery]:
    """Register ``/queries`` and one route per named query; return the queries."""
    queries = load_all()

    @app.get("/queries", tags=["Named queries"], summary="List the named queries and their parameters")
    async def list_queries(request: Request) -> JSONResponse:
        base = str(request.base_url)
        return JSONResponse([describe(q, base) for q in queries.values()])

    def endpoint_for(q: NamedQuery):
        async def run(request: Request) -> Response:
            raw = {k: v for k, v in request.query_params.items() if k != "format"}
            try:
                bindings = q.bindings(raw)
            except NamedQueryError as exc:
                return error_response(400, str(exc))
            try:
                media_type = choose(request.headers.get("accept"), RESULT_FORMATS, request.query_params.get("format"))
            except NotAcceptable as exc:
                return error_response(406, str(exc))
            job = QueryJob(
                sparql=q.sparql,
                media_type=media_type,
                dataset=Dataset(union_default=settings.union_default_graph),
                bindings=bindings,
                max_bytes=settings.max_result_bytes,
            )
            return await run_to_response(
                request, engine.stream(job), media_type, threshold=settings.stream_threshold, timeout=settings.query_timeout
            )

        return run

    for q in queries.values():
        app.add_api_route(
            f"/queries/{q.name}",
            endpoint_for(q),
            methods=["GET"],
            name=f"query_{q.name}",
            summary=q.summary,
            description=q.description,
            tags=["Named queries", *q.tags],
            openapi_extra={"parameters": _openapi_parameters(q)},
            responses={200: {"content": {t: {} for t in RESULT_FORMATS}}},
        )

    @app.get("/queries/{name}", include_in_schema=False)
    async def unknown(name: str) -> Response:
        return error_response(404, f"no named query {name!r}; GET /queries lists them")

    return queries
