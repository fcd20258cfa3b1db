"""N-Triples and N-Quads text for rdflib terms, written by hand because the store parses it strictly.

rdflib's ``n3()`` writes a literal holding a line break as a Turtle long string
(``\"\"\"…\"\"\"``), which is not N-Triples; a sentence spanning two lines
would then make a whole batch fail to load. Here every literal is one line with
the N-Triples escapes (``\\\\ \\" \\n \\r``).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
# Characters N-Triples forbids inside <…> (besides controls and space).
_BAD_IRI_CHARS = frozenset('<>"{}|^`\\')


def term(node: Node) -> str:
    """One RDF term in N-Triples syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        text = f'"{str(node).translate(_ESCAPES)}"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and str(node.datatype) != _XSD_STRING:
            return f"{text}^^<{node.datatype}>"
        return text
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"not an RDF term: {node!r}")


def is_iri(text: str) -> bool:
    """Whether ``text`` can be written as an N-Triples IRI (absolute, no spaces or forbidden characters)."""
    if ":" not in text or any(ord(c) <= 0x20 or c in _BAD_IRI_CHARS for c in text):
        return False
    scheme = text.split(":", 1)[0]
    return bool(scheme) and scheme[0].isascii() and scheme[0].isalpha() and all(
        c.isascii() and (c.isalnum() or c in "+-.") for c in scheme)


def ntriples(triples: Iterable[tuple[Node, Node, Node]]) -> bytes:
    return "".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples).encode("utf-8")


def nquads(triples: Iterable[tuple[Node, Node, Node]], graph: str) -> bytes:
    g = f"<{graph}>"
    return "".join(f"{term(s)} {term(p)} {term(o)} {g} .\n" for s, p, o in triples).encode("utf-8")
