"""SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graphs``.

Graphs are named indirectly (``/rdf-graphs?graph=<IRI>``, ``/rdf-graphs?default``)
or directly (``/rdf-graphs/some/path``, whose graph IRI is that URL). ``?default``
is the store's own default graph, not the union that queries see by default.
Reads are open; PUT, POST and DELETE need the update token, like SPARQL Update.
"""

from __future__ import annotations

import email.parser
import email.policy
import uuid

import pyoxigraph as ox
from fastapi import APIRouter, Request
from starlette.responses import Response

from kg.api.engine import Engine
from kg.api.negotiation import GRAPH_FORMATS, NotAcceptable, choose
from kg.api.protocol import ProtocolError, parse_params, split_media_type
from kg.api.results import error_response, run_to_response, worker_error_response
from kg.api.settings import Settings
from kg.api.sparql import check_token, endpoint_url
from kg.api.workers import PoolBusy, QueryJob, QueryTimeout, WorkerError, WriteJob
from kg.store.base import Dataset

_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
#: What a client may upload (media type -> the one pyoxigraph knows).
UPLOAD_TYPES = {
    "text/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "application/n-triples": "application/n-triples",
    "text/plain": "application/n-triples",
    "application/rdf+xml": "application/rdf+xml",
    "application/ld+json": "application/ld+json",
    "text/n3": "text/n3",
}


def target_graph(request: Request, settings: Settings, path: str | None) -> str | None:
    """The graph a request names: an IRI, or None for the default graph."""
    if path:
        return endpoint_url(request, settings, "rdf-graphs/" + path)
    params = parse_params(request.scope.get("query_string", b""))
    if "default" in params and "graph" in params:
        raise ProtocolError(400, "name either ?graph=<IRI> or ?default, not both")
    if "default" in params:
        return None
    graphs = params.get("graph")
    if not graphs:
        raise ProtocolError(400, "name a graph with ?graph=<IRI> or ?default")
    if len(graphs) > 1:
        raise ProtocolError(400, "name exactly one graph")
    try:
        ox.NamedNode(graphs[0])
    except ValueError as exc:
        raise ProtocolError(400, f"graph={graphs[0]!r} is not an absolute IRI: {exc}") from exc
    return graphs[0]


def upload_as_ntriples(content_type: str | None, body: bytes, base: str | None) -> tuple[bytes, str]:
    """The uploaded RDF (one document, or several in multipart/form-data) and its media type."""
    mime, params = split_media_type(content_type)
    if mime == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        if not message.is_multipart():
            raise ProtocolError(400, "the multipart/form-data body has no parts")
        lines = []
        for part in message.iter_parts():
            part_type = UPLOAD_TYPES.get(part.get_content_type())
            if part_type is None:
                raise ProtocolError(415, f"part {part.get_filename()!r} has unsupported type {part.get_content_type()}")
            try:
                for quad in ox.parse(part.get_payload(decode=True), ox.RdfFormat.from_media_type(part_type), base_iri=base):
                    lines.append(f"{quad.subject} {quad.predicate} {quad.object} .")
            except SyntaxError as exc:
                raise ProtocolError(400, f"part {part.get_filename()!r} is not valid {part_type}: {exc}") from exc
        return "\n".join(lines).encode(), "application/n-triples"
    if mime not in UPLOAD_TYPES:
        raise ProtocolError(415, f"cannot read {mime or 'a body without Content-Type'}; send one of {', '.join(UPLOAD_TYPES)}")
    charset = params.get("charset")
    if charset and charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, "RDF must be sent as UTF-8")
    return body, UPLOAD_TYPES[mime]


def router(engine: Engine, settings: Settings) -> APIRouter:
    r = APIRouter(tags=["Graph Store HTTP Protocol"])

    async def read_graph(request: Request, graph: str | None) -> Response:
        try:
            media_type = choose(request.headers.get("accept"), GRAPH_FORMATS[:4], request.query_params.get("format"))
        except NotAcceptable as exc:
            return error_response(406, str(exc))
        try:
            if graph is not None and not await engine.call("has_graph", graph):
                return error_response(404, f"no graph <{graph}> in the store")
        except (WorkerError, QueryTimeout, PoolBusy) as exc:
            return worker_error_response(exc, settings.query_timeout)
        dataset = Dataset(default_graphs=(graph,)) if graph else Dataset(union_default=False)
        job = QueryJob(sparql=_ALL, media_type=media_type, dataset=dataset, max_bytes=settings.max_result_bytes)
        return await run_to_response(
            request,
            engine.stream(job),
            media_type,
            threshold=settings.stream_threshold,
            timeout=settings.query_timeout,
            head_only=request.method == "HEAD",
        )

    async def write_graph(request: Request, graph: str | None, path: str | None) -> Response:
        refused = check_token(request, settings)
        if refused is not None:
            return refused
        created_iri = None
        if request.method == "POST" and graph is None and not path and "default" not in request.query_params:
            created_iri = endpoint_url(request, settings, f"rdf-graphs/{uuid.uuid4()}")
            graph = created_iri
        try:
            if request.method == "DELETE":
                result = await engine.write(WriteJob(op="delete_graph", graph=graph))
                if not result["existed"]:
                    return error_response(404, f"no graph <{graph}> in the store")
                return Response(status_code=204)
            data, media_type = upload_as_ntriples(request.headers.get("content-type"), await request.body(), graph)
            op = "replace_graph" if request.method == "PUT" else "add_to_graph"
            result = await engine.write(WriteJob(op=op, graph=graph, data=data, media_type=media_type))
        except ProtocolError as exc:
            return error_response(exc.status, exc.message)
        except WorkerError as exc:
            if exc.kind == "syntax":
                return error_response(400, f"malformed RDF: {exc}")
            return worker_error_response(exc, settings.query_timeout)
        except (QueryTimeout, PoolBusy) as exc:
            return worker_error_response(exc, settings.query_timeout)
        if created_iri:
            return Response(status_code=201, headers={"Location": created_iri})
        return Response(status_code=204 if result["existed"] else 201)

    async def handle(request: Request, path: str | None = None) -> Response:
        try:
            graph = target_graph(request, settings, path) if path or request.method != "POST" or request.query_params else None
        except ProtocolError as exc:
            return error_response(exc.status, exc.message)
        if request.method in ("GET", "HEAD"):
            return await read_graph(request, graph)
        return await write_graph(request, graph, path)

    methods = ["GET", "HEAD", "PUT", "POST", "DELETE"]

    @r.api_route("/rdf-graphs", methods=methods, summary="Graph Store: ?graph=<IRI> or ?default")
    async def indirect(request: Request) -> Response:
        return await handle(request)

    @r.api_route("/rdf-graphs/{path:path}", methods=methods, summary="Graph Store: the graph named by this URL")
    async def direct(request: Request, path: str) -> Response:
        return await handle(request, path)

    return r
