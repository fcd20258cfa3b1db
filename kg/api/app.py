"""`create_app`: the ARCON HTTP API over one dataset.

The dataset is a parameter (a store folder or an `Engine`), never a global, so
a later step can mount one app per access level or over a remote store.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import Response

from kg.api import graph_store, linked_data, named, sparql, ui
from kg.api.describe import void_description
from kg.api.engine import EmbeddedEngine, Engine
from kg.api.limits import BodyLimitMiddleware
from kg.api.negotiation import NotAcceptable, choose, content_type
from kg.api.results import error_response, worker_error_response
from kg.api.settings import Settings
from kg.api.workers import PoolBusy, QueryTimeout, WorkerError

VOID_FORMATS = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")
_RDFLIB = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/n-triples": "nt", "application/ld+json": "json-ld"}


def create_app(data: str | os.PathLike[str] | Engine, settings: Settings | None = None) -> FastAPI:
    """The API over ``data``: a store folder (served through worker processes) or an engine."""
    settings = settings or Settings.from_env()
    engine: Engine = EmbeddedEngine(data, settings) if isinstance(data, (str, os.PathLike)) else data

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await engine.start()
        try:
            yield
        finally:
            await engine.close()

    app = FastAPI(
        title=settings.title,
        description="SPARQL 1.1 endpoint, Graph Store, named queries and linked-data pages over the ARCON knowledge graph.",
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.settings = settings
    app.include_router(sparql.router(engine, settings))
    app.include_router(graph_store.router(engine, settings))
    queries = named.add_routes(app, engine, settings)
    ui.add_routes(app, queries)
    app.include_router(linked_data.router(engine, settings))

    @app.get("/.well-known/void", tags=["Metadata"], summary="VoID description of the dataset")
    async def void(request: Request) -> Response:
        try:
            media_type = choose(request.headers.get("accept"), VOID_FORMATS, request.query_params.get("format"))
        except NotAcceptable as exc:
            return error_response(406, str(exc))
        try:
            stats = await engine.call("void_stats")
        except (WorkerError, QueryTimeout, PoolBusy) as exc:
            return worker_error_response(exc, settings.query_timeout)
        _, created = engine.version()
        endpoint = sparql.endpoint_url(request, settings)
        graph = void_description(
            sparql.endpoint_url(request, settings, ".well-known/void") + "#dataset",
            endpoint=endpoint,
            title=settings.title,
            license=settings.license,
            modified=created,
            stats=stats,
        )
        body = graph.serialize(format=_RDFLIB[media_type], encoding="utf-8")
        return Response(body, media_type=content_type(media_type), headers={"Vary": "Accept"})

    # Outermost first: the size limit sees the raw body, gzip wraps every response.
    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_min_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=list(settings.cors_methods),
            allow_headers=["Accept", "Content-Type", "Authorization"],
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    return app
