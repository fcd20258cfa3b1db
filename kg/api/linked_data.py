"""Linked data: every IRI under ``{base}id/`` dereferences on this server; the ontology at ``/ontology``.

IRI policy (303, "httpRange-14"): an entity, claim or article IRI names a thing,
not a web page, so ``GET /id/{path}`` answers **303 See Other** pointing to a
document about it: ``/page/{path}`` (HTML) or ``/data/{path}.{ttl,jsonld,rdf,nt}``
(RDF), chosen by the Accept header. The ontology uses hash IRIs
(``…/ontology#Claim``), so ``/ontology`` serves the document itself.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Graph, URIRef
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kg.api.engine import Engine
from kg.api.negotiation import EXTENSIONS, NotAcceptable, choose, content_type
from kg.api.results import error_response, run_to_response, worker_error_response
from kg.api.settings import Settings
from kg.api.workers import PoolBusy, QueryJob, QueryTimeout, WorkerError
from kg.namespaces import PREFIXES
from kg.resources import ontology_dir
from kg.store.base import Dataset

DOC_FORMATS = ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")
BY_EXTENSION = {EXTENSIONS[m]: m for m in DOC_FORMATS if m != "text/html"}

_DESCRIBE = "CONSTRUCT { ?this ?p ?o . ?s ?q ?this } WHERE { { ?this ?p ?o } UNION { ?s ?q ?this } }"
# One label per thing, chosen the same way every time: English if there is one, then the smallest.
_PREFERRED = 'SUBSTR(MIN(CONCAT(IF(LANGMATCHES(LANG({v}), "en"), "0", "1"), STR({v}))), 2)'
_FACTS = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?this ?p ?o (LANG(?o) AS ?lang) ({_PREFERRED.format(v="?l")} AS ?oLabel)
WHERE {{ ?this ?p ?o OPTIONAL {{ ?o rdfs:label ?l }} }}
GROUP BY ?this ?p ?o ORDER BY ?p ?o LIMIT 500"""
_CLAIMS = """PREFIX arcon: <https://w3id.org/arcon/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?this ?claim ?direction ?relation ?other (""" + _PREFERRED.format(v="?ol") + """ AS ?otherLabel) ?status ?sentence ?article
       (SAMPLE(?t) AS ?title) (SAMPLE(?u) AS ?url) (SAMPLE(?d) AS ?issued)
WHERE {
  VALUES (?thisRole ?otherRole ?direction) { (arcon:subject arcon:object "out") (arcon:object arcon:subject "in") }
  ?claim ?thisRole ?this ; ?otherRole ?other ; arcon:relation ?relation ; arcon:status ?status ;
         arcon:sentence ?s ; arcon:article ?article .
  ?s arcon:text ?sentence .
  OPTIONAL { ?other rdfs:label ?ol } OPTIONAL { ?article dcterms:title ?t }
  OPTIONAL { ?article arcon:url ?u } OPTIONAL { ?article dcterms:issued ?d }
}
GROUP BY ?this ?claim ?direction ?relation ?other ?status ?sentence ?article
ORDER BY ?direction ?relation ?other LIMIT 500"""
_INCOMING = """PREFIX arcon: <https://w3id.org/arcon/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?this ?s ?p (""" + _PREFERRED.format(v="?l") + """ AS ?sLabel) WHERE {
  ?s ?p ?this OPTIONAL { ?s rdfs:label ?l }
  FILTER(?p NOT IN (arcon:subject, arcon:object))
} GROUP BY ?this ?s ?p ORDER BY ?p ?s LIMIT 200"""

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=select_autoescape(["html"])
)


def compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


async def select(engine: Engine, sparql: str, bindings: dict, settings: Settings) -> list[dict[str, str]]:
    """Run a SELECT in a worker and return rows of plain strings."""
    job = QueryJob(
        sparql=sparql,
        media_type="application/sparql-results+json",
        dataset=Dataset(union_default=settings.union_default_graph),
        bindings=bindings,
        max_bytes=settings.max_result_bytes,
    )
    body = b""
    async for msg in engine.stream(job):
        body += msg[1]
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(body)["results"]["bindings"]]


@lru_cache(maxsize=1)
def ontology_graph(folder: str) -> Graph:
    g = Graph()
    for path in sorted(Path(folder).glob("*.ttl")):
        g.parse(path, format="turtle")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def router(engine: Engine, settings: Settings) -> APIRouter:
    r = APIRouter(tags=["Linked data"])
    base = settings.iri_base + "id/"

    def local(iri: str) -> str | None:
        """This server's /id/ path for an IRI under the data base, else None."""
        return "/id/" + iri[len(base) :] if iri.startswith(base) else None

    def thing(path: str) -> URIRef | None:
        try:
            return URIRef(ox.NamedNode(base + path).value)
        except ValueError:
            return None

    @r.get("/id/{path:path}", summary="Dereference an entity, claim or article IRI (303 to a page or data)")
    async def dereference(request: Request, path: str) -> Response:
        try:
            media_type = choose(request.headers.get("accept"), DOC_FORMATS, request.query_params.get("format"))
        except NotAcceptable as exc:
            return error_response(406, str(exc))
        target = f"/page/{path}" if media_type == "text/html" else f"/data/{path}.{EXTENSIONS[media_type]}"
        return RedirectResponse(target, status_code=303, headers={"Vary": "Accept"})

    @r.get("/data/{path:path}", summary="RDF description of a thing: its triples, in and out")
    async def data(request: Request, path: str) -> Response:
        stem, _, ext = path.rpartition(".")
        media_type = BY_EXTENSION.get(ext)
        iri = thing(stem) if media_type else None
        if iri is None:
            return error_response(404, f"use /data/<path>.<{'|'.join(BY_EXTENSION)}>")
        job = QueryJob(
            sparql=_DESCRIBE,
            media_type=media_type,
            dataset=Dataset(union_default=settings.union_default_graph),
            bindings={"this": iri},
            max_bytes=settings.max_result_bytes,
        )
        response = await run_to_response(
            request, engine.stream(job), media_type, threshold=settings.stream_threshold, timeout=settings.query_timeout
        )
        if response.status_code == 200 and getattr(response, "body", b"x").strip() in (b"", b"[]"):
            return error_response(404, f"nothing is known about <{iri}>")
        return response

    @r.get("/page/{path:path}", summary="HTML page about a thing: label, types, aliases, claims with evidence")
    async def page(request: Request, path: str) -> Response:
        iri = thing(path)
        if iri is None:
            return error_response(404, "not an IRI under this server's base")
        try:
            facts = await select(engine, _FACTS, {"this": iri}, settings)
            claims = await select(engine, _CLAIMS, {"this": iri}, settings)
            incoming = await select(engine, _INCOMING, {"this": iri}, settings)
        except (WorkerError, QueryTimeout, PoolBusy) as exc:
            return worker_error_response(exc, settings.query_timeout)
        if not facts and not claims and not incoming:
            return HTMLResponse(f"<h1>Not found</h1><p>Nothing is known about {iri}.</p>", status_code=404)
        label_p = "http://www.w3.org/2000/01/rdf-schema#label"
        alias_p = "http://www.w3.org/2004/02/skos/core#altLabel"
        type_p = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        named = sorted((f.get("lang") != "en", f["o"]) for f in facts if f["p"] == label_p)  # English first
        labels = [name for _, name in named]
        html = _TEMPLATES.get_template("entity.html").render(
            iri=str(iri),
            label=labels[0] if labels else compact(str(iri)),
            labels=labels,
            aliases=sorted({f["o"] for f in facts if f["p"] == alias_p}),
            types=sorted({compact(f["o"]) for f in facts if f["p"] == type_p}),
            facts=[f for f in facts if f["p"] not in (label_p, alias_p, type_p)],
            claims=claims,
            incoming=incoming,
            compact=compact,
            local=local,
            data_links={ext: f"/data/{path}.{ext}" for ext in BY_EXTENSION},
        )
        return HTMLResponse(html)

    @r.get("/ontology", summary="The ARCON ontology (Turtle, RDF/XML, JSON-LD, N-Triples or HTML)")
    async def ontology(request: Request) -> Response:
        try:
            media_type = choose(request.headers.get("accept"), DOC_FORMATS, request.query_params.get("format"))
        except NotAcceptable as exc:
            return error_response(406, str(exc))
        try:
            folder = ontology_dir()
        except FileNotFoundError as exc:
            return error_response(404, str(exc))
        g = ontology_graph(str(folder))
        if media_type == "text/html":
            return HTMLResponse(_TEMPLATES.get_template("ontology.html").render(terms=_terms(g), compact=compact))
        fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/rdf+xml": "xml", "application/n-triples": "nt"}
        return Response(
            g.serialize(format=fmt[media_type], encoding="utf-8"),
            media_type=content_type(media_type),
            headers={"Vary": "Accept"},
        )

    return r


def _terms(g: Graph) -> list[dict]:
    """Classes and properties of the ontology with their labels and definitions, for the HTML docs."""
    rows = g.query(
        """PREFIX owl: <http://www.w3.org/2002/07/owl#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?term ?kind (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?definition) (SAMPLE(?sup) AS ?parent) WHERE {
          VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
          ?term a ?kind . FILTER(isIRI(?term))
          OPTIONAL { ?term rdfs:label ?l FILTER(LANGMATCHES(LANG(?l), "en")) }
          OPTIONAL { ?term skos:definition ?d }
          OPTIONAL { ?term rdfs:subClassOf|rdfs:subPropertyOf ?sup FILTER(isIRI(?sup)) }
        } GROUP BY ?term ?kind ORDER BY ?kind ?term"""
    )
    return [
        {"iri": str(r.term), "kind": str(r.kind).rsplit("#", 1)[1], "label": str(r.label or ""),
         "definition": str(r.definition or ""), "parent": str(r.parent or "")}
        for r in rows
    ]
