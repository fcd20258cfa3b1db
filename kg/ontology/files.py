"""The ontology modules on disk: which files, which ontology IRIs, parsed how.

Every ``*.ttl`` file in the ontology folder is one OWL ontology (one
``owl:Ontology`` header) and must be listed in ``catalog-v001.xml``, the file
Protégé uses to resolve ``owl:imports`` offline. Parse errors are turned into an
:class:`OntologyError` whose message starts with ``file:line`` so that an editor
can jump to the mistake.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from kg.resources import ontology_dir

CATALOG = "catalog-v001.xml"
#: The ontology that holds the classes and properties (its file is loaded first).
TBOX_IRI = "https://w3id.org/arcon/ontology"
#: The module of reference individuals, stored in its own named graph.
REFERENCE_IRI = "https://w3id.org/arcon/reference"

_CATALOG_NS = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"


class OntologyError(Exception):
    """A mistake in the ontology files that an editor must fix.

    The message names the file (and the line, for syntax errors) and says what
    is wrong; the CLI prints it as is. ``rule`` names the kind of check that failed.
    """

    rule = "files"


class OntologySyntaxError(OntologyError):
    """A Turtle file does not parse."""

    rule = "syntax"


@dataclass(frozen=True)
class Module:
    """One ontology file: its ``owl:Ontology`` IRI and where it lives."""

    iri: str
    path: Path


def parse_file(path: Path) -> Graph:
    """Parse one Turtle file; a syntax error becomes ``OntologyError("file:line: …")``.

    The graph is cached per file version and shared: read it, do not modify it
    (:func:`kg.ontology.model.load_ontology` gives a graph of your own).
    """
    return _parse(path.resolve(), *file_stamp(path))


def file_stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=64)
def _parse(path: Path, _mtime: int, _size: int) -> Graph:
    # The modification time and size are part of the cache key so that an
    # edited file is parsed again within one process (tests copy and break files).
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as error:  # rdflib raises several types; BadSyntax carries a line
        raise OntologySyntaxError(_syntax_message(path, error)) from None
    return graph


def _syntax_message(path: Path, error: Exception) -> str:
    why = getattr(error, "_why", None)
    if why is None:
        return f"{path.name}: cannot parse as Turtle: {error}"
    # rdflib's own line counter can run ahead of the error; the offset into the
    # parsed text is exact.
    data, offset = getattr(error, "_str", None), getattr(error, "_i", None)
    if isinstance(data, (bytes, str)) and isinstance(offset, int):
        newline = b"\n" if isinstance(data, bytes) else "\n"
        index = data[:offset].count(newline)
    else:
        index = getattr(error, "lines", 0)
    lines = path.read_text(encoding="utf-8").splitlines()
    snippet = lines[index].strip() if 0 <= index < len(lines) else ""
    return f"{path.name}:{index + 1}: Turtle syntax error ({why}) in: {snippet}"


def ontology_iri(graph: Graph, path: Path) -> str:
    """The IRI of the single ``owl:Ontology`` a module declares."""
    headers = sorted(str(s) for s in graph.subjects(RDF.type, OWL.Ontology))
    if len(headers) != 1:
        raise OntologyError(f"{path.name}: expected exactly one owl:Ontology header, found {len(headers)}")
    return headers[0]


def read_catalog(directory: Path) -> dict[str, str]:
    """Map each IRI named in ``catalog-v001.xml`` to the file name it resolves to."""
    catalog = directory / CATALOG
    if not catalog.is_file():
        raise OntologyError(f"{CATALOG} is missing from {directory}: Protégé needs it to resolve imports")
    try:
        root = ET.parse(catalog).getroot()
    except ET.ParseError as error:
        raise OntologyError(f"{CATALOG}: not well-formed XML: {error}") from None
    return {
        entry.attrib["name"]: entry.attrib["uri"]
        for entry in root.iter(f"{_CATALOG_NS}uri")
        if "name" in entry.attrib and "uri" in entry.attrib
    }


def modules(directory: Path | None = None) -> list[Module]:
    """All modules of the ontology folder, the TBox first, each checked against the catalog."""
    folder = (directory or ontology_dir()).resolve()
    paths = sorted(folder.glob("*.ttl"))
    if not paths:
        raise OntologyError(f"no *.ttl files in {folder}")
    catalog = folder / CATALOG
    stamps = tuple((p, *file_stamp(p)) for p in [*paths, catalog] if p.exists())
    return list(_modules(folder, stamps))


@lru_cache(maxsize=16)
def _modules(folder: Path, stamps: tuple[tuple[Path, int, int], ...]) -> tuple[Module, ...]:
    # Keyed by every file's modification time and size: callers ask often
    # (each derived view checks for edits), the answer changes only with the files.
    catalog = read_catalog(folder)
    found = []
    for path, _mtime, _size in stamps:
        if path.suffix != ".ttl":
            continue
        iri = ontology_iri(parse_file(path), path)
        if catalog.get(iri) != path.name:
            raise OntologyError(
                f"{CATALOG}: no entry resolving {iri} to {path.name} "
                f'(add <uri name="{iri}" uri="{path.name}"/>)'
            )
        found.append(Module(iri, path))
    if TBOX_IRI not in {m.iri for m in found}:
        raise OntologyError(f"no file declares the ontology {TBOX_IRI} (arcon.ttl)")
    return tuple(sorted(found, key=lambda m: (m.iri != TBOX_IRI, m.path.name)))
