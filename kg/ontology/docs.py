"""``arcon ontology docs``: browsable HTML documentation of the ontology.

The TBox page is made by pyLODE (its OntPub profile documents classes and
properties). pyLODE has no page type for SKOS concepts or individuals, so the
concept schemes and the reference individuals get a plain page each from
:func:`term_page`, generic over whatever the module states; ``index.html``
links them all.
"""

from __future__ import annotations

import html
import logging
from collections import defaultdict
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.ontology.files import TBOX_IRI, Module, modules, parse_file
from kg.ontology.rules import short

_FIRST = (RDF.type, RDFS.label, SKOS.definition, SKOS.altLabel)
_HIDDEN = {(RDF.type, OWL.NamedIndividual)}


def write_docs(out: Path, directory: Path | None = None) -> list[Path]:
    """Write ``index.html`` and one page per module into ``out``; return the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    entries = []
    for module in modules(directory):
        graph = parse_file(module.path)
        page = out / f"{module.path.stem}.html"
        if module.iri == TBOX_IRI:
            page.write_text(tbox_page(graph), encoding="utf-8")
        else:
            page.write_text(term_page(module, graph), encoding="utf-8")
        written.append(page)
        entries.append((module, graph, page.name))
    index = out / "index.html"
    index.write_text(index_page(entries), encoding="utf-8")
    return [index, *written]


def tbox_page(graph: Graph) -> str:
    """pyLODE's OntPub rendering of the TBox, in English.

    pyLODE joins the labels of all languages into one heading ("policíapolice"),
    so it gets the English (and untagged) literals only; the Spanish labels are on
    the module pages and in the Turtle.
    """
    from pylode import OntPub  # imported here: pyLODE is slow to import

    logging.getLogger().setLevel(logging.WARNING)  # pyLODE logs its progress at INFO on the root logger
    english = Graph()  # a copy also because OntPub adds inferred triples to the graph it is given
    for triple in graph:
        value = triple[2]
        if not isinstance(value, Literal) or value.language in (None, "en"):
            english.add(triple)
    return OntPub(ontology=english, sort_subjects=True).make_html()


def _text(graph: Graph, subject: object, predicate: URIRef, lang: str = "en") -> str:
    values = [v for v in graph.objects(subject, predicate) if isinstance(v, Literal)]
    preferred = [v for v in values if v.language == lang] or values
    return str(preferred[0]) if preferred else ""


def _render(value: object, graph: Graph) -> str:
    if isinstance(value, Literal):
        tag = f' <small>@{value.language}</small>' if value.language else ""
        return html.escape(str(value)) + tag
    if isinstance(value, URIRef):
        label = _text(graph, value, RDFS.label)
        anchor = f"#{html.escape(short(str(value)))}" if (value, RDFS.label, None) in graph else html.escape(str(value))
        shown = html.escape(label or short(str(value)))
        return f'<a href="{anchor}" title="{html.escape(str(value))}">{shown}</a>'
    return html.escape(str(value))


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
        "section{border-top:1px solid #ccc;padding:.5em 0}dt{font-weight:bold;color:#555}"
        "dd{margin:0 0 .4em 1.5em}code{color:#735}</style></head><body>"
        f"<p><a href=\"index.html\">ARCON ontology</a></p>{body}</body></html>\n"
    )


def term_page(module: Module, graph: Graph) -> str:
    """One section per subject of the module: its label, IRI and every statement about it."""
    header = URIRef(module.iri)
    title = _text(graph, header, DCTERMS.title)
    parts = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p><code>{html.escape(module.iri)}</code> — <code>{html.escape(module.path.name)}</code></p>",
        f"<p>{html.escape(_text(graph, header, DCTERMS.description))}</p>",
    ]
    subjects = sorted(
        {s for s in graph.subjects() if isinstance(s, URIRef) and s != header and (s, RDFS.label, None) in graph},
        key=lambda s: _text(graph, s, RDFS.label).casefold(),
    )
    parts.append(f"<p>{len(subjects)} terms.</p>")
    for subject in subjects:
        statements: dict[URIRef, list[object]] = defaultdict(list)
        for predicate, value in graph.predicate_objects(subject):
            if (predicate, value) not in _HIDDEN:
                statements[predicate].append(value)
        order = [p for p in _FIRST if p in statements] + sorted(set(statements) - set(_FIRST), key=str)
        rows = "".join(
            f"<dt>{html.escape(short(str(p)))}</dt>"
            + "".join(f"<dd>{_render(v, graph)}</dd>" for v in sorted(statements[p], key=str))
            for p in order
        )
        name = short(str(subject))
        parts.append(
            f'<section id="{html.escape(name)}"><h2>{html.escape(_text(graph, subject, RDFS.label))}</h2>'
            f"<p><code>{html.escape(str(subject))}</code></p><dl>{rows}</dl></section>"
        )
    return _page(title, "".join(parts))


def index_page(entries: list[tuple[Module, Graph, str]]) -> str:
    items = "".join(
        f'<li><a href="{html.escape(page)}">{html.escape(_text(graph, URIRef(module.iri), DCTERMS.title))}</a> '
        f"(<code>{html.escape(module.path.name)}</code>): "
        f"{html.escape(_text(graph, URIRef(module.iri), DCTERMS.description))}</li>"
        for module, graph, page in entries
    )
    return _page("ARCON ontology", f"<h1>ARCON ontology</h1><ul>{items}</ul>")
