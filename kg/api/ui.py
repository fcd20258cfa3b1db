"""The query page at ``/``: YASGUI (from npm, served from this package) with the named queries as examples.

The YASGUI files are copied into ``kg/api/static/vendor/`` by ``make venv``
(``npm ci``); they are never committed and never loaded from a CDN.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from kg.query.named import NamedQuery

STATIC = Path(__file__).with_name("static")
VENDOR = STATIC / "vendor" / "yasgui"
_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=select_autoescape(["html"]))


def example_text(q: NamedQuery) -> str:
    """The query with its example values as a trailing VALUES block, runnable as plain SPARQL."""
    named = [p for p in q.params if p.example or p.default]
    if not named:
        return q.sparql
    head = " ".join(f"?{p.name}" for p in named)
    values = []
    for p in named:
        v = p.example or p.default or ""
        values.append(v if p.type.name in ("year", "integer", "decimal") else f"<{v}>" if p.type.name == "iri" else f'"{v}"')
    return f"{q.sparql.rstrip()}\nVALUES ({head}) {{ ({' '.join(values)}) }}\n"


def add_routes(app: FastAPI, queries: dict[str, NamedQuery]) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    examples = [
        {"summary": q.summary, "description": q.description, "example": example_text(q)}
        for q in queries.values()
        if all(p.example or p.default or not p.required for p in q.params)
    ]

    @app.get("/", include_in_schema=False)
    async def index() -> Response:
        if not (VENDOR / "yasgui.min.js").is_file():
            return HTMLResponse(
                "<h1>Query page not installed</h1><p>YASGUI is missing from kg/api/static/vendor/; "
                "run <code>make venv</code> (it runs <code>npm ci</code>). The endpoint itself works at "
                "<a href='/sparql'>/sparql</a>.</p>",
                status_code=503,
            )
        return HTMLResponse(_TEMPLATES.get_template("index.html").render(queries=examples))
